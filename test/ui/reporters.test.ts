// The progress reporters: ora on a terminal (each node its own line and mark), plain lines in a pipe, nothing for --json.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { chooseReporter } from '../../src/ui/choose-reporter.js';
import { oraReporter } from '../../src/ui/ora-reporter.js';
import type { Output } from '../../src/ui/output.js';
import type { NodeStatus } from '../../src/ui/reporter.js';

/** A terminal-like stream that records what is written (ora draws on it). */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let data = '';
  const w = new Writable({ write(chunk, _enc, cb) { data += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream & Record<string, unknown>;
  Object.assign(w, { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true, getColorDepth: () => 8, hasColors: () => true });
  // eslint-disable-next-line no-control-regex
  return { stream: w, text: () => data.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

const status = (name: string, phase: NodeStatus['phase'], detail = ''): NodeStatus => ({ name, phase, detail, since: 0, started: 0 });

test('ora reporter: the final picture has a line per node with its mark, then the summary', () => {
  const t = fakeTerminal();
  let now = 0;
  const r = oraReporter(t.stream, () => now);
  r.begin('Bringing up lab', ['master', 'worker1']);
  r.node({ ...status('master', 'provision', 'step 3/16 selinux') });
  now = 65_000;
  r.node(status('master', 'done'));
  r.node(status('worker1', 'failed', 'kubeadm-join'));
  r.note('a note kept above the spinner');
  r.end('1 of 2 nodes up', false);
  const out = t.text();
  assert.match(out, /a note kept above the spinner/);
  assert.match(out, /✔ master {3}provisioned {2}\(1m05s\)/);
  assert.match(out, /✖ worker1 {2}FAILED kubeadm-join {2}\(1m05s\)/);
  assert.match(out, /1 of 2 nodes up/);
});

test('choosing a reporter: --json writes JSON lines on stderr only, a pipe gets plain lines, a terminal without a width gets plain lines', () => {
  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const j: Output = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTTY: false };
  const json = chooseReporter(j, true, undefined, () => 0);
  json.begin('x', ['a']); json.node(status('a', 'boot')); json.end('done', true);
  assert.deepEqual(stdout, [], 'stdout keeps the one final document');
  assert.deepEqual(stderr.map((l) => (JSON.parse(l) as { event: string }).event), ['begin', 'node', 'end']);
  assert.equal((JSON.parse(stderr[1]!) as { phase: string }).phase, 'boot');
  const o: Output = { out: (l) => lines.push(l), err: (l) => lines.push(l), isTTY: false };
  const plain = chooseReporter(o, false, undefined, () => 0);
  plain.begin('Bringing up', ['a']);
  plain.node(status('a', 'booted'));
  assert.ok(lines.some((l) => /a\s+booted$/.test(l)), lines.join('\n'));
  const zeroWidth = fakeTerminal();
  (zeroWidth.stream as unknown as { columns: number }).columns = 0;
  const fallback = chooseReporter({ ...o, isTTY: true }, false, zeroWidth.stream, () => 0);
  fallback.begin('Bringing up', ['b']);
  fallback.node(status('b', 'join', 'step 12/14 kubeadm-join'));
  assert.ok(lines.some((l) => /b\s+joining step 12\/14 kubeadm-join/.test(l)));
  assert.equal(zeroWidth.text(), '', 'nothing was drawn on the zero-width terminal');
});
