// Where a bring-up's time goes: timestamps every line vagrant prints (through a recording Runner), turns them into
// per-process timelines of phases (box import, clone, boot, each provisioning step, the join wait), and walks the
// critical path back from the last process to finish. The same graph, with each phase's cost taken from the fake
// vagrant's model instead of the clock, gives the modelled time: what the orchestration costs without process and
// output overhead. Pure except recordingRunner; used by scripts/bench.ts only.
import type { Runner } from '../src/host/process.js';
import { parseVagrantLine } from '../src/vagrant/progress.js';

/** One instant in a process's life: the phase of `node` that starts at t ('end': the process exited). */
export interface Mark { lane: string; node: string; label: string; t: number }

/** The fake vagrant's per-phase costs (test/fakes/lib/vagrant.mjs: FAKE_VAGRANT_MS). */
export interface PhaseCosts { import: number; clone: number; boot: number; step: number }

/** The phase a line of vagrant output starts, by the messages Vagrant (and the fake, which copies them) prints. */
export function phaseOf(text: string): string | undefined {
  if (/^Bringing machine '[^']+' up/.test(text)) return 'vagrant up (machine)';
  if (/^(Importing base box|Uploading base box image)/.test(text)) return 'box import';
  if (/^(Cloning VM|Creating image \(snapshot of base box volume\))/.test(text)) return 'clone';
  if (/^(Booting VM|Starting domain)/.test(text)) return 'boot';
  if (/^Machine booted and ready!/.test(text)) return 'provisioner setup';
  const step = /LABGEN-STEP node=\S+ n=\d+ total=\d+ name=(\S+)/.exec(text);
  // wait-api is the join wait until the API answers (templates/provision/worker.sh.hbs), then one more check.
  if (step) return step[1] === 'wait-api' ? 'join wait' : `step ${step[1]}`;
  if (/labgen: API server answers after/.test(text)) return 'step wait-api';
  if (/LABGEN-DONE node=/.test(text)) return 'vagrant finishing';
  return undefined;
}

/** What a phase costs in the model; 0 for what the model does not charge (process start, waits, output). */
export function modelCost(label: string, c: PhaseCosts): number {
  if (label === 'box import') return c.import;
  if (label === 'clone') return c.clone;
  if (label === 'boot') return c.boot;
  if (label.startsWith('step ')) return c.step;
  return 0;
}

/** A Runner that records a Mark for each process start and end and for each line that starts a phase. */
export function recordingRunner(inner: Runner, now: () => number, marks: Mark[]): Runner {
  let n = 0;
  return {
    async run(command, args, options = {}) {
      const lane = `${command} ${args[0] ?? ''} #${n++}`;
      const dash = args.indexOf('--');
      const machines = dash >= 0 ? args.slice(dash + 1) : [];
      let node = args[0] === 'status' ? 'labgen' : machines.length === 1 ? machines[0]! : machines[0] ?? '-';
      marks.push({ lane, node, label: args[0] === 'status' ? 'vagrant status' : 'vagrant start (process)', t: now() });
      const r = await inner.run(command, args, {
        ...options,
        onLine: (line, stream) => {
          const p = parseVagrantLine(line);
          const label = phaseOf(p.text);
          if (label) {
            if (p.node) node = p.node;
            marks.push({ lane, node, label, t: now() });
          }
          options.onLine?.(line, stream);
        },
      });
      marks.push({ lane, node, label: 'end', t: now() });
      return r;
    },
  };
}

/** One phase on the critical path: its node, what it was, when it started (ms from the first mark), how long it took. */
export interface PathPhase { node: string; phase: string; start: number; ms: number; model: number }

/** The critical path, in time order, and the run's measured and modelled totals. */
export interface CriticalPath { phases: PathPhase[]; measured: number; modelled: number }

interface Node { m: Mark; prev?: Node; dep?: Node; depWhy?: string; mt?: number }

