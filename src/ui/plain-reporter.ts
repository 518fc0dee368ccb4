// Progress as plain lines, one per change, for pipes, CI logs and files (no cursor movement).
import { escapeCell } from './escape.js';
import type { Output } from './output.js';
import { formatDuration, PHASE_LABEL, type NodeStatus, type Reporter } from './reporter.js';

/** A reporter printing `[  12s] worker1: provisioning step 3/13 selinux` lines. */
export function plainReporter(o: Output, now: () => number): Reporter {
  let t0 = now();
  let width = 0;
  const last = new Map<string, string>();
  const stamp = () => `[${formatDuration(now() - t0).padStart(6)}]`;
  return {
    begin(title, nodes) { t0 = now(); width = Math.max(0, ...nodes.map((n) => n.length)); o.out(`${title}`); },
    node(s: NodeStatus) {
      const text = `${PHASE_LABEL[s.phase]}${s.detail ? ` ${escapeCell(s.detail)}` : ''}`;
      if (last.get(s.name) === text) return;
      last.set(s.name, text);
      // A finished node's line carries its own time, the one the summary prints.
      const took = s.ended !== undefined && s.phase !== 'skipped' ? ` (${formatDuration(s.ended - s.started)})` : '';
      o.out(`${stamp()} ${escapeCell(s.name).padEnd(width)}  ${text}${took}`);
    },
    note(line) { o.out(line); },
    end(summary) { o.out(`${stamp()} ${summary}`); },
  };
}
