// `labgen stop [DIR]`: halts every running VM of a lab (in parallel where the provider allows); `labgen start` boots them.
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, StepFailedError } from '../errors.js';
import { realHostDeps } from '../host/deps.js';
import { readLabDir } from '../io/lab-dir.js';
import { readSecrets } from '../io/write-project.js';
import { haltAll } from '../lifecycle/halt.js';
import { labgenCommand } from '../lifecycle/hints.js';
import { withLabLock } from '../lifecycle/lab-lock.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { printJson } from '../ui/output.js';
import { formatDuration } from '../ui/reporter.js';
import type { CommandContext } from './context.js';

interface StopArgs { dir: string; json: boolean }

/** Runs stop; throws typed errors for the CLI's single catch. */
export async function runStop(ctx: CommandContext, args: StopArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const { dir, lab } = readLabDir(args.dir, ctx.reg);
  const provider = ctx.reg.providers.require(lab.provider.name);
  const o = ctx.output;
  await withLabLock(dir, 'stop', async () => {
    const interrupt = new AbortController();
    const off = deps.onInterrupt(() => interrupt.abort());
    let result: Awaited<ReturnType<typeof haltAll>>;
    try {
      const token = readSecrets(dir)?.bootstrapToken;
      result = await haltAll({ dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter: chooseReporter(o, args.json, deps.terminal, () => deps.clock.now()), signal: interrupt.signal, secrets: token ? [token] : [] });
    } finally { off(); }
    const again = labgenCommand('stop', dir);
    if (interrupt.signal.aborted) throw new InterruptedError(`every vagrant halt was stopped and waited for; some VMs may still be running.\nstop them: ${again}`);
    const bad = result.nodes.filter((n) => n.status === 'failed');
    if (bad.length) {
      const first = bad[0]!;
      throw new StepFailedError('vagrant halt', bad.map((n) => n.name).join(', '), first.log || undefined,
        [...(first.tail.length ? [`last lines of ${first.name}'s log:`, ...first.tail.map((l) => `  | ${l}`)] : []), ...bad.map((n) => `  ${n.name}: still ${n.after} (log: ${n.log})`), `try again: ${again}`, `or force it: cd ${dir} && vagrant halt --force ${bad.map((n) => n.name).join(' ')}`].join('\n'));
    }
    if (args.json) {
      printJson(o, { lab: lab.name, dir, ms: result.ms, nodes: result.nodes.map((n) => ({ name: n.name, status: n.status, before: n.before, after: n.after, ms: n.ms, log: n.log || undefined })) });
      return;
    }
    const stopped = result.nodes.filter((n) => n.status === 'stopped').length;
    o.out(`${lab.name}: ${stopped} node${stopped === 1 ? '' : 's'} stopped${stopped < lab.nodes.length ? `, ${lab.nodes.length - stopped} were not running` : ''} in ${formatDuration(result.ms)}. Start again: ${labgenCommand('start', dir)}`);
  });
}

/** The stop command. */
export function stopCommand(ctx: CommandContext): CommandModule<object, StopArgs> {
  return {
    command: 'stop [dir]',
    describe: 'Halt every VM of a lab (in parallel where the provider allows); labgen start boots them again',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' })
      .example('$0 stop flannel-4node', 'shut the article\'s lab down for the night') as unknown as Argv<StopArgs>,
    handler: (args) => runStop(ctx, args),
  };
}