/**
 * The critical path of the marks of one run. Edges: a phase follows the one before it in its process; a process's
 * first mark follows the last phase-starting mark of another process before it (labgen started it in reaction to that
 * line: the first machine's boot, or `vagrant status` ending); a join wait ends after the control plane's
 * kubeadm-init (the API answers then). Every dependency edge holds in the model too, so the modelled time is the
 * longest path with the model's costs.
 */
export function criticalPath(marks: Mark[], controlPlanes: string[], costs: PhaseCosts): CriticalPath {
  const sorted = [...marks].sort((a, b) => a.t - b.t);
  const t0 = sorted[0]?.t ?? 0;
  const byLane = new Map<string, Node[]>();
  const nodes: Node[] = sorted.map((m) => ({ m }));
  for (const n of nodes) {
    const lane = byLane.get(n.m.lane) ?? [];
    n.prev = lane[lane.length - 1];
    lane.push(n);
    byLane.set(n.m.lane, lane);
  }
  const initEnds = nodes.filter((n) => n.prev && controlPlanes.includes(n.prev.m.node) && n.prev.m.label === 'step kubeadm-init');
  for (const n of nodes) {
    if (!n.prev) {
      const before = nodes.filter((o) => o.m.lane !== n.m.lane && o.m.t <= n.m.t && o.prev !== undefined);
      const d = before[before.length - 1];
      if (d) { n.dep = d; n.depWhy = `started after ${d.m.node}: ${d.prev!.m.label === 'vagrant status' ? 'vagrant status ended' : `${d.m.label === 'end' ? `${d.prev!.m.label} ended` : `${d.m.label} began`}`}`; }
    } else if (n.prev.m.label === 'join wait' && initEnds[0]) {
      n.dep = initEnds[0];
      n.depWhy = `join wait: the API answered after ${initEnds[0].prev!.m.node}'s kubeadm-init`;
    }
  }
  const mt = (n: Node): number => {
    if (n.mt !== undefined) return n.mt;
    const own = n.prev ? mt(n.prev) + modelCost(n.prev.m.label, costs) : 0;
    n.mt = Math.max(own, n.dep ? mt(n.dep) : 0);
    return n.mt;
  };
  const ends = nodes.filter((n) => n.m.label === 'end');
  if (ends.length === 0) return { phases: [], measured: 0, modelled: 0 };
  const last = ends.reduce((a, b) => (b.m.t > a.m.t ? b : a));
  const modelled = Math.max(...ends.map(mt));
  const phases: PathPhase[] = [];
  for (let n: Node | undefined = last; n;) {
    // The wait binds when what it waited for came after the wait began (or it is the process's start).
    if (n.dep && (!n.prev || n.dep.m.t >= n.prev.m.t)) {
      phases.push({ node: n.m.node, phase: n.depWhy!, start: n.dep.m.t - t0, ms: Math.max(0, n.m.t - n.dep.m.t), model: 0 });
      n = n.dep;
    } else if (n.prev) {
      phases.push({ node: n.prev.m.node, phase: n.prev.m.label, start: n.prev.m.t - t0, ms: n.m.t - n.prev.m.t, model: modelCost(n.prev.m.label, costs) });
      n = n.prev;
    } else n = undefined;
  }
  return { phases: phases.reverse(), measured: last.m.t - t0, modelled };
}

/** The path grouped by kind of phase: where the time goes, measured and in the model. */
export function byKind(p: CriticalPath): { kind: string; ms: number; model: number }[] {
  const kind = (ph: PathPhase) => (ph.phase.startsWith('step ') ? 'provisioning steps' : ph.phase.startsWith('join wait') ? 'join wait' : ['box import', 'clone', 'boot'].includes(ph.phase) ? ph.phase : 'process start/exit, output, labgen');
  const out = new Map<string, { kind: string; ms: number; model: number }>();
  for (const ph of p.phases) {
    const k = out.get(kind(ph)) ?? { kind: kind(ph), ms: 0, model: 0 };
    k.ms += ph.ms; k.model += ph.model;
    out.set(k.kind, k);
  }
  return [...out.values()];
}
