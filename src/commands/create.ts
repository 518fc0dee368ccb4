// `labgen create <lab|file>`: doctor, render, bring every VM up in parallel, fetch the kubeconfig, wait for Ready, report;
// the steps are the ordered actions of src/actions/create.ts, run and timed by the one runner of src/actions/runner.ts.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import { findLab } from '../lab/load.js';
import type { ResolvedLab } from '../lab/types.js';
import { checkWritable } from '../io/write-project.js';
import { resolveOutDir } from '../io/lab-dir.js';
import { withLabLock } from '../io/lock.js';
import { refuseCniChange } from './existing-lab.js';
import { realHostDeps, type HostDeps } from '../host/deps.js';
import { withLabCache } from '../cache/lab-cache.js';
import { FRESH_SNAPSHOT } from '../lifecycle/snapshot-name.js';
import { parseDuration } from '../create/timeout.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { labgenCommand, printLogsOnFailure } from '../lifecycle/hints.js';
import { reportReady } from '../lifecycle/ready-report.js';
import { prepareActions, upActions, type CreateContext } from '../actions/create.js';
import { ActionInterrupted, ActionRunner } from '../actions/runner.js';
import type { RenderOptions } from '../pipeline/render-to-disk.js';
import type { CommandContext } from './context.js';
import { prepareLab } from '../pipeline/prepare.js';
import { labOptions } from './render.js';

/** Default wait for Ready after every node is provisioned (images are pulled by then; CNI pods start in a minute or two). */
export const DEFAULT_READY_TIMEOUT = '10m';

/** Arguments of create. */
export interface CreateArgs extends RenderOptions { json: boolean; timeout: string; skipDoctor: boolean; pollInterval: string; snapshot?: boolean }

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

/** Runs create's actions (src/actions/create.ts) through the one runner; throws typed errors for the CLI's single catch. */
async function runCreateLocked(ctx: CommandContext, args: CreateArgs): Promise<void> {
  const deps: HostDeps = ctx.host ?? realHostDeps(ctx.env);
  const now = () => deps.clock.now();
  const t0 = now();
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
  const interrupt = new AbortController();
  const off = deps.onInterrupt(() => interrupt.abort());
  const reporter = chooseReporter(ctx.output, args.json, deps.terminal, now);
  const resume = resumeHint(args.lab, dir);
  const c: CreateContext = {
    cmd: ctx, deps, ref: args.lab, render: args, json: args.json, lab, dir, provider, prepared,
    bringUp: { dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal: interrupt.signal },
    defaultStep: 'vagrant up', failureHints: [resume], interruptedHint: resume,
    // The download cache serves the nodes while they are brought up and provisioned, and stops with bring-up.
    around: (body) => withLabCache(lab, provider, 'create', { env: ctx.env, note: (m) => { if (!args.json) ctx.output.err(`note: ${m}`); }, ...ctx.cache }, body),
    ready: {
      ctx, deps, lab, dir, signal: interrupt.signal, timeoutMs, intervalMs, reporter, interruptedHint: resume,
      retry: (timeout) => labgenCommand('create', args.lab, '--out', dir, '--timeout', timeout),
    },
  };
  const runner = new ActionRunner({
    now, interrupted: () => interrupt.signal.aborted,
    interruptError: (at) => new ActionInterrupted(at, at === 'bring-up' ? `${prepared ? 'the lab was rendered; ' : ''}no machine was started.\n${resume}` : 'nothing was written.'),
  });
  try {
    // The host before anything is written, then the lab on disk.
    await runner.run(prepareActions({ skipDoctor: args.skipDoctor, render: Boolean(prepared) }), c);
    // From here on the lab exists: a runtime failure also names the command that collects its logs.
    await printLogsOnFailure(dir, () => runner.run(upActions({ snapshot: args.snapshot }), c));
    const times = { ...runner.times(), total: now() - t0 };
    reportReady(ctx, deps, args.json, {
      lab, dir, cluster: c.cluster!, nodes: c.up!.nodes, times, skippedLabel: 'already up',
      snapshot: c.snapshot ? { name: c.snapshot, action: 'saved' } : undefined,
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
      .option('snapshot', { type: 'boolean', default: false, describe: `once Ready, snapshot every VM as ${FRESH_SNAPSHOT} (replacing one of that name); labgen snapshot restore returns to it in seconds` })
      .example('$0 create flannel-4node', 'the article\'s lab in ./flannel-4node')
      .example(`$0 create flannel-4node --cni ${ctx.reg.cni.names().at(-1)}`, 'the same lab with another CNI plugin, with its defaults')) as unknown as Argv<CreateArgs>,
    handler: (args) => runCreate(ctx, args),
  };
}
