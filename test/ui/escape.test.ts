// Lab-controlled text never steers the terminal: ESC, C0/C1 controls (CSI U+009B), bidi overrides and isolates and
// U+2028/2029 are shown as visible escapes in every text output, and written as \uXXXX in JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeCell, escapeJson, escapeTerminal } from '../../src/ui/escape.js';
import type { Output } from '../../src/ui/output.js';
import { plainReporter } from '../../src/ui/plain-reporter.js';
import { statusLine } from '../../src/ui/reporter.js';
import { table } from '../../src/ui/table.js';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { execaRunner } from '../../src/host/real-process.js';
import { realClock } from '../../src/host/clock.js';
import { fakeProbe } from '../fakes/run-labgen.js';
import type { Runner } from '../../src/host/process.js';
import { runCli } from '../helpers/cli.js';

const HOSTILE = 'x\u001b[2J\u001b]0;title\u0007\u009b31m\u202egnp.exe\u2066\u2069\u2028y\u2029\u0085\u007f\r';
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('escapeTerminal shows every unsafe character as a visible escape and keeps tabs and newlines', () => {
  assert.equal(escapeTerminal(HOSTILE), 'x\\e[2J\\e]0;title\\a\\x9b31m\\u202egnp.exe\\u2066\\u2069\\u2028y\\u2029\\x85\\x7f\\r');
  assert.equal(escapeTerminal('a\tb\nc'), 'a\tb\nc');
  assert.equal(escapeCell('a\tb\nc'), 'a\\tb\\nc');
  assert.equal(escapeTerminal('plain ascii, ✔ ünïcode, 日本語'), 'plain ascii, ✔ ünïcode, 日本語');
  for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) assert.doesNotMatch(escapeTerminal(c), RAW);
});

test('escapeJson keeps JSON valid and the value unchanged, with no raw C1, bidi or separator character', () => {
  const json = escapeJson(JSON.stringify({ name: HOSTILE }));
  assert.doesNotMatch(json, RAW);
  assert.deepEqual(JSON.parse(json), { name: HOSTILE });
});

test('tables, status lines and the plain reporter escape names and details', () => {
  const lines = table([['NAME', 'DESCRIPTION'], [HOSTILE, 'line1\nline2']]);
  assert.equal(lines.length, 2);
  for (const l of lines) assert.doesNotMatch(l, RAW);
  assert.match(lines[1]!, /line1\\nline2$/);
  assert.doesNotMatch(statusLine({ name: HOSTILE, phase: 'provision', detail: HOSTILE, since: 0, started: 0 }, 0, 4), RAW);
  const out: string[] = [];
  const o: Output = { out: (l) => out.push(l), err: (l) => out.push(l), isTTY: false };
  const r = plainReporter(o, () => 0);
  r.begin('t', [HOSTILE]);
  r.node({ name: HOSTILE, phase: 'boot', detail: HOSTILE, since: 0, started: 0 });
  assert.doesNotMatch(out.join('\n'), RAW);
});

test('every command output passes through the escape: an error echoing a hostile lab name, as text and as --json', async () => {
  const text = await runCli(['render', HOSTILE]);
  assert.equal(text.code, 2);
  assert.doesNotMatch(text.stderr, RAW);
  assert.match(text.stderr, /x\\e\[2J\\e\]0;title\\a\\x9b31m\\u202egnp\.exe/);
  const json = await runCli(['render', HOSTILE, '--json']);
  assert.doesNotMatch(json.stdout, RAW);
  assert.match((JSON.parse(json.stdout) as { error: { message: string } }).error.message, /x\u001b\[2J/, 'the JSON value is the exact name');
});

test('vagrant output echoed in a failure (the last lines of a node log) is escaped', async () => {
  const h = fakeHost();
  const env = h.env({ FAKE_VAGRANT_FAIL: 'master:kubeadm-init' });
  const inner = execaRunner(env, 5000);
  // A vagrant whose output carries a clear-screen and a right-to-left override, as a hostile box could print.
  const runner: Runner = { run: (cmd, args, opts) => inner.run(cmd, args, opts?.onLine ? { ...opts, onLine: (l, s) => opts.onLine!(l.includes('LABGEN-FAIL') ? `${l}\n    master: \u001b[2J\u001b[H\u202eevil` : l, s) } : opts) };
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', `${h.work}/lab`, '--skip-doctor'], { ctx: { host: { runner, clock: realClock, probe: fakeProbe(), onInterrupt: () => () => {} } } });
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /evil/, "the hostile line reached the failure detail");
  assert.doesNotMatch(r.err + r.out, RAW);
});
