// `npm test` prints what a person can read: node's spec reporter (one line per test, failures in full), ending with
// the runner's own closing summary lines (ℹ tests / pass / fail ...), which CI parses, after the failures' details.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/paths.js';

test('npm test runs node --test with a readable reporter (not TAP) that ends with the pass/fail summary', (t) => {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test;
  const m = /node --test (.*) dist\/test\/$/.exec(script);
  assert.ok(m, script);
  const flags = m[1]!.split(' ');
  assert.ok(flags.includes('--test-reporter=./dist/test/helpers/readable-reporter.js'), script);
  // The same flags on two tiny tests, one failing: readable lines, and the summary last.
  const dir = mkdtempSync(join(tmpdir(), 'labgen-reporter-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.test.mjs'), "import { test } from 'node:test';\ntest('one passes', () => {});\ntest('one fails', () => { throw new Error('boom'); });\n");
  const r = spawnSync(process.execPath, ['--test', ...flags, dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_TEST_CONTEXT: undefined } });
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /^TAP version/m, 'not TAP');
  assert.match(r.stdout, /✔ one passes/);
  assert.match(r.stdout, /✖ one fails/);
  assert.match(r.stdout, /Error: boom/, 'the failure in full');
  const tail = r.stdout.trimEnd().split('\n').slice(-8);
  assert.deepEqual(tail.map((l) => l.split(' ').slice(0, 2).join(' ')), ['ℹ tests', 'ℹ suites', 'ℹ pass', 'ℹ fail', 'ℹ cancelled', 'ℹ skipped', 'ℹ todo', 'ℹ duration_ms'], tail.join('\n'));
  assert.equal(tail[2], 'ℹ pass 1');
  assert.equal(tail[3], 'ℹ fail 1');
});
