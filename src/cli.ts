// The command line: yargs wiring and the only top-level catch, which turns errors into messages and exit codes.
import yargs, { type CommandModule } from 'yargs';
import { LabgenError, UsageError } from './errors.js';
import { analyzeCommand } from './commands/analyze.js';
import type { CommandContext } from './commands/context.js';
import { graphCommand, graphReadyHook, graphVerifyHook } from './commands/graph.js';
import { createCommand } from './commands/create.js';
import { destroyCommand } from './commands/destroy.js';
import { logsCommand } from './commands/logs.js';
import { startCommand } from './commands/start.js';
import { stopCommand } from './commands/stop.js';
import { doctorCommand } from './commands/doctor.js';
import { listCommand } from './commands/list.js';
import { statusCommand } from './commands/status.js';
import { renderCommand } from './commands/render.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { graphFiles } from './graph/files.js';
import { defaultRegistries } from './registries.js';
import { processOutput, type Output } from './ui/output.js';

/** Every command, in the order --help lists them. */
export function commands(ctx: CommandContext): CommandModule<object, any>[] {
  return [
    renderCommand(ctx),
    createCommand(ctx),
    doctorCommand(ctx),
    statusCommand(ctx),
    destroyCommand(ctx),
    stopCommand(ctx),
    startCommand(ctx),
    logsCommand(ctx),
    validateCommand(ctx),
    listCommand(ctx),
    verifyCommand(ctx),
    analyzeCommand(ctx),
    graphCommand(ctx),
  ];
}

/** Runs labgen with argv; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], ctx: CommandContext = { reg: defaultRegistries(), output: processOutput(), extraRenderers: [graphFiles], readyHooks: [graphReadyHook], verifyHooks: [graphVerifyHook], env: process.env }): Promise<number> {
  const o: Output = ctx.output;
  const parser = yargs(argv)
    .scriptName('labgen')
    .usage('labgen <command> [options]\n\nBuild real multi-node Kubernetes labs on Vagrant, exactly as a lab file describes them, and see how their network works.')
    .strict()
    .demandCommand(1, 'name a command: labgen --help lists them')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .epilogue('Exit codes: 0 success, 1 runtime failure (the failing step, node and log are named), 2 invalid input or usage (nothing written, nothing run), 130 interrupted.\nDocs: README.md')
    // Throwing here stops yargs: a command whose arguments failed validation must not run at all.
    .fail((msg, err) => { throw err ?? new UsageError(msg, 'run labgen --help for usage'); })
    .exitProcess(false);
  for (const c of commands(ctx)) parser.command(c);
  try {
    await parser.parseAsync();
    return 0;
  } catch (e) {
    if (e instanceof LabgenError) {
      o.err(`labgen: ${e.message}`);
      if (e.detail) o.err(e.detail);
      return e.exitCode;
    }
    o.err(`labgen: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}
