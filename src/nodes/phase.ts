// One vocabulary for where a node is (its phase on the live display) and how it ended (its outcome in reports and
// --json), and the state machine between phases: a transition the table does not allow is a labgen bug, refused with
// a typed internal error instead of a display that claims a node was provisioned before it booted.
import { LabgenError } from '../errors.js';

/** Every phase a display row can be in, in the order they happen: bring-up, the Ready wait (the cluster row), halting. */
export const NODE_PHASES = ['waiting', 'starting', 'import', 'boot', 'booted', 'provision', 'join', 'done', 'up', 'failed', 'interrupted', 'skipped',
  'ready-wait', 'ready', 'halt', 'stopped', 'snapshot', 'saved', 'restore', 'restored', 'delete', 'deleted'] as const;

/** Where a node is. */
export type NodePhase = typeof NODE_PHASES[number];

/** Phases a row never leaves: the run is over for it. */
export const FINAL_PHASES: ReadonlySet<NodePhase> = new Set<NodePhase>(['done', 'up', 'failed', 'interrupted', 'skipped', 'ready', 'stopped', 'saved', 'restored', 'deleted']);

/** How a node's bring-up (create, start) ended. `stopped`: labgen stopped it (or never started it) because the control plane failed. */
export type NodeOutcomeStatus = 'done' | 'skipped' | 'failed' | 'interrupted' | 'stopped';

/** How halting a node (stop) ended. */
export type HaltOutcomeStatus = 'stopped' | 'already-stopped' | 'not-created' | 'failed' | 'interrupted';

/** Any phase that is not final may end this way. */
const ENDINGS = ['failed', 'interrupted'] as const;

/** Every phase a row may move to besides itself; a final phase has none (a row that ended stays ended). */
export const TRANSITIONS: Readonly<Record<NodePhase, readonly NodePhase[]>> = {
  // Not started yet: it starts, or ends without starting (already up, stopped before its turn, not created);
  // the cluster row and a halting node start straight from here.
  waiting: ['starting', 'skipped', 'ready-wait', 'halt', 'stopped', 'snapshot', 'restore', 'delete', ...ENDINGS],
  // vagrant runs: a new machine imports, a stopped one boots, a running one is provisioned again.
  // `up`: start's end (`vagrant up --no-provision`): the machine runs and nothing was provisioned, so never `done`'s
  // "provisioned"; it comes once the machine booted (or vagrant exited 0 for one it had nothing to say about).
  starting: ['import', 'boot', 'booted', 'provision', 'join', 'up', ...ENDINGS],
  import: ['boot', 'booted', ...ENDINGS],
  boot: ['booted', 'up', ...ENDINGS],
  // Booted: provisioning follows, or nothing does (start, or a machine provisioned earlier) and it is done.
  booted: ['provision', 'join', 'done', 'up', ...ENDINGS],
  provision: ['join', 'done', ...ENDINGS],
  // A worker's steps after kubeadm join are provisioning again.
  join: ['provision', 'done', ...ENDINGS],
  'ready-wait': ['ready', ...ENDINGS],
  halt: ['stopped', ...ENDINGS],
  // labgen snapshot save|restore|delete: one vagrant snapshot per node (a node without the snapshot is skipped).
  snapshot: ['saved', 'skipped', ...ENDINGS],
  restore: ['restored', 'skipped', ...ENDINGS],
  delete: ['deleted', 'skipped', ...ENDINGS],
  done: [], up: [], failed: [], interrupted: [], skipped: [], ready: [], stopped: [], saved: [], restored: [], deleted: [],
};

/** Whether a row may move from one phase to another; staying in a phase that is not final (a new detail) is allowed. */
export function canTransition(from: NodePhase, to: NodePhase): boolean {
  if (from === to) return !FINAL_PHASES.has(from);
  return TRANSITIONS[from].includes(to);
}

/** A transition the table refuses: a labgen bug (exit 1, never a stack trace), naming the node and both phases. */
export class PhaseTransitionError extends LabgenError {
  constructor(readonly node: string, readonly from: NodePhase, readonly to: NodePhase) {
    super(`internal error: ${node} cannot go from ${from} to ${to}${FINAL_PHASES.has(from) ? ` (${from} is final)` : ''}`, 1,
      `this is a labgen bug: please report it with the command you ran and ${node}'s log`);
  }
}

/** One row's phase, moved only along the table. */
export class PhaseMachine {
  constructor(readonly node: string, private current: NodePhase = 'waiting') {}

  get phase(): NodePhase { return this.current; }

  /** Moves to `to`; throws PhaseTransitionError when the table refuses it. */
  to(to: NodePhase): void {
    if (!canTransition(this.current, to)) throw new PhaseTransitionError(this.node, this.current, to);
    this.current = to;
  }

  /** Moves to `to` when the table allows it and says whether it did (for events read from a tool's output, which is input). */
  tryTo(to: NodePhase): boolean {
    if (!canTransition(this.current, to)) return false;
    this.current = to;
    return true;
  }
}
