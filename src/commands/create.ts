// `labgen create <lab|file>`: doctor, render, bring every VM up in parallel, fetch the kubeconfig, wait for Ready, report.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, LabgenError, StepFailedError, UsageError } from '../errors.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import { findLab } from '../lab/load.js';
import { checkWritable, readSecrets } from '../io/write-project.js';
import { bringUp, type BringUpResult, type NodeOutcome } from '../create/bring-up.js';
import { realHostDeps, type HostDeps } from '../create/deps.js';
import { fetchKubeconfig } from '../create/kubeconfig.js';
import { nodeTable, podTable } from '../create/tables.js';
import { parseDuration } from '../create/timeout.js';
import { explainNotReady, waitReady } from '../create/wait-ready.js';
import { failed, formatChecks, HostCheckError } from '../doctor/check.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { vagrantCheck } from '../doctor/vagrant-check.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { printJson } from '../ui/output.js';
import { formatDuration } from '../ui/reporter.js';
import type { ResolvedLab } from '../lab/types.js';
import type { CommandContext } from './context.js';
import { prepareLab } from './prepare.js';
import { labOptions, renderToDisk, type RenderOptions } from './render.js';

/** The display's row for the cluster during the Ready wait. */
const CLUSTER_ROW = 'cluster';

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
function labDirForCreate(ref: string, args: CreateArgs): { lab: ResolvedLab; dir: string } {
  const { lab, dir } = readLabDir(ref);
  const changes = [args.cni && `--cni ${args.cni}`, args.provider && `--provider ${args.provider}`, args.out && resolve(args.out) !== dir && `--out ${args.out}`].filter(Boolean);
  if (changes.length) throw new UsageError(`${changes.join(', ')} cannot change a lab directory that is already rendered (${dir})`, `render it again first: labgen render <lab> --out ${dir} ${changes.join(' ')}, then labgen create ${dir}`);
  return { lab, dir };
}

function resumeHint(ref: string, dir: string): string {
  return `resume:  labgen create ${ref} --out ${dir}   (finished nodes are kept, provisioning is idempotent)\ndestroy: labgen destroy ${dir} [--purge]`;
}

function failureDetail(up: BringUpResult, first: NodeOutcome, ref: string, dir: string): string {
  const others = up.nodes.filter((n) => n !== first && n.status !== 'done' && n.status !== 'skipped');
  return [
    `last lines of ${first.name}'s log:`,
    ...first.tail.map((l) => `  | ${l}`),
    ...(others.length ? ['other nodes:', ...others.map((n) => `  ${n.name}: ${n.status}${n.step ? ` at ${n.step}` : ''} (log: ${n.log || '-'})`)] : []),
    'the other nodes are left as they are.',
    resumeHint(ref, dir),
  ].join('\n');
}

