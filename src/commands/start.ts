// `labgen start [DIR]`: boots a stopped lab without provisioning it again, waits until it is Ready, reports like create.
// `vagrant up --no-provision --provider=<p>` rather than `vagrant reload`: up leaves running machines alone and takes
// --provider; reload would restart running ones and has no --provider (vagrant's plugins/commands/reload/command.rb).
// Provisioning is not re-run: labgen's steps are idempotent, but a restart must not depend on package mirrors.
import type { Argv, CommandModule } from 'yargs';
import { StepFailedError, UsageError } from '../errors.js';
import { realHostDeps } from '../host/deps.js';
import { isProvisioned } from '../create/node-state.js';
import { parseDuration } from '../create/timeout.js';
import { readLabDir } from '../io/lab-dir.js';
import { labgenCommand, printLogsOnFailure, shellArg } from '../lifecycle/hints.js';
import { withLabLock } from '../lifecycle/lab-lock.js';
import { reportReady } from '../lifecycle/ready-report.js';
import { bringUpAction, type BringUpContext } from '../actions/bring-up.js';
import { fetchKubeconfigAction, waitReadyAction, type ReadyContext } from '../actions/ready.js';
import { ActionRunner } from '../actions/runner.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { firstLine } from '../host/process.js';
import { vagrantStatus } from '../vagrant/vagrant.js';
import type { CommandContext } from './context.js';
import { DEFAULT_READY_TIMEOUT } from './create.js';

interface StartArgs { dir: string; json: boolean; timeout: string; pollInterval: string }

/** Runs start; throws typed errors for the CLI's single catch. */
export async function runStart(ctx: CommandContext, args: StartArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const o = ctx.output;
  const now = () => deps.clock.now();
  const t0 = now();
  const timeoutMs = parseDuration('timeout', args.timeout);
  const intervalMs = parseDuration('poll-interval', args.pollInterval);
  const { dir, lab } = readLabDir(args.dir, ctx.reg);
  const provider = ctx.reg.providers.require(lab.provider.name);
  await withLabLock(dir, 'start', async () => {
    // A node that was never created or never finished provisioning is create's to finish: start would boot it bare.
    const st = await vagrantStatus(deps.runner, dir);
    if (st.result.exitCode !== 0) throw new StepFailedError('vagrant status', undefined, undefined, st.result.notFound ? 'vagrant is not on PATH (labgen doctor)' : firstLine(st.result));
    const unfinished = lab.nodes.filter((n) => (st.states.get(n.name)?.state ?? 'not_created') === 'not_created' || !isProvisioned(dir, n.name));
    if (unfinished.length) {
      throw new UsageError(`${unfinished.map((n) => n.name).join(', ')} of ${lab.name} ${unfinished.length === 1 ? 'was' : 'were'} never created or never finished provisioning; start only boots a lab create finished`,
        `finish it: labgen create <the lab file or name> --out ${shellArg(dir)}   (finished nodes are kept)`);
    }
    const interrupt = new AbortController();
    const off = deps.onInterrupt(() => interrupt.abort());
    const again = labgenCommand('start', dir);
    const reporter = chooseReporter(o, args.json, deps.terminal, now);
    const c: BringUpContext & ReadyContext = {
      bringUp: { dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal: interrupt.signal, mode: 'start' },
      defaultStep: 'vagrant up --no-provision', failureHints: [`start again: ${again}`, `see each VM: ${labgenCommand('status', dir)}`],
      interruptedHint: `start again: ${again}\nstop:        ${labgenCommand('stop', dir)}`,
      ready: {
        ctx, deps, lab, dir, signal: interrupt.signal, timeoutMs, intervalMs, reporter, interruptedHint: `wait again: ${again}`,
        retry: (timeout) => labgenCommand('start', dir, '--timeout', timeout),
      },
    };
    // The same actions as create's once its lab exists, timed by the same runner; the boot is reported as `boot`.
    const runner = new ActionRunner({ now, interrupted: () => interrupt.signal.aborted, interruptedHint: `start again: ${again}` });
    try {
      await printLogsOnFailure(dir, () => runner.run<BringUpContext & ReadyContext>([bringUpAction('boot'), fetchKubeconfigAction, waitReadyAction], c));
      const times = { ...runner.times(), total: now() - t0 };
      reportReady(ctx, deps, args.json, { lab, dir, cluster: c.cluster!, nodes: c.up!.nodes, times, skippedLabel: 'already running' });
    } finally { off(); }
  });
}

/** The start command. */
export function startCommand(ctx: CommandContext): CommandModule<object, StartArgs> {
  return {
    command: 'start [dir]',
    describe: 'Boot a stopped lab (no re-provisioning) and wait until the cluster is Ready again, with create\'s report',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('timeout', { type: 'string', default: DEFAULT_READY_TIMEOUT, describe: 'how long to wait for Ready after the VMs booted (900, 90s, 15m)' })
      .option('poll-interval', { type: 'string', default: '5s', describe: 'how often to ask the API while waiting for Ready' })
      .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable summary' })
      .example('$0 start flannel-4node', 'boot the article\'s lab again after labgen stop or a host reboot') as unknown as Argv<StartArgs>,
    handler: (args) => runStart(ctx, args),
  };
}
