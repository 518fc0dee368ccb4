// `labgen create <lab|file>`: doctor, render, bring every VM up in parallel, fetch the kubeconfig, wait for Ready, report.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, UsageError } from '../errors.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import { findLab } from '../lab/load.js';
import type { ResolvedLab } from '../lab/types.js';
import { checkWritable, readSecrets } from '../io/write-project.js';
import { resolveOutDir } from '../io/lab-dir.js';
import { withLabLock } from '../io/lock.js';
import { refuseCniChange } from './existing-lab.js';
import { bringUp } from '../create/bring-up.js';
import { realHostDeps, type HostDeps } from '../create/deps.js';
import { parseDuration } from '../create/timeout.js';
import { failed, formatChecks, HostCheckError } from '../doctor/check.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { vagrantCheck } from '../doctor/vagrant-check.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { bringUpError, firstBad } from '../lifecycle/bring-up-failure.js';
import { labgenCommand, printLogsOnFailure } from '../lifecycle/hints.js';
import { awaitReady, reportReady } from '../lifecycle/ready-report.js';
import type { CommandContext } from './context.js';
import { prepareLab } from './prepare.js';
import { labOptions, renderToDisk, type RenderOptions } from './render.js';

/** Default wait for Ready after every node is provisioned (images are pulled by then; CNI pods start in a minute or two). */
export const DEFAULT_READY_TIMEOUT = '10m';

/** Arguments of create. */
export interface CreateArgs extends RenderOptions { json: boolean; timeout: string; skipDoctor: boolean; pollInterval: string }

/** The lab directory `create` was given instead of a lab (a path to a directory holding labgen.json), if it was. */
function labDirArgument(ref: string): string | undefined {
  let isDir = false;
  try { isDir = statSync(ref).isDirectory(); } catch { return undefined; }
  if (!isDir) return undefined;
  // A bare name that is also a shipped or local lab stays the lab (`create flannel-4node` re-renders ./flannel-4node).
  if (!/[/\\]/.test(ref) && ref !== '.' && ref !== '..') { try { findLab(ref); return undefined; } catch { /* not a lab name */ } }
  if (!isLabDir(ref)) throw new UsageError(`${resolve(ref)} is not a lab directory (no labgen.json)`, 'pass a lab name or lab file (labgen list shows them), or a directory labgen render/create wrote');
  return ref;
}

/** The lab of a lab directory given to create; flags that would change what it was rendered with are refused. */
function labDirForCreate(ref: string, args: CreateArgs, ctx: CommandContext): { lab: ResolvedLab; dir: string } {
  const { lab, dir } = readLabDir(ref, ctx.reg);
  const changes = [args.cni && `--cni ${args.cni}`, args.provider && `--provider ${args.provider}`, args.out && resolve(args.out) !== dir && `--out ${args.out}`].filter(Boolean);
  if (changes.length) throw new UsageError(`${changes.join(', ')} cannot change a lab directory that is already rendered (${dir})`, `render it again first: labgen render <lab> --out ${dir} ${changes.join(' ')}, then labgen create ${dir}`);
  return { lab, dir };
}

function resumeHint(ref: string, dir: string): string {
  return `resume:  ${labgenCommand('create', ref, '--out', dir)}   (finished nodes are kept, provisioning is idempotent)\ndestroy: ${labgenCommand('destroy', dir)} [--purge]`;
}

/** Runs create holding the lab directory's lock (a second create or render waits, or names this one). */
export async function runCreate(ctx: CommandContext, args: CreateArgs): Promise<void> {
  const fromDir = labDirArgument(args.lab);
  const dir = fromDir ? resolve(fromDir) : resolveOutDir(args.out, prepareLab(args.lab, { cni: args.cni, provider: args.provider }, ctx.reg).lab.name);
  return withLabLock(dir, 'create', () => runCreateLocked(ctx, args), { onWait: (h) => ctx.output.err(`waiting for another labgen (${h.command}, PID ${h.pid}, since ${h.since}) to finish with ${dir}...`) });
}

