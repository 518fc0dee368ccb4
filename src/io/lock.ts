// An exclusive lock on a lab directory: one labgen command at a time writes a lab directory or drives its machines.
// The lock is a file in a private per-user directory (<tmpdir>/labgen-locks-<uid>/, mode 0700), named by a hash of the
// lab directory's canonical path, so a directory that does not exist yet (or whose parents do not) is locked before it
// is created, and nothing is ever left beside the user's files. It holds who took it: { pid, command, since, start, dir }. A second run waits a little, then
// says who holds it; a lock whose process is gone (kill -9, a crash) is taken over. Re-entrant within one process:
// `create` holds it while `render` (called by create) takes it again.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { LabgenError } from '../errors.js';

/** Who holds a lock, as recorded in the lock file. */
export interface LockHolder { pid: number; command: string; since: string; start?: string; dir?: string }

/** How long a second command waits for the lock before it gives up and names the holder. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;

/** Options of a lock acquisition (tests shorten the wait; `onWait` is told once that the run waits, and for whom). */
export interface LockOptions { waitMs?: number; onWait?: (holder: LockHolder, lockPath: string) => void }

/** The lock is held by another live labgen and did not come free in time (exit 1: retry later; nothing was changed). */
export class LabLockedError extends LabgenError {
  constructor(readonly dir: string, readonly holder: LockHolder, lockPath: string) {
    super(`${dir} is in use by another labgen: \`labgen ${holder.command}\` (PID ${holder.pid}, since ${holder.since})`, 1,
      `nothing was changed. Wait until that command ends and run this one again; if PID ${holder.pid} is not labgen, remove ${lockPath}`);
  }
}

const held = new Map<string, { count: number; path: string }>();
let exitHook = false;

/** The private directory holding this user's labgen locks. */
function lockDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const d = join(tmpdir(), `labgen-locks-${uid}`);
  try { mkdirSync(d, { mode: 0o700 }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(d, e); }
  const st = lstatSync(d);
  // Someone else's directory (or a symlink) in a shared /tmp must not decide who may write a lab.
  if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new LabgenError(`${d} is not a private directory of yours, so labgen cannot keep its locks there`, 2, `remove it (rm -r ${d}) or set TMPDIR to a directory of yours`);
  }
  return d;
}

function lockError(path: string, e: unknown): LabgenError {
  return new LabgenError(`cannot lock ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2, 'labgen keeps its locks under the temporary directory: set TMPDIR to a directory you can write to');
}

/** The lock file guarding a lab directory (the same path whether or not the directory exists yet). */
export function lockPathFor(dir: string): string {
  return join(lockDir(), `${createHash('sha256').update(canonical(dir)).digest('hex').slice(0, 32)}.lock`);
}

/** The directory's path with symlinks resolved in its nearest existing ancestor, so two spellings of one directory,
 * before and after it exists, share one lock. */
export function canonical(dir: string): string {
  let head = resolve(dir);
  const tail: string[] = [];
  for (;;) {
    try { return join(realpathSync(head), ...tail); } catch { /* not there yet */ }
    const up = dirname(head);
    if (up === head) return resolve(dir);
    tail.unshift(basename(head));
    head = up;
  }
}

/** This process's start time (field 22 of /proc/self/stat), so a recycled PID is not mistaken for the holder. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch { return undefined; }
}

function alive(h: LockHolder): boolean {
  if (!Number.isInteger(h.pid) || h.pid <= 0) return false;
  try { process.kill(h.pid, 0); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false; }
  const now = startTime(h.pid);
  return !(h.start && now && now !== h.start);
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.command === 'string' && typeof v.since === 'string') return { pid: v.pid, command: v.command.slice(0, 200), since: v.since.slice(0, 40), start: typeof v.start === 'string' ? v.start : undefined };
  } catch { /* being written, or garbage */ }
  return undefined;
}

function sleepSync(ms: number): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/** Tries once to create the lock file; false when it exists. */
function tryCreate(path: string, me: LockHolder): boolean {
  let fd: number;
  try { fd = openSync(path, 'wx', 0o644); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockError(path, e);
  }
  try { writeSync(fd, `${JSON.stringify(me)}\n`); } finally { closeSync(fd); }
  return true;
}

/** Removes a stale lock only if it is still the one judged stale (another run may have taken it over meanwhile). */
function takeOver(path: string, stale: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try { renameSync(path, aside); } catch { return; }
  let now = '';
  try { now = readFileSync(aside, 'utf8'); } catch { /* gone */ }
  if (now === stale) { rmSync(aside, { force: true }); return; }
  // Someone else's fresh lock: put it back unless yet another run has created one meanwhile (link never overwrites).
  try { linkSync(aside, path); } catch { /* taken again */ }
  rmSync(aside, { force: true });
}

/** Takes the lock on a lab directory (waiting up to waitMs); returns the function that releases it. Synchronous. */
export function acquireLabLock(dir: string, command: string, opts: LockOptions = {}): () => void {
  const path = lockPathFor(dir);
  const mine = held.get(path);
  if (mine) { mine.count++; return once(() => release(path)); }
  const me: LockHolder = { pid: process.pid, command, since: new Date().toISOString(), start: startTime(process.pid), dir: canonical(dir) };
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  let told = false;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (tryCreate(path, me)) break;
    let text = '';
    try { text = readFileSync(path, 'utf8'); } catch { continue; }
    const holder = readHolder(path);
    if (!holder) {
      // Half-written by a run that is creating it right now, or garbage left by a crash: garbage once it is old.
      let age = 0;
      try { age = Date.now() - lstatSync(path).mtimeMs; } catch { continue; }
      if (age > 2000) { takeOver(path, text); continue; }
    } else if (!alive(holder)) { takeOver(path, text); continue; }
    if (Date.now() >= deadline) throw new LabLockedError(canonical(dir), holder ?? { pid: 0, command: '(unreadable lock file)', since: '?' }, path);
    if (!told && holder) { told = true; opts.onWait?.(holder, path); }
    sleepSync(delay);
  }
  held.set(path, { count: 1, path });
  if (!exitHook) {
    exitHook = true;
    // A process that exits while holding a lock (an uncaught error, process.exit) still frees it.
    process.on('exit', () => { for (const h of held.values()) rmSync(h.path, { force: true }); held.clear(); });
  }
  return once(() => release(path));
}

function once(f: () => void): () => void { let done = false; return () => { if (!done) { done = true; f(); } }; }

function release(path: string): void {
  const h = held.get(path);
  if (!h) return;
  if (--h.count > 0) return;
  held.delete(path);
  // Only our own lock file is removed.
  if (existsSync(path) && readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** Runs fn holding the lab directory's lock (render, create, destroy, and anything that drives the lab's machines:
 * stop, start, logs, verify, snapshot). Waits briefly for another labgen, then fails naming it (command, PID, since). */
export async function withLabLock<T>(dir: string, command: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const releaseLock = acquireLabLock(dir, command, opts);
  try { return await fn(); } finally { releaseLock(); }
}

/** The synchronous form of withLabLock, for code that is synchronous anyway (render). */
export function withLabLockSync<T>(dir: string, command: string, fn: () => T, opts: LockOptions = {}): T {
  const releaseLock = acquireLabLock(dir, command, opts);
  try { return fn(); } finally { releaseLock(); }
}
