// stdout/stderr that go away (`| head`, a closed pipe) or fill up (/dev/full): a quiet end or one clear message,
// never an unhandled 'error' event with a stack trace. labgen runs as the user runs it: a real process, a real shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'labgen-streams-'));
after(() => rmSync(work, { recursive: true, force: true }));
const labgen = `'${process.execPath}' '${join(ROOT, 'bin', 'labgen.js')}'`;

/** Runs a bash pipeline; returns labgen's own exit code (first in the pipeline) and its stderr (2> file). */
function pipeline(cmd: string): { code: number; stderr: string } {
  const r = spawnSync('bash', ['-c', `${cmd} 2>"$0/err"; echo "\${PIPESTATUS[0]}"; cat "$0/err"`, work], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  const [code, ...rest] = r.stdout.split('\n');
  return { code: Number(code), stderr: rest.join('\n') };
}

const NO_CRASH = /Unhandled 'error'|node:events|\n\s+at |EPIPE/;

test('a reader that stops early (labgen list | head -1, render | head -2, a pipe closed before any write): exit 0, nothing on stderr', () => {
  for (const cmd of [
    `${labgen} list | head -1 >/dev/null`,
    `${labgen} list | true`,
    `${labgen} render flannel-4node --out "$0/a" | head -2 >/dev/null`,
    `${labgen} render flannel-4node --out "$0/b" | true`,
    `${labgen} list --json | true`,
    `${labgen} --help | true`,
  ]) {
    const r = pipeline(cmd);
    assert.doesNotMatch(r.stderr, NO_CRASH, cmd);
    assert.equal(r.stderr.trim(), '', cmd);
    assert.equal(r.code, 0, cmd);
  }
});

test('a full disk (labgen list > /dev/full, render > /dev/full): exit 1 with one clear message, no stack trace', () => {
  for (const cmd of [`${labgen} list > /dev/full`, `${labgen} render flannel-4node --out "$0/c" > /dev/full`, `${labgen} list --json > /dev/full`]) {
    const r = pipeline(cmd);
    assert.equal(r.code, 1, cmd);
    assert.doesNotMatch(r.stderr, NO_CRASH, cmd);
    assert.equal(r.stderr.trim(), 'labgen: cannot write to stdout: no space left on the device it goes to (ENOSPC)', cmd);
  }
});