/** Runs create; returns nothing, throws typed errors for the CLI's single catch. */
export async function runCreate(ctx: CommandContext, args: CreateArgs): Promise<void> {
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
  const { lab, dir } = fromDir ? labDirForCreate(fromDir, args) : { lab: prepared!.lab, dir: resolve(args.out ?? prepared!.lab.name) };
  if (prepared) checkWritable(dir, Boolean(args.force));
  const provider = ctx.reg.providers.require(lab.provider.name);
  const cni = ctx.reg.cni.require(lab.cni.plugin).readiness(lab.cni.options);

  // The host, before anything is written.
  let checks: Awaited<ReturnType<typeof runDoctor>> = [];
  if (!args.skipDoctor) {
    const t = now();
    checks = await runDoctor({ provider: provider.name, lab, dir, runner: deps.runner, probe: deps.probe });
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
    renderToDisk(args, ctx.reg, ctx.extraRenderers);
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
    t = now();
    const token = readSecrets(dir)?.bootstrapToken;
    const up = await bringUp({ dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal: interrupt.signal, secrets: token ? [token] : [] });
    times['bring-up'] = now() - t;
    if (interrupt.signal.aborted) throw new InterruptedError(`every vagrant process was stopped and waited for.\n${resumeHint(args.lab, dir)}`);
    const bad = up.nodes.find((n) => n.status === 'failed') ?? up.nodes.find((n) => n.status !== 'done' && n.status !== 'skipped');
    if (bad) throw new StepFailedError(bad.step ?? 'vagrant up', bad.name, bad.log || undefined, failureDetail(up, bad, args.lab, dir));

    t = now();
    const kubeconfig = await fetchKubeconfig(deps.runner, dir, lab, interrupt.signal);
    times.kubeconfig = now() - t;

    t = now();
    // The Ready wait is a stage of its own on the display: a spinner with its elapsed time, and what is not Ready yet.
    const readyTitle = `Waiting until the cluster is Ready (timeout ${formatDuration(timeoutMs)}): every node, kube-system pod and ${cni.daemonSets.map((d) => d.name).join(', ')} pod`;
    reporter.begin(readyTitle, [CLUSTER_ROW]);
    const row = (phase: 'ready-wait' | 'ready' | 'failed' | 'interrupted', detail: string, ended?: number) => reporter.node({ name: CLUSTER_ROW, phase, detail, since: t, started: t, ended });
    row('ready-wait', '');
    const w = await waitReady({
      runner: deps.runner, clock: deps.clock, kubeconfig, lab, cni, timeoutMs, intervalMs, signal: interrupt.signal,
      onProbe: (nr) => { if (nr.length > 0) row('ready-wait', `(${nr.length} not yet: ${nr.slice(0, 3).map((n) => `${n.kind} ${n.name}`).join(', ')}${nr.length > 3 ? ', ...' : ''})`); },
    });
    const readyEnd = now();
    if (w.outcome === 'ready') { row('ready', '', readyEnd); reporter.end(`the cluster is Ready after ${formatDuration(readyEnd - t)}`, true); }
    else { row(w.outcome === 'interrupted' ? 'interrupted' : 'failed', w.outcome === 'timeout' ? `${w.notReady.length} not ready after ${formatDuration(timeoutMs)}` : '', readyEnd); reporter.end(w.outcome === 'timeout' ? 'not Ready in time' : 'stopped while waiting for Ready', false); }
    times.ready = now() - t;
    if (w.outcome === 'interrupted') throw new InterruptedError(`stopped while waiting for Ready; the VMs keep running.\n${resumeHint(args.lab, dir)}`);
    if (w.outcome === 'timeout') {
      throw new LabgenError(`the cluster was not Ready within ${formatDuration(timeoutMs)}: ${w.notReady.length} not ready`, 1,
        ['not ready (with recent events):', ...explainNotReady(w.notReady, w.events), `the VMs keep running; look closer with: kubectl --kubeconfig ${kubeconfig} get pods -A`, `wait longer: labgen create ${args.lab} --out ${dir} --timeout 20m`].join('\n'));
    }
    const podSlices = w.snapshot.nodes.flatMap((n) => (n.spec?.podCIDR ? [{ node: n.metadata.name, podCidr: n.spec.podCIDR }] : []));
    for (const hook of ctx.readyHooks ?? []) hook(lab, dir, podSlices);
    times.total = now() - t0;
    report(ctx, args, { lab, dir, kubeconfig, up, times, snapshot: w.snapshot, checks });
  } finally {
    off();
  }
}

interface Done { lab: ResolvedLab; dir: string; kubeconfig: string; up: BringUpResult; times: Record<string, number>; snapshot: Awaited<ReturnType<typeof waitReady>>['snapshot']; checks: unknown[] }

function report(ctx: CommandContext, args: CreateArgs, d: Done): void {
  const o = ctx.output;
  const lab = d.lab;
  const now = (ctx.host ?? realHostDeps(ctx.env)).clock.now();
  if (args.json) {
    printJson(o, {
      lab: lab.name, dir: d.dir, provider: lab.provider.name, cni: lab.cni.summary, ready: true, kubeconfig: d.kubeconfig,
      times: d.times,
      nodes: d.up.nodes.map((n) => ({ name: n.name, status: n.status, ms: n.ms, phases: n.times, log: n.log || undefined })),
      cluster: {
        nodes: d.snapshot.nodes.map((n) => ({ name: n.metadata.name, ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address })),
        pods: d.snapshot.pods.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, phase: p.status?.phase, node: p.spec?.nodeName })),
      },
    });
    return;
  }
  o.out('');
  o.out(`${lab.name} is Ready: ${lab.nodes.length} nodes, ${lab.cni.summary}, in ${formatDuration(d.times.total ?? 0)}`);
  o.out('');
  for (const l of nodeTable(lab, d.snapshot.nodes, now)) o.out(l);
  o.out('');
  for (const l of podTable(d.snapshot.pods, now)) o.out(l);
  o.out('');
  o.out(`Times: ${Object.entries(d.times).map(([k, v]) => `${k} ${formatDuration(v)}`).join(', ')}`);
  for (const n of d.up.nodes) {
    const phases = Object.entries(n.times).map(([k, v]) => `${k} ${formatDuration(v ?? 0)}`).join(', ');
    o.out(`  ${n.name}: ${n.status === 'skipped' ? 'already up' : `${formatDuration(n.ms)}${phases ? ` (${phases})` : ''}`}`);
  }
  o.out(`Logs: ${d.dir}/logs/<node>.log`);
  o.out(`Try:  kubectl --kubeconfig ${d.kubeconfig} get nodes -o wide`);
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
      .example('$0 create flannel-4node --cni calico', 'the same lab with Calico (IP-in-IP)')) as unknown as Argv<CreateArgs>,
    handler: (args) => runCreate(ctx, args),
  };
}
