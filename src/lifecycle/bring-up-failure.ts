// The error for a bring-up (create) or boot (start) that left a node failed: its step, log and last lines, the others.
import type { BringUpResult, NodeOutcome } from '../create/bring-up.js';
import { StepFailedError } from '../errors.js';

/** The node to blame: the first that failed itself, else the first that did not finish. */
export function firstBad(up: BringUpResult): NodeOutcome | undefined {
  return up.nodes.find((n) => n.status === 'failed') ?? up.nodes.find((n) => n.status !== 'done' && n.status !== 'skipped');
}

/** A StepFailedError for the failed node, with its log's last lines, the other unfinished nodes and the given hints. */
export function bringUpError(up: BringUpResult, bad: NodeOutcome, defaultStep: string, hints: string[]): StepFailedError {
  const others = up.nodes.filter((n) => n !== bad && n.status !== 'done' && n.status !== 'skipped');
  const detail = [
    ...(bad.tail.length ? [`last lines of ${bad.name}'s log:`, ...bad.tail.map((l) => `  | ${l}`)] : []),
    ...(others.length ? ['other nodes:', ...others.map((n) => `  ${n.name}: ${n.status}${n.step ? ` at ${n.step}` : ''} (log: ${n.log || '-'})`)] : []),
    'the other nodes are left as they are.',
    ...hints,
  ].join('\n');
  return new StepFailedError(bad.step ?? defaultStep, bad.name, bad.log || undefined, detail);
}
