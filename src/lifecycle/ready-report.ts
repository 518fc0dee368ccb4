// After machines are up (create, start; snapshot restore later): fetch the kubeconfig, wait until the cluster is
// Ready, and print the same report (node table, pods, times). One implementation, so every command reports alike.
import type { CommandContext } from '../context.js';
import type { NodeOutcome } from '../create/bring-up.js';
import type { HostDeps } from '../host/deps.js';
import { fetchKubeconfig } from '../create/kubeconfig.js';
import { kubectlJson } from '../host/kubectl.js';
import { nodeTable, podTable } from '../create/tables.js';
import { explainNotReady, waitReady } from '../create/wait-ready.js';
import type { ClusterSnapshot } from '../create/readiness.js';
import { InterruptedError, LabgenError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { PhaseMachine } from '../nodes/phase.js';
import { printJson } from '../ui/output.js';
import { labgenCommand, shellArg } from './hints.js';
import { formatDuration, type Reporter } from '../ui/reporter.js';

/** What fetching the kubeconfig and waiting for Ready need. */
export interface ReadyInput {
  ctx: CommandContext;
  deps: HostDeps;
  lab: ResolvedLab;
  dir: string;
  signal: AbortSignal;
  timeoutMs: number;
  intervalMs: number;
  /** The command line that waits longer (given the longer --timeout), for the timeout message. */
  retry(timeout: string): string;
  /** Lines after `interrupted` when Ctrl-C stops the wait (how to resume). */
  interruptedHint: string;
  /** The display the bring-up used: the Ready wait is a stage of its own there, with a spinner and its elapsed time. */
  reporter: Reporter;
}

/** The display's row for the cluster during the Ready wait. */
const CLUSTER_ROW = 'cluster';

/** The cluster once Ready. */
export interface ReadyCluster { kubeconfig: string; snapshot: ClusterSnapshot }

/** Copies the control plane's admin.conf into the lab directory; returns its path. Throws a runtime error (1) naming the step. */
export function fetchLabKubeconfig(r: ReadyInput): Promise<string> {
  return fetchKubeconfig(r.deps.runner, r.dir, r.lab, r.signal);
}

/** Waits for Ready with the lab's kubeconfig; throws InterruptedError (130) or a runtime error (1) naming what is not ready. */
export async function awaitReady(r: ReadyInput, kubeconfig: string): Promise<ReadyCluster> {
  const { ctx, deps, lab, dir } = r;
  const now = () => deps.clock.now();
  const cni = ctx.reg.cni.require(lab.cni.plugin).readiness(lab.cni.options);
  const t = now();
  // The Ready wait is a stage of its own on the display: a spinner with its elapsed time, and what is not Ready yet.
  const reporter = r.reporter;
  reporter.begin(`Waiting until the cluster is Ready (timeout ${formatDuration(r.timeoutMs)}): every node, kube-system pod and ${cni.daemonSets.map((d) => d.name).join(', ')} pod`, [CLUSTER_ROW]);
  const machine = new PhaseMachine(CLUSTER_ROW);
  const row = (phase: 'ready-wait' | 'ready' | 'failed' | 'interrupted', detail: string, ended?: number) => { machine.to(phase); reporter.node({ name: CLUSTER_ROW, phase, detail, since: t, started: t, ended }); };
  row('ready-wait', '');
  const w = await waitReady({
    runner: deps.runner, clock: deps.clock, kubeconfig, lab, cni, timeoutMs: r.timeoutMs, intervalMs: r.intervalMs, signal: r.signal,
    onProbe: (nr) => { if (nr.length > 0) row('ready-wait', `(${nr.length} not yet: ${nr.slice(0, 3).map((n) => `${n.kind} ${n.name}`).join(', ')}${nr.length > 3 ? ', ...' : ''})`); },
  });
  const readyEnd = now();
  if (w.outcome === 'ready') { row('ready', '', readyEnd); reporter.end(`the cluster is Ready after ${formatDuration(readyEnd - t)}`, true); }
  else { row(w.outcome === 'interrupted' ? 'interrupted' : 'failed', w.outcome === 'timeout' ? `${w.notReady.length} not ready after ${formatDuration(r.timeoutMs)}` : '', readyEnd); reporter.end(w.outcome === 'timeout' ? 'not Ready in time' : 'stopped while waiting for Ready', false); }
  if (w.outcome === 'interrupted') throw new InterruptedError(`stopped while waiting for Ready; the VMs keep running.\n${r.interruptedHint}`);
  if (w.outcome === 'timeout') {
    throw new LabgenError(`the cluster was not Ready within ${formatDuration(r.timeoutMs)}: ${w.notReady.length} not ready`, 1,
      ['not ready (with recent events):', ...explainNotReady(w.notReady, w.events), `the VMs keep running; look closer with: kubectl --kubeconfig ${shellArg(kubeconfig)} get pods -A`, `wait longer: ${r.retry('20m')}`].join('\n'));
  }
  // The CNI plugin says where its slices are: node.spec.podCIDR, or its own resources (IPAM blocks).
  const slicing = ctx.reg.cni.require(lab.cni.plugin).podSlicing(lab);
  let podSlices = w.snapshot.nodes.flatMap((n) => (n.spec?.podCIDR ? [{ node: n.metadata.name, podCidr: n.spec.podCIDR }] : []));
  if (slicing.query) {
    const q = await kubectlJson<unknown>(deps.runner, kubeconfig, slicing.query.args, r.signal);
    podSlices = q.value !== undefined ? slicing.query.parse(q.value) : [];
  }
  for (const hook of ctx.readyHooks ?? []) hook(lab, dir, podSlices);
  return { kubeconfig, snapshot: w.snapshot };
}

/** What the Ready report shows. */
export interface ReadyReport {
  lab: ResolvedLab; dir: string; cluster: ReadyCluster; nodes: NodeOutcome[]; times: Record<string, number>;
  /** Shown for a node that needed nothing (`already up`, `already running`). */
  skippedLabel: string;
  /** The snapshot this run saved on every node (create --snapshot) or restored (snapshot restore). */
  snapshot?: { name: string; action: 'saved' | 'restored' };
}

/** Prints the Ready report: JSON with --json, else the node and pod tables, times per stage and per node. */
export function reportReady(ctx: CommandContext, deps: HostDeps, json: boolean, d: ReadyReport): void {
  const o = ctx.output;
  const lab = d.lab;
  const snap = d.cluster.snapshot;
  if (json) {
    printJson(o, {
      lab: lab.name, dir: d.dir, provider: lab.provider.name, cni: lab.cni.summary, ready: true, kubeconfig: d.cluster.kubeconfig,
      times: d.times,
      ...(d.snapshot ? { snapshot: d.snapshot } : {}),
      nodes: d.nodes.map((n) => ({ name: n.name, status: n.status, ms: n.ms, phases: n.times, log: n.log || undefined })),
      cluster: {
        nodes: snap.nodes.map((n) => ({ name: n.metadata.name, ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address })),
        pods: snap.pods.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, phase: p.status?.phase, node: p.spec?.nodeName })),
      },
    });
    return;
  }
  const now = deps.clock.now();
  o.out('');
  o.out(`${lab.name} is Ready: ${lab.nodes.length} nodes, ${lab.cni.summary}, in ${formatDuration(d.times.total ?? 0)}`);
  o.out('');
  for (const l of nodeTable(lab, snap.nodes, now)) o.out(l);
  o.out('');
  for (const l of podTable(snap.pods, now)) o.out(l);
  o.out('');
  o.out(`Times: ${Object.entries(d.times).map(([k, v]) => `${k} ${formatDuration(v)}`).join(', ')}`);
  for (const n of d.nodes) {
    const phases = Object.entries(n.times).map(([k, v]) => `${k} ${formatDuration(v ?? 0)}`).join(', ');
    o.out(`  ${n.name}: ${n.status === 'skipped' ? d.skippedLabel : `${formatDuration(n.ms)}${phases ? ` (${phases})` : ''}`}`);
  }
  if (d.snapshot?.action === 'saved') o.out(`Snapshot: '${d.snapshot.name}' saved on every node; back to this state in seconds: ${labgenCommand('snapshot', 'restore', d.snapshot.name, d.dir)}`);
  if (d.snapshot?.action === 'restored') o.out(`Restored: snapshot '${d.snapshot.name}' on every node`);
  o.out(`Logs: ${d.dir}/logs/<node>.log`);
  o.out(`Try:  kubectl --kubeconfig ${shellArg(d.cluster.kubeconfig)} get nodes -o wide`);
}
