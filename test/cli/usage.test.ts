// Usage errors exit 2 before any command runs; output directories that cannot be used are usage errors too.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'labgen-usage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a command whose arguments fail validation does not run: nothing is written', async () => {
  const before = process.cwd();
  process.chdir(dir);
  try {
    const r = await runCli(['graph', 'flannel-4node', '--format', 'png']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Invalid values:[\s\S]*format[\s\S]*"png"/);
    assert.deepEqual(readdirSync(dir), [], 'graph wrote nothing');
  } finally { process.chdir(before); }
});

test('missing positional, unknown option, unknown command, no command: exit 2 with a pointer to --help', async () => {
  for (const argv of [['render'], ['render', 'flannel-4node', '--bogus'], ['bogus'], []]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /labgen --help/);
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});

test('--out that is a file, or lies under a file: exit 2, nothing created', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const onFile = await runCli(['render', 'flannel-4node', '--out', file]);
  assert.equal(onFile.code, 2);
  assert.match(onFile.stderr, /exists and is not a directory/);
  const under = await runCli(['render', 'flannel-4node', '--out', join(file, 'lab')]);
  assert.equal(under.code, 2);
  assert.match(under.stderr, /is not a directory/);
  assert.deepEqual(readdirSync(dir), ['a-file']);
});

test('--out under a missing parent creates the parents and the lab whole', async () => {
  const out = join(dir, 'new', 'deeper', 'lab');
  const r = await runCli(['render', 'flannel-4node', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(out, 'Vagrantfile')));
  assert.deepEqual(readdirSync(join(dir, 'new', 'deeper')), ['lab'], 'no staging directory left beside it');
});
