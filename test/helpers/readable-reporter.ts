// npm test's reporter: node's spec reporter (one line per test, failures in full), with the runner's closing summary
// (ℹ tests / suites / pass / fail / cancelled / skipped / todo / duration_ms) moved to the very end, after the list of
// failing tests, where a person and CI look for it.
import { once } from 'node:events';
import type { Transform } from 'node:stream';
import * as reporters from 'node:test/reporters';

interface Event { type: string; data: { nesting?: number; message?: string } }
const Spec = (reporters as unknown as { spec: new () => Transform }).spec;

/** Runs the events through spec, holding back the top-level diagnostics (the run's summary) until the end. */
export default async function* readableReporter(source: AsyncIterable<Event>): AsyncGenerator<string> {
  const spec = new Spec();
  const pending: string[] = [];
  spec.on('data', (chunk: Buffer | string) => { pending.push(String(chunk)); });
  const summary: string[] = [];
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0 && event.data.message !== undefined) { summary.push(event.data.message); continue; }
    spec.write(event);
    while (pending.length) yield pending.shift()!;
  }
  const ended = once(spec, 'end');
  spec.end();
  await ended;
  while (pending.length) yield pending.shift()!;
  yield `\n${summary.map((m) => `ℹ ${m}`).join('\n')}\n`;
}
