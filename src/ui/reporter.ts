// How long-running commands show progress; the core reports through this and never prints directly.
import type { NodePhase } from '../nodes/phase.js';
export type { NodePhase };
import { escapeCell } from './escape.js';

/**
 * A node's current line: phase, detail (e.g. `step 3/13 selinux`), when the phase and the node started, and when it
 * ended (a finished line's time stops there: it equals the time the summary prints).
 */
export interface NodeStatus { name: string; phase: NodePhase; detail: string; since: number; started: number; ended?: number }

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

/**
 * Phase words as shown to the user, in the order they happen. `provisioned` is not Kubernetes Ready: that is the
 * separate wait after bring-up (`waiting for Ready`, then `Ready`). `up`: start booted it without provisioning.
 */
export const PHASE_LABEL: Record<NodePhase, string> = {
  waiting: 'waiting', starting: 'starting vagrant', import: 'importing box', boot: 'booting', booted: 'booted',
  provision: 'provisioning', join: 'joining', done: 'provisioned', up: 'up', failed: 'FAILED', interrupted: 'interrupted',
  skipped: 'already up', 'ready-wait': 'waiting for Ready', ready: 'Ready', halt: 'stopping', stopped: 'stopped',
  snapshot: 'saving snapshot', saved: 'snapshot saved', restore: 'restoring snapshot', restored: 'restored', delete: 'deleting snapshot', deleted: 'deleted',
};

/**
 * One node's status as a line; names and details are lab-controlled, so they are escaped for the terminal. With
 * `maxLength` (a terminal's width) the detail is shortened with `…` so the line never wraps and the time stays shown.
 */
export function statusLine(s: NodeStatus, now: number, width: number, maxLength = Infinity): string {
  // A node that was already up did nothing in this run: no time (its start would be 0, i.e. 1970).
  const time = s.phase === 'waiting' || s.phase === 'skipped' ? '' : `  (${formatDuration((s.ended ?? now) - s.started)})`;
  const name = escapeCell(s.name);
  const head = `${name.padEnd(width + name.length - s.name.length)}  ${PHASE_LABEL[s.phase]}`;
  let detail = s.detail ? ` ${escapeCell(s.detail)}` : '';
  const room = maxLength - head.length - time.length;
  if ([...detail].length > room) detail = room > 1 ? `${[...detail].slice(0, room - 1).join('')}…` : '';
  return `${head}${detail}${time}`;
}

/** A reporter that shows nothing (--json collects the summary instead). */
export function silentReporter(): Reporter {
  return { begin() {}, node() {}, note() {}, end() {} };
}
