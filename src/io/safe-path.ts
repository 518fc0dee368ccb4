// Paths inside a lab directory, treated as untrusted input: a relative path read from the directory (manifest,
// journal) is checked before it is joined, and no component of a path labgen reads, writes or removes may be a
// symbolic link or a file of the wrong kind (a planted `provision -> /elsewhere` must not redirect a write).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, chmodSync, openSync, readSync, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';

/** Longest relative path and deepest nesting labgen ever writes, with room to spare. */
const MAX_PATH = 512;
const MAX_DEPTH = 8;

/** Why a relative path from a lab directory is unacceptable (undefined: fine). Relative, `/`-separated, no `.`/`..`. */
export function relPathProblem(rel: unknown): string | undefined {
  if (typeof rel !== 'string' || rel === '') return 'must be a non-empty relative path';
  if (rel.length > MAX_PATH) return `is longer than ${MAX_PATH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(rel)) return 'holds a control character or a backslash';
  if (isAbsolute(rel) || rel.startsWith('/')) return 'is absolute; only paths inside the lab directory are allowed';
  const parts = rel.split('/');
  if (parts.length > MAX_DEPTH) return `is nested deeper than ${MAX_DEPTH} levels`;
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'has an empty, "." or ".." component; only paths inside the lab directory are allowed';
  return undefined;
}

/** Joins a checked relative path to the lab directory; a bad one is an input error naming where it came from. */
export function labPath(dir: string, rel: string, source: string): string {
  const p = relPathProblem(rel);
  if (p) throw new UsageError(`${source}: path ${JSON.stringify(String(rel).slice(0, 80))} ${p}`, fixFor(source));
  return join(dir, rel);
}

function fixFor(source: string): string {
  return `${source} was edited or corrupted; restore it (e.g. git checkout) or render the lab into a new directory (labgen render <lab> --out NEWDIR)`;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try { return lstatSync(p); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The refusal for a path that is not what labgen expects there (a symlink, a FIFO, a directory where a file goes). */
export function notOursError(path: string, what: string, expected: string): UsageError {
  return new UsageError(`${path} is ${what}, where labgen expects ${expected}`,
    'labgen never reads, writes or removes through a symbolic link or a special file inside a lab directory.\n'
    + `      fix: look at it and remove it yourself if it is not yours (rm ${path}), then run the command again`);
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a regular file';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a device or special file';
}

/** Checks every component of dir/rel: parents must be real directories, the last one absent or of the wanted kind.
 * Returns the last component's stats (undefined when absent). */
export function checkInLab(dir: string, rel: string, want: 'file' | 'dir'): Stats | undefined {
  const parts = rel.split('/');
  let cur = dir;
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]!);
    const st = lstatOrUndefined(cur);
    if (!st) return undefined;
    const last = i === parts.length - 1;
    const wantDir = !last || want === 'dir';
    if (wantDir ? !st.isDirectory() : !st.isFile()) throw notOursError(cur, kindOf(st), wantDir ? 'a directory' : 'a regular file');
    if (last) return st;
  }
  return undefined;
}

/** The lab directory itself must be a real directory (not a symlink: its parent's lock would not guard its target). */
export function checkLabRoot(dir: string): Stats | undefined {
  const st = lstatOrUndefined(dir);
  if (st && !st.isDirectory()) throw notOursError(dir, kindOf(st), 'a lab directory');
  return st;
}

/** mkdir -p of dir/rel one component at a time with an explicit mode (umask does not matter), refusing symlinks. */
export function ensureDirInLab(dir: string, rel: string, mode = 0o755): void {
  let cur = dir;
  for (const part of rel.split('/')) {
    cur = join(cur, part);
    const st = lstatOrUndefined(cur);
    if (st) { if (!st.isDirectory()) throw notOursError(cur, kindOf(st), 'a directory'); continue; }
    mkdirSync(cur, { mode });
    chmodSync(cur, mode);
  }
}

/** Reads dir/rel if it is a regular file (never through a symlink, never a FIFO); undefined when absent. */
export function readInLab(dir: string, rel: string): Buffer | undefined {
  if (!checkInLab(dir, rel, 'file')) return undefined;
  const p = join(dir, rel);
  // O_NOFOLLOW | O_NONBLOCK: a symlink swapped in after the check fails, a FIFO does not block.
  const fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notOursError(p, kindOf(st), 'a regular file');
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) { const n = readSync(fd, buf, off, st.size - off, off); if (n === 0) break; off += n; }
    return buf.subarray(0, off);
  } finally { closeSync(fd); }
}
