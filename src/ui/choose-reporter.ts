// Picks the reporter for a command: nothing with --json, ora on a terminal, plain lines otherwise.
import { oraReporter } from './ora-reporter.js';
import type { Output } from './output.js';
import { plainReporter } from './plain-reporter.js';
import { silentReporter, type Reporter } from './reporter.js';

/** The reporter for this output. */
export function chooseReporter(o: Output, json: boolean, terminal: NodeJS.WriteStream | undefined, now: () => number): Reporter {
  if (json) return silentReporter();
  if (o.isTTY && terminal) return oraReporter(terminal, now);
  return plainReporter(o, now);
}
