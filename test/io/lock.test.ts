// The lab directory's lock: a second labgen waits or names the holder (command, PID, since); a dead holder's lock is
// taken over; five concurrent renders into one directory run one after another and leave a consistent lab.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { acquireLabLock, LabLockedError, lockPathFor, withLabLock } from '../../src/io/lock.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';
import { assertWholeLab, referenceLabs } from './whole-lab.js';
import { BIN, labgenAsync } from './helpers.js';

const LOCK_JS = pathToFileURL(join(ROOT, 'dist', 'src', 'io', 'lock.js')).href;

/** A child process that takes the lock as `command`, says "held", then holds it for holdMs (or kills itself: -1). */
function holder(dir: string, command: string, holdMs: number): Promise<{ pid: number; done: Promise<void> }> {
  const script = `const { acquireLabLock } = await import(${JSON.stringify(LOCK_JS)});
acquireLabLock(${JSON.stringify(dir)}, ${JSON.stringify(command)});
process.stdout.write('held\\n');
if (${holdMs} < 0) process.kill(process.pid, 'SIGKILL');
setTimeout(() => {}, ${Math.max(holdMs, 0)});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((r) => child.on('close', () => r()));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => { if (c.includes('held')) resolve({ pid: child.pid!, done }); });
    child.on('error', reject);
  });
}

test('a held lock makes a second run wait briefly, then name the holder: command, PID, since', async () => {
  const dir = join(tempDir(), 'lab');
  const h = await holder(dir, 'create flannel-4node', 5000);
  let waitedFor: string | undefined;
  assert.throws(() => acquireLabLock(dir, 'render', { waitMs: 300, onWait: (x) => { waitedFor = `${x.command} ${x.pid}`; } }), (e: unknown) => {
    assert.ok(e instanceof LabLockedError);
    assert.equal(e.exitCode, 1);
    assert.match(e.message, new RegExp(`in use by another labgen: \`labgen create flannel-4node\` \\(PID ${h.pid}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`));
    assert.match(e.detail ?? '', /nothing was changed/);
    return true;
  });
  assert.equal(waitedFor, `create flannel-4node ${h.pid}`);
  process.kill(h.pid, 'SIGKILL');
  await h.done;
  rmSync(lockPathFor(dir), { force: true });
});

test('a render started while another labgen holds the lock says who it waits for, then runs once the holder is gone', async () => {
  const dir = join(tempDir(), 'lab');
  const h = await holder(dir, 'destroy', 120_000);
  // The holder goes away (killed: its lock file stays, with a dead PID) only once the render says it is waiting.
  const child = spawn(process.execPath, [BIN, 'render', 'flannel-4node', '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; if (/waiting for another labgen \(destroy,/.test(err)) process.kill(h.pid, 'SIGKILL'); });
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  await h.done;
  assert.equal(code, 0, err);
  assert.match(err, new RegExp(`waiting for another labgen \\(destroy, PID ${h.pid}, since .*\\) to finish`));
  assert.ok(existsSync(join(dir, 'labgen.json')));
});

test('a lock left by a killed labgen (dead PID) is taken over; the lock is re-entrant in one process', async () => {
  const dir = join(tempDir(), 'lab');
  const h = await holder(dir, 'render', -1);
  await h.done;
  const path = lockPathFor(dir);
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, h.pid, 'the dead run\'s lock is still there');
  const release = acquireLabLock(dir, 'render', { waitMs: 0 });
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
  await withLabLock(dir, 'render', () => { assert.ok(existsSync(path)); });
  assert.ok(existsSync(path), 'the inner release keeps the outer hold');
  release();
  assert.ok(!existsSync(path));
});

test('five concurrent renders into one directory: no internal error, every run exits 0, the result is one whole lab', async () => {
  const refs = referenceLabs();
  const dir = join(tempDir(), 'lab');
  const labs = ['flannel-4node', 'calico-4node', 'flannel-4node', 'calico-4node', 'flannel-4node'];
  const runs = await Promise.all(labs.map((l) => labgenAsync(['render', l, '--out', dir, '--force'])));
  for (const r of runs) {
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /internal error|ENOTEMPTY|ENOENT/);
  }
  assertWholeLab(dir, refs);
});
