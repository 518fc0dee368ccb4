// What a lab argument may be: a name, a file; anything else is a usage error (exit 2), never an internal error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { readLabText } from '../../src/lab/load.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'labgen-ref-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a directory where a lab file is expected: exit 2 naming what to pass', async () => {
  const r = await runCli(['validate', `${dir}/`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not a file/);
  assert.match(r.stderr, /pass the path of a lab YAML file/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('an unknown lab name lists the known labs; a missing file says so', async () => {
  const unknown = await runCli(['render', 'no-such-lab', '--out', join(dir, 'x')]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /lab "no-such-lab" is not known\. Known labs are \[.*flannel-4node.*\]/);
  const missing = await runCli(['validate', join(dir, 'missing.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
});

test('a lab file that cannot be read is a usage error (exit 2), not a crash', () => {
  // A directory fails the read even for root, which reads files whatever their mode.
  assert.throws(() => readLabText(dir), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /cannot read lab file .*it is a directory, not a lab file/.test(e.message));
});
