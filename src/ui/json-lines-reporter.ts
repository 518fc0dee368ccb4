// Progress for scripts: with --json, one JSON object per line on stderr (stdout keeps the one final document), so a
// script can follow a 10-minute create: {"event":"begin"|"node"|"note"|"end", "t": ms since the stage began, ...}.
import { escapeJson } from './escape.js';
import type { Output } from './output.js';
import type { NodeStatus, Reporter } from './reporter.js';

/** A reporter writing JSON lines through `line` (stderr in the CLI). */
export function jsonLinesReporter(o: Output, now: () => number): Reporter {
  let t0 = now();
  const emit = (value: Record<string, unknown>) => o.err(escapeJson(JSON.stringify({ ...value, t: now() - t0 })));
  return {
    begin(title, nodes) { t0 = now(); emit({ event: 'begin', title, nodes }); },
    node(s: NodeStatus) {
      emit({ event: 'node', node: s.name, phase: s.phase, detail: s.detail || undefined, ms: s.ended !== undefined && s.phase !== 'skipped' ? s.ended - s.started : undefined });
    },
    note(line) { emit({ event: 'note', text: line }); },
    end(summary, ok) { emit({ event: 'end', ok, summary }); },
  };
}
