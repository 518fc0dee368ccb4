// labgen_write is called inside `if` and `||`, where bash ignores `set -e`: a failed write must still stop provisioning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileOf, renderInMemory, tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';

test('a write that fails inside `if labgen_write ...` exits 1 with the file named and a LABGEN-FAIL line', (t) => {
  const bash = requireTool(t, 'bash');
  if (!bash) return;
  const dir = tempDir();
  mkdirSync(join(dir, 'provision'));
  writeFileSync(join(dir, 'provision', 'lib.sh'), fileOf(renderInMemory('flannel-4node'), 'provision/lib.sh'));
  writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
  const script = `set -euo pipefail; . "$LABGEN_DIR/provision/lib.sh"; NODE_NAME=worker1
    if echo new | labgen_write "$LABGEN_DIR/blocker/sub/file.conf" 0644; then echo CHANGED; else echo UNCHANGED; fi
    echo AFTER`;
  const r = spawnSync(bash, ['-c', script], { env: { PATH: '/usr/bin:/bin', LABGEN_DIR: dir }, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /CHANGED|AFTER/);
  assert.match(r.stderr, /cannot write .*blocker\/sub\/file\.conf/);
  assert.match(r.stderr, /LABGEN-FAIL node=worker1/);
  // And the ordinary cases: a new file is written (0), the same content again is "unchanged" (1).
  const ok = spawnSync(bash, ['-c', `set -euo pipefail; . "$LABGEN_DIR/provision/lib.sh"; NODE_NAME=worker1
    f="$LABGEN_DIR/etc/x.conf"; echo a | labgen_write "$f" 0600 && echo first; echo a | labgen_write "$f" 0600 || echo second-unchanged; stat -c %a "$f"`],
  { env: { PATH: '/usr/bin:/bin', LABGEN_DIR: dir }, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(ok.stdout.trim().split('\n'), ['first', 'second-unchanged', '600']);
});
