// Turns a node's progress events into its phase, step and per-phase times, and tells the reporter.
import type { ResolvedNode } from '../lab/types.js';
import { PhaseMachine, type NodePhase } from '../nodes/phase.js';
import type { NodeStatus, Reporter } from '../ui/reporter.js';
import type { ProgressEvent } from '../vagrant/progress.js';

/** Worker steps that make up the join phase (names from templates/provision/worker.sh.hbs). */
export const JOIN_STEPS = new Set(['wait-api', 'kubeadm-join']);

/** Per-phase milliseconds of one node. */
export type PhaseTimes = Partial<Record<'import' | 'boot' | 'provision' | 'join' | 'restore', number>>;

/** The live state of one node during bring-up. */
export class NodeTracker {
  /** The node's phase, moved only along the table of src/nodes/phase.ts. */
  private readonly machine: PhaseMachine;
  detail = '';
  step = '';
  failedStep?: string;
  sawDone = false;
  /** Vagrant said `Machine booted and ready!` (what `start` waits for: nothing is provisioned). */
  sawBooted = false;
  alreadyProvisioned = false;
  readonly times: PhaseTimes = {};
  started = 0;
  /** When the node reached its final phase; its time is ended - started, in the live line and in "Times:". */
  ended?: number;
  /** The vagrant provisioner running (`labgen-base`), to name when a failure comes before any LABGEN-STEP. */
  provisioner = '';
  private since = 0;
  private begun = false;

  constructor(readonly node: ResolvedNode, private readonly reporter: Reporter, private readonly now: () => number) { this.machine = new PhaseMachine(node.name); }

  get phase(): NodePhase { return this.machine.phase; }

  /** The node's process starts. */
  start(): void { this.begun = true; this.started = this.since = this.now(); this.set('starting', ''); }

  /** Applies one event from the node's output. */
  event(e: ProgressEvent): void {
    switch (e.kind) {
      case 'phase':
        if (e.provisioner) this.provisioner = e.provisioner;
        // One line per phase: a second provisioner keeps showing the current step.
        if (e.phase !== this.phase && !(e.phase === 'provision' && this.phase === 'join')) this.set(e.phase, '', 'output');
        break;
      case 'booted': this.sawBooted = true; this.set('booted', '', 'output'); break;
      case 'already-provisioned': this.alreadyProvisioned = true; break;
      case 'step':
        this.step = e.name;
        this.set(this.node.role === 'worker' && JOIN_STEPS.has(e.name) ? 'join' : 'provision', `step ${e.n}/${e.total} ${e.name}`, 'output');
        break;
      case 'fail': this.failedStep = e.step; break;
      case 'done': this.sawDone = true; break;
    }
  }

  /** Ends the node in a final phase. */
  finish(phase: 'done' | 'up' | 'failed' | 'interrupted' | 'skipped', detail = ''): void {
    const t = this.now();
    // A node that never started (already up, or stopped before its turn) takes no time in this run.
    if (!this.begun) this.started = this.since = t;
    if (phase !== 'skipped') this.ended = t;
    this.set(phase, detail);
  }

  /** Milliseconds from start to the final phase (0 for a node that was already up). */
  ms(): number { return this.ended === undefined ? 0 : this.ended - this.started; }

  /** The step to name when the node failed: the script's own, else the provisioner, else the phase it was in. */
  failingStep(): string {
    if (this.failedStep) return this.failedStep;
    if (this.step) return this.step;
    if (this.provisioner) return `provisioner ${this.provisioner}`;
    return this.phase === 'import' ? 'box import' : this.phase === 'boot' || this.phase === 'booted' ? 'boot' : 'vagrant up';
  }

  status(): NodeStatus { return { name: this.node.name, phase: this.phase, detail: this.detail, since: this.since, started: this.started, ended: this.ended }; }

  /**
   * Moves the node to a phase. labgen's own moves (`start`, `finish`) must be in the table, else PhaseTransitionError;
   * a move read from vagrant's `output` is input, and one the table refuses (a line out of order) leaves the phase as is.
   */
  private set(phase: NodePhase, detail: string, from: 'labgen' | 'output' = 'labgen'): void {
    const t = this.now();
    const previous = this.phase;
    if (from === 'output') { if (!this.machine.tryTo(phase)) return; } else this.machine.to(phase);
    const bucket = previous === 'booted' ? 'boot' : previous;
    if (phase !== previous && (bucket === 'import' || bucket === 'boot' || bucket === 'provision' || bucket === 'join')) {
      this.times[bucket] = (this.times[bucket] ?? 0) + (t - this.since);
    }
    if (phase !== previous) this.since = t;
    this.detail = detail;
    this.reporter.node(this.status());
  }
}