/** Runs create; returns nothing, throws typed errors for the CLI's single catch. */
async function runCreateLocked(ctx: CommandContext, args: CreateArgs): Promise<void> {
  const deps: HostDeps = ctx.host ?? realHostDeps(ctx.env);
  const o = ctx.output;
  const now = () => deps.clock.now();
  const t0 = now();
  const times: Record<string, number> = {};
  // Bad input first: exit 2 with nothing run and nothing written.
  const timeoutMs = parseDuration('timeout', args.timeout);
  const intervalMs = parseDuration('poll-interval', args.pollInterval);
  // `labgen create DIR` (`create .` in a lab's README) brings up a rendered lab directory as it is, without rendering.
  const fromDir = labDirArgument(args.lab);
  const prepared = fromDir ? undefined : prepareLab(args.lab, { cni: args.cni, provider: args.provider }, ctx.reg);
  const { lab, dir } = fromDir ? labDirForCreate(fromDir, args, ctx) : { lab: prepared!.lab, dir: resolveOutDir(args.out, prepared!.lab.name) };
  if (prepared) {
    checkWritable(dir, { force: Boolean(args.force), adopt: Boolean(args.adopt), command: 'create' });
    await refuseCniChange(dir, lab, ctx.reg, deps.runner);
  }
  const provider = ctx.reg.providers.require(lab.provider.name);

  // The host, before anything is written.
  let checks: Awaited<ReturnType<typeof runDoctor>> = [];
  if (!args.skipDoctor) {
    const t = now();
    checks = await runDoctor({ provider: provider.name, lab, dir, runner: deps.runner, probe: deps.probe, reg: ctx.reg });
    times.doctor = now() - t;
    if (failed(checks).length) throw new HostCheckError(checks, `nothing was written. Fix the above (labgen doctor ${args.lab} shows every check), or add --skip-doctor to try anyway.`);
    if (!args.json) {
      o.out(`Host checks passed (${checks.filter((c) => c.status === 'pass').length} pass, ${checks.filter((c) => c.status === 'warn').length} warn)`);
      for (const line of formatChecks(checks.filter((c) => c.status === 'warn'))) o.out(line);
    }
  }

  else {
    // Skipping the host checks never skips this one: without vagrant nothing can run, so nothing is written either.
    const { check } = await vagrantCheck(deps.runner);
    if (check.status === 'fail') throw new HostCheckError([check], 'nothing was written: create cannot run without vagrant, even with --skip-doctor.');
  }

  let t = now();
  if (prepared) {
    renderToDisk(args, ctx.reg, ctx.extraRenderers, { command: 'create' });
    times.render = now() - t;
    if (!args.json) {
      for (const n of prepared.notices) o.err(`note: ${n}`);
      o.out(`Rendered ${lab.name} (${lab.nodes.length} nodes, ${lab.os.box}, ${lab.cni.summary}, ${provider.name}) into ${dir}`);
    }
  } else if (!args.json) o.out(`Using the lab directory ${dir} as rendered (${lab.name}: ${lab.nodes.length} nodes, ${lab.os.box}, ${lab.cni.summary}, ${provider.name})`);

  const interrupt = new AbortController();
  const off = deps.onInterrupt(() => interrupt.abort());
  const reporter = chooseReporter(o, args.json, deps.terminal, now);
  try {
    // From here on the lab exists: a runtime failure also names the command that collects its logs.
    await printLogsOnFailure(dir, async () => {
      t = now();
      const token = readSecrets(dir)?.bootstrapToken;
      const up = await bringUp({ dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal: interrupt.signal, secrets: token ? [token] : [] });
      times['bring-up'] = now() - t;
      if (interrupt.signal.aborted) throw new InterruptedError(`every vagrant process was stopped and waited for.\n${resumeHint(args.lab, dir)}`);
      const bad = firstBad(up);
      if (bad) throw bringUpError(up, bad, 'vagrant up', [resumeHint(args.lab, dir)]);
      const cluster = await awaitReady({
        ctx, deps, lab, dir, signal: interrupt.signal, timeoutMs, intervalMs, json: args.json, times,
        retry: (timeout) => labgenCommand('create', args.lab, '--out', dir, '--timeout', timeout),
        interruptedHint: resumeHint(args.lab, dir),
        reporter,
      });
      times.total = now() - t0;
      reportReady(ctx, deps, args.json, { lab, dir, cluster, nodes: up.nodes, times, skippedLabel: 'already up' });
    });
  } finally {
    off();
  }
}

/** The create command. */
export function createCommand(ctx: CommandContext): CommandModule<object, CreateArgs> {
  return {
    command: 'create <lab>',
    describe: 'Check the host, render the lab, bring every VM up in parallel, and wait until the cluster is Ready',
    builder: (y) => (labOptions(y, ctx.reg)
      .option('timeout', { type: 'string', default: DEFAULT_READY_TIMEOUT, describe: 'how long to wait for Ready after provisioning (900, 90s, 15m)' })
      .option('poll-interval', { type: 'string', default: '5s', describe: 'how often to ask the API while waiting for Ready' })
      .option('skip-doctor', { type: 'boolean', default: false, describe: 'do not stop on failed host checks (labgen doctor)' })
      .example('$0 create flannel-4node', 'the article\'s lab in ./flannel-4node')
      .example(`$0 create flannel-4node --cni ${ctx.reg.cni.names().at(-1)}`, 'the same lab with another CNI plugin, with its defaults')) as unknown as Argv<CreateArgs>,
    handler: (args) => runCreate(ctx, args),
  };
}
