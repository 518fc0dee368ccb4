// Picks the reporter for a command: JSON lines on stderr with --json, ora on a terminal, plain lines otherwise.
import { oraReporter } from './ora-reporter.js';
import type { Output } from './output.js';
import { plainReporter } from './plain-reporter.js';
import { jsonLinesReporter } from './json-lines-reporter.js';
import type { Reporter } from './reporter.js';

/** The reporter for this output. */
export function chooseReporter(o: Output, json: boolean, terminal: NodeJS.WriteStream | undefined, now: () => number): Reporter {
  if (json) return jsonLinesReporter(o, now);
  // ora counts wrapped lines by the terminal's width: without one (a pty of width 0) it cannot redraw.
  if (o.isTTY && terminal && (terminal.columns ?? 0) > 0) return oraReporter(terminal, now);
  return plainReporter(o, now);
}
