// The command line: yargs wiring and the only top-level catch, which turns errors into messages and exit codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type yargsModule from 'yargs';
import type { CommandModule } from 'yargs';
import { InvalidInputError, LabgenError, StepFailedError, UsageError } from './errors.js';
import { analyzeCommand } from './commands/analyze.js';
import type { CommandContext } from './commands/context.js';
import { graphCommand, graphReadyHook, graphVerifyHook } from './commands/graph.js';
import { cacheCommand } from './commands/cache.js';
import { createCommand } from './commands/create.js';
import { destroyCommand } from './commands/destroy.js';
import { logsCommand } from './commands/logs.js';
import { startCommand } from './commands/start.js';
import { snapshotCommand } from './commands/snapshot.js';
import { stopCommand } from './commands/stop.js';
import { doctorCommand } from './commands/doctor.js';
import { listCommand } from './commands/list.js';
import { statusCommand } from './commands/status.js';
import { renderCommand } from './commands/render.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { demoCommand } from './commands/demo.js';
import { compareCommand } from './commands/compare.js';
import { graphFiles } from './graph/files.js';
import { packageRoot } from './lab/load.js';
import { defaultRegistries } from './registries.js';
import { HostCheckError } from './doctor/check.js';
import { escapeTerminal } from './ui/escape.js';
import { detectInvocation, hintRewriter, type Invocation } from './ui/invocation.js';
import { printJson, processOutput, type Output } from './ui/output.js';

// yargs' CommonJS entry: its cliui wraps --help at word boundaries (wrap-ansi). The ES module entry bundles a stand-in
// that cuts lines at the exact column, in the middle of words (cliui's index.mjs: "Minimal replacement for wrap-ansi").
const yargs = createRequire(import.meta.url)('yargs') as typeof yargsModule;

/** Every command, in the order --help lists them. */
export function commands(ctx: CommandContext): CommandModule<object, any>[] {
  return [
    versionCommand(ctx),
    renderCommand(ctx),
    createCommand(ctx),
    doctorCommand(ctx),
    statusCommand(ctx),
    destroyCommand(ctx),
    stopCommand(ctx),
    startCommand(ctx),
    snapshotCommand(ctx),
    logsCommand(ctx),
    validateCommand(ctx),
    listCommand(ctx),
    verifyCommand(ctx),
    demoCommand(ctx),
    compareCommand(ctx),
    analyzeCommand(ctx),
    graphCommand(ctx),
    cacheCommand(ctx),
  ];
}

/** `labgen version` (also `-v` and `--version`): prints the version. */
function versionCommand(ctx: CommandContext): CommandModule<object, object> {
  return { command: 'version', describe: 'Print labgen\'s version', handler: () => { ctx.output.out(packageVersion()); } };
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The context of a real run: this process's output, registries and environment, and how labgen was invoked. */
export function processContext(inv: Invocation = detectInvocation({ env: process.env, script: process.argv[1], cwd: process.cwd() })): CommandContext {
  return { reg: defaultRegistries(), output: processOutput(), extraRenderers: [(lab) => graphFiles(lab, inv.anywhere)], readyHooks: [graphReadyHook], verifyHooks: [graphVerifyHook], env: process.env, invocation: inv };
}

/** Output as the user sees it: no lab-controlled character can steer the terminal, and hints name labgen as it was run. */
function userOutput(o: Output, hints: (line: string) => string): Output {
  return { out: (l) => o.out(hints(escapeTerminal(l))), err: (l) => o.err(hints(escapeTerminal(l))), isTTY: o.isTTY };
}

/** A short stable name for each kind of failure, for scripts reading --json. */
function errorCode(e: unknown): string {
  if (e instanceof InvalidInputError) return 'invalid-input';
  if (e instanceof UsageError) return 'usage';
  if (e instanceof StepFailedError) return 'step-failed';
  if (e instanceof HostCheckError) return 'host-check-failed';
  if (e instanceof LabgenError) return e.exitCode === 130 ? 'interrupted' : e.exitCode === 2 ? 'invalid-input' : 'runtime';
  return 'internal';
}

/** The one JSON document a failing command prints on stdout with --json. */
export function errorJson(e: unknown, exitCode: number): Record<string, unknown> {
  const err = e as Partial<LabgenError> & Partial<StepFailedError> & Partial<InvalidInputError> & Partial<HostCheckError>;
  return {
    ...(e instanceof LabgenError ? e.data ?? {} : {}),
    ok: false,
    error: {
      code: errorCode(e), exitCode, message: e instanceof LabgenError ? e.message : `internal error: ${String((e as Error)?.message ?? e)}`,
      detail: e instanceof LabgenError && e.detail ? e.detail : undefined,
      problems: e instanceof InvalidInputError ? err.problems : undefined,
      node: e instanceof StepFailedError ? err.node : undefined,
      step: e instanceof StepFailedError ? err.step : undefined,
      log: e instanceof StepFailedError ? err.logPath : undefined,
      checks: e instanceof HostCheckError ? err.checks : undefined,
    },
  };
}

function wantsJson(argv: string[]): boolean {
  const i = argv.indexOf('--');
  return (i < 0 ? argv : argv.slice(0, i)).some((a) => a === '--json' || a === '--json=true');
}

/** Runs labgen with argv; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], given: CommandContext = processContext()): Promise<number> {
  const names = ['version', 'render', 'create', 'doctor', 'status', 'destroy', 'stop', 'start', 'snapshot', 'logs', 'validate', 'list', 'verify', 'demo', 'compare', 'analyze', 'graph'];
  const o: Output = userOutput(given.output, hintRewriter(given.invocation?.here ?? 'labgen', names));
  const ctx: CommandContext = { ...given, output: o };
  const json = wantsJson(argv);
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
    .exitProcess(false)
    .alias('version', 'v');
  for (const c of commands(ctx)) parser.command(c);
  try {
    await parser.parseAsync();
    return 0;
  } catch (e) {
    const code = e instanceof LabgenError ? e.exitCode : 1;
    if (json && !(e instanceof LabgenError && e.jsonPrinted)) printJson(o, errorJson(e, code));
    if (e instanceof LabgenError) {
      o.err(`labgen: ${e.message}`);
      if (e.detail) o.err(e.detail);
      return e.exitCode;
    }
    o.err(`labgen: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}
