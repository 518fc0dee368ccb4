// Reads a lab by name (labs/<name>.yaml) or path; the only file access of the lab module.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, UsageError } from '../errors.js';
import type { Registries } from '../registries.js';
import { inertText } from './inert.js';
import { LAB_LIMITS, parseLab } from './parse.js';
import type { LabDefinition } from './types.js';

/** The package root (holds the shared templates/ and labs/), found from this file's location in src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'templates'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the labgen package root');
    dir = up;
  }
  return dir;
}

/** Where labs are looked up by name: ./labs first, then the labs shipped with labgen. */
export function labDirs(cwd = process.cwd()): string[] {
  const dirs = [resolve(cwd, 'labs'), join(packageRoot(), 'labs')];
  return [...new Set(dirs)].filter((d) => existsSync(d));
}

/** A directory's entries, sorted; none when it is not a readable directory (a file named labs, no permission). */
function entries(dir: string): string[] {
  try { return readdirSync(dir).sort(); } catch { return []; }
}

/** Names of the labs found in the lab directories (any entry named *.yaml: `list` reports those that are not lab files). */
export function listLabFiles(dirs = labDirs()): { name: string; path: string }[] {
  const seen = new Map<string, string>();
  for (const d of dirs) for (const f of entries(d)) {
    const m = /^(.+)\.ya?ml$/.exec(f);
    if (m && !seen.has(m[1]!)) seen.set(m[1]!, join(d, f));
  }
  return [...seen].map(([name, path]) => ({ name, path }));
}

/** Levenshtein distance, for "did you mean" (lab names are short: the quadratic table is tiny). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The one known name within a typo or two of ref (at most a third of its length), if there is exactly one nearest. */
export function closest(ref: string, known: string[]): string | undefined {
  if (ref.length > 200) return undefined;
  const scored = known.map((k) => ({ k, d: editDistance(ref.toLowerCase(), k.toLowerCase()) })).filter((x) => x.d <= Math.max(1, Math.min(3, Math.floor(ref.length / 3))));
  const best = Math.min(...scored.map((x) => x.d));
  const hits = scored.filter((x) => x.d === best);
  return hits.length === 1 ? hits[0]!.k : undefined;
}

/** Finds a lab file from a name or a path, or explains what exists. */
export function findLab(ref: string, dirs = labDirs()): string {
  if (/[/\\]|\.ya?ml$/.test(ref)) {
    if (!existsSync(ref)) throw new UsageError(`lab file "${ref}" does not exist`, 'pass a lab name from `labgen list` or the path of a lab file');
    if (!statSync(ref).isFile()) throw new UsageError(`"${ref}" is not a file`, 'pass the path of a lab YAML file (a lab directory is what status, verify and graph take)');
    return resolve(ref);
  }
  const hit = listLabFiles(dirs).find((l) => l.name === ref);
  if (hit) return hit.path;
  const known = listLabFiles(dirs).map((l) => l.name);
  const near = closest(ref, known);
  throw new UsageError(`lab "${ref}" is not known.${near ? ` Did you mean ${near}?` : ''} Known labs are [${known.join(', ')}]`, 'pass a lab name from `labgen list` or the path of a lab file');
}

/** What a path is, in words, when it is not a regular file (so it is never opened: a FIFO would block forever). */
export function notAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  return st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
}

/**
 * Reads a lab file's text, at most LAB_LIMITS.maxBytes (+1 to tell a larger file); an unreadable, special or too
 * large file is a usage error (exit 2), not a crash or a hang. The type is checked before opening and again on the
 * open descriptor (opened non-blocking, so a FIFO swapped in between cannot block).
 */
export function readLabText(path: string, maxBytes = LAB_LIMITS.maxBytes): string {
  const shown = inertText(path);
  const fail = (what: string) => new UsageError(`cannot read lab file "${shown}": ${what}`, 'pass the path of a lab YAML file (labgen list shows the known labs)');
  let st: Stats;
  try { st = statSync(path); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    let dangling = false;
    try { dangling = code === 'ENOENT' && lstatSync(path).isSymbolicLink(); } catch { /* not there at all */ }
    throw fail(dangling ? 'it is a symbolic link to a file that does not exist' : code ?? (e as Error).message);
  }
  const kind = notAFile(st);
  if (kind) throw fail(`it is ${kind}, not a lab file`);
  if (st.size > maxBytes) throw fail(`it is ${st.size.toLocaleString('en-US')} bytes; a lab file is at most ${maxBytes.toLocaleString('en-US')} bytes (a real lab is a few KB)`);
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); } catch (e) { throw fail((e as NodeJS.ErrnoException).code ?? (e as Error).message); }
  try {
    const again = notAFile(fstatSync(fd));
    if (again) throw fail(`it is ${again}, not a lab file`);
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > maxBytes) throw fail(`it is larger than ${maxBytes.toLocaleString('en-US')} bytes; a lab file is a few KB`);
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  } finally { closeSync(fd); }
}

/** Reads, parses and validates a lab; throws InvalidInputError with every problem. */
export function loadLab(ref: string, reg: Registries): { lab: LabDefinition; path: string } {
  const path = findLab(ref);
  const text = readLabText(path);
  const { lab, problems } = parseLab(text, reg);
  if (!lab) throw new InvalidInputError(path, problems);
  return { lab, path };
}
