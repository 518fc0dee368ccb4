// Turns a node's progress events into its phase, step and per-phase times, and tells the reporter.
import type { ResolvedNode } from '../lab/types.js';
import type { NodePhase, NodeStatus, Reporter } from '../ui/reporter.js';
import type { ProgressEvent } from '../vagrant/progress.js';

/** Worker steps that make up the join phase (names from templates/provision/worker.sh.hbs). */
export const JOIN_STEPS = new Set(['wait-api', 'kubeadm-join']);

/** Per-phase milliseconds of one node. */
export type PhaseTimes = Partial<Record<'import' | 'boot' | 'provision' | 'join', number>>;

/** The live state of one node during bring-up. */
export class NodeTracker {
  phase: NodePhase = 'waiting';
  detail = '';
  step = '';
  failedStep?: string;
  sawDone = false;
  /** Vagrant said `Machine booted and ready!` (what `start` waits for: nothing is provisioned). */
  sawBooted = false;
  alreadyProvisioned = false;
  readonly times: PhaseTimes = {};
  started = 0;
  private since = 0;

  constructor(readonly node: ResolvedNode, private readonly reporter: Reporter, private readonly now: () => number) {}

  /** The node's process starts. */
  start(): void { this.started = this.since = this.now(); this.set('boot', 'starting vagrant'); }

  /** Applies one event from the node's output. */
  event(e: ProgressEvent): void {
    switch (e.kind) {
      case 'phase': this.set(e.phase, ''); break;
      case 'booted': this.sawBooted = true; this.set('boot', 'booted'); break;
      case 'already-provisioned': this.alreadyProvisioned = true; break;
      case 'step':
        this.step = e.name;
        this.set(this.node.role === 'worker' && JOIN_STEPS.has(e.name) ? 'join' : 'provision', `step ${e.n}/${e.total} ${e.name}`);
        break;
      case 'fail': this.failedStep = e.step; break;
      case 'done': this.sawDone = true; break;
    }
  }

  /** Ends the node in a final phase. */
  finish(phase: 'done' | 'failed' | 'interrupted' | 'skipped', detail = ''): void { this.set(phase, detail); }

  /** The step to name when the node failed: the script's own, else the phase it was in. */
  failingStep(): string { return this.failedStep ?? (this.step || (this.phase === 'import' ? 'box import' : this.phase === 'boot' ? 'boot' : 'vagrant up')); }

  status(): NodeStatus { return { name: this.node.name, phase: this.phase, detail: this.detail, since: this.since, started: this.started }; }

  private set(phase: NodePhase, detail: string): void {
    const t = this.now();
    if (phase !== this.phase && (this.phase === 'import' || this.phase === 'boot' || this.phase === 'provision' || this.phase === 'join')) {
      this.times[this.phase] = (this.times[this.phase] ?? 0) + (t - this.since);
    }
    if (phase !== this.phase) this.since = t;
    this.phase = phase;
    this.detail = detail;
    this.reporter.node(this.status());
  }
}
