// How long-running commands show progress; the core reports through this and never prints directly.

/** Where a node is in bringing it up. */
export type NodePhase = 'waiting' | 'import' | 'boot' | 'provision' | 'join' | 'done' | 'failed' | 'interrupted' | 'skipped' | 'halt' | 'stopped';

/** A node's current line: phase, detail (e.g. `step 3/13 selinux`), when the phase and the node started. */
export interface NodeStatus { name: string; phase: NodePhase; detail: string; since: number; started: number }

/** Progress sink: ora spinners on a terminal, plain lines in a pipe, nothing with --json. */
export interface Reporter {
  /** A titled stage begins (bring-up, readiness), with the nodes it shows. */
  begin(title: string, nodes: string[]): void;
  /** A node's status changed. */
  node(status: NodeStatus): void;
  /** A line to keep above the spinners. */
  note(line: string): void;
  /** The stage ends; spinners stop and leave a summary line. */
  end(summary: string, ok: boolean): void;
}

/** Formats milliseconds as `42s` or `3m07s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Phase words as shown to the user. */
export const PHASE_LABEL: Record<NodePhase, string> = {
  waiting: 'waiting', import: 'importing box', boot: 'booting', provision: 'provisioning', join: 'joining',
  done: 'ready', failed: 'FAILED', interrupted: 'interrupted', skipped: 'already up',
  halt: 'stopping', stopped: 'stopped',
};

/** One node's status as a line. */
export function statusLine(s: NodeStatus, now: number, width: number): string {
  const detail = s.detail ? ` ${s.detail}` : '';
  const time = s.phase === 'waiting' ? '' : `  (${formatDuration(now - s.started)})`;
  return `${s.name.padEnd(width)}  ${PHASE_LABEL[s.phase]}${detail}${time}`;
}

/** A reporter that shows nothing (--json collects the summary instead). */
export function silentReporter(): Reporter {
  return { begin() {}, node() {}, note() {}, end() {} };
}
