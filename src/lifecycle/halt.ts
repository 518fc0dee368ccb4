// Halts every running machine of a lab: one `vagrant halt <node>` each at once where the provider allows it, else one
// `vagrant halt` for all; then asks vagrant for every machine's state, which alone decides what stopped.
import { StepFailedError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { PhaseMachine, type HaltOutcomeStatus } from '../nodes/phase.js';
import type { Provider } from '../providers/types.js';
import type { Clock } from '../host/clock.js';
import { openNodeLog, type NodeLog } from '../create/node-log.js';
import { formatDuration, type NodeStatus, type Reporter } from '../ui/reporter.js';
import { parseVagrantLine } from '../vagrant/progress.js';
import { redactText } from '../vagrant/redact.js';
import { firstLine, type RunResult, type Runner } from '../host/process.js';
import { vagrantHalt, vagrantStatus } from '../vagrant/vagrant.js';

/** What halting needs. */
export interface HaltInput { dir: string; lab: ResolvedLab; provider: Provider; runner: Runner; clock: Clock; reporter: Reporter; signal: AbortSignal; secrets: string[] }

/** How one machine ended. */
export interface HaltOutcome {
  name: string;
  status: HaltOutcomeStatus;
  /** Vagrant's state before and after. */
  before: string; after: string;
  log: string; tail: string[]; ms: number;
}

/** The result of halting a lab. */
export interface HaltResult { nodes: HaltOutcome[]; ms: number }

/** States in which a machine is not running, so there is nothing to halt (poweroff/aborted, shutoff: the providers' own state names). */
const STOPPED = new Set(['poweroff', 'shutoff', 'aborted']);

async function states(input: HaltInput): Promise<Map<string, { state: string; provider: string }>> {
  const st = await vagrantStatus(input.runner, input.dir);
  if (st.result.exitCode !== 0) {
    throw new StepFailedError('vagrant status', undefined, undefined, st.result.notFound ? 'vagrant is not on PATH: install it (https://developer.hashicorp.com/vagrant/install) or run labgen doctor' : redactText(st.result.stderr.trim() || firstLine(st.result)));
  }
  return st.states;
}

/** Halts the lab's running machines; throws only when vagrant cannot be asked for their states. */
export async function haltAll(input: HaltInput): Promise<HaltResult> {
  const { lab, reporter, clock } = input;
  const t0 = clock.now();
  const before = await states(input);
  const stateOf = (n: string) => before.get(n)?.state ?? 'unknown';
  const toHalt = lab.nodes.filter((n) => stateOf(n.name) !== 'not_created' && !STOPPED.has(stateOf(n.name)));
  reporter.begin(`Stopping ${lab.name}: ${toHalt.length} of ${lab.nodes.length} nodes running on ${input.provider.name}`, lab.nodes.map((n) => n.name));
  // Each row moves along the phase table (src/nodes/phase.ts): skipped, or halt then stopped, failed or interrupted.
  const machines = new Map(lab.nodes.map((n) => [n.name, new PhaseMachine(n.name)]));
  const show = (name: string, phase: NodeStatus['phase'], detail: string, started: number) => { machines.get(name)?.to(phase); reporter.node({ name, phase, detail, since: clock.now(), started }); };
  for (const n of lab.nodes) if (!toHalt.includes(n)) show(n.name, 'skipped', stateOf(n.name) === 'not_created' ? 'not created' : `already ${stateOf(n.name)}`, t0);
  const runs = new Map<string, { r: RunResult; log: NodeLog; started: number; ms: number }>();
  const header = (machines: string[]) => `labgen stop ${lab.name}: vagrant halt ${machines.join(' ')} at ${new Date(clock.now()).toISOString()}`;
  const one = async (machines: string[]) => {
    const started = clock.now();
    const logs = new Map(machines.map((m) => [m, openNodeLog(input.dir, m, header(machines), input.secrets)]));
    for (const m of machines) show(m, 'halt', 'vagrant halt', started);
    let r: RunResult;
    try {
      r = await vagrantHalt(input.runner, input.dir, machines, {
        signal: input.signal,
        onLine: (line) => {
          const p = parseVagrantLine(line, input.provider.upPhases);
          const log = p.node !== undefined ? logs.get(p.node) : undefined;
          if (log) { log.write(line); if (/^(Attempting graceful shutdown|Forcing shutdown|Halting domain)/.test(p.text)) show(p.node!, 'halt', p.text.replace(/\.+$/, ''), started); } else for (const l of logs.values()) l.write(line);
        },
      });
    } finally { for (const l of logs.values()) l.close(); }
    for (const m of machines) runs.set(m, { r, log: logs.get(m)!, started, ms: clock.now() - started });
  };
  if (toHalt.length > 0) {
    if (input.provider.halt === 'process-per-machine') await Promise.all(toHalt.map((n) => one([n.name])));
    else await one(toHalt.map((n) => n.name));
  }
  // What vagrant says now decides; an exit code alone does not (a one-process halt fails for all at the first error).
  const after = input.signal.aborted ? before : await states(input).catch(() => before);
  const nodes: HaltOutcome[] = lab.nodes.map((n) => {
    const b = stateOf(n.name);
    const a = after.get(n.name)?.state ?? 'unknown';
    const run = runs.get(n.name);
    if (!run) return { name: n.name, status: b === 'not_created' ? 'not-created' : 'already-stopped', before: b, after: a, log: '', tail: [], ms: 0 };
    const stopped = STOPPED.has(a);
    const status: HaltOutcome['status'] = stopped ? 'stopped' : input.signal.aborted ? 'interrupted' : 'failed';
    show(n.name, status === 'stopped' ? 'stopped' : status, status === 'failed' ? `still ${a} (${run.r.notFound ? 'vagrant not on PATH' : `vagrant halt exit ${run.r.exitCode}`})` : '', run.started);
    return { name: n.name, status, before: b, after: a, log: run.log.path, tail: run.log.tail(10), ms: run.ms };
  });
  const ms = clock.now() - t0;
  const bad = nodes.filter((n) => n.status === 'failed' || n.status === 'interrupted');
  reporter.end(bad.length === 0 ? `${toHalt.length === 0 ? 'no node was running' : `${toHalt.length} nodes stopped`} in ${formatDuration(ms)}` : bad.map((n) => `${n.name}: ${n.status} (${n.after})`).join(', '), bad.length === 0);
  return { nodes, ms };
}
