// Reads a rendered lab directory back (labgen.json): what status, destroy, doctor, verify and graph start from.
// A lab directory is untrusted input: its own state paths must be real files and directories (never symlinks),
// an interrupted update is completed first (under the lab's lock), and labgen.json is re-validated (lab-json.ts).
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Registries } from '../registries.js';
import { interruptedUpdate, recoverUpdate } from './journal.js';
import { checkLabJson } from './lab-json.js';
import { withLabLockSync } from './lock.js';
import { readManifest } from './manifest.js';
import { checkInLab, checkLabRoot, readInLab } from './safe-path.js';

/** The file render writes into every lab directory. */
export const LAB_JSON = 'labgen.json';

/** What labgen keeps in a lab directory besides its rendered files, and the kind each must be. */
export const LAB_STATE: readonly { path: string; kind: 'file' | 'dir' }[] = [
  { path: LAB_JSON, kind: 'file' }, { path: '.labgen', kind: 'dir' }, { path: '.labgen/nodes', kind: 'dir' },
  { path: 'logs', kind: 'dir' }, { path: 'captures', kind: 'dir' }, { path: 'secrets', kind: 'dir' },
  { path: 'kubeconfig', kind: 'file' }, { path: '.vagrant', kind: 'dir' },
];

/** Whether a directory is a lab directory labgen rendered. */
export function isLabDir(dir: string): boolean {
  try { return lstatSync(join(dir, LAB_JSON)) !== undefined && statSync(dir).isDirectory(); } catch { return false; }
}

/** Refuses (exit 2) a lab directory whose state paths are symlinks or of the wrong kind (`.labgen -> /elsewhere`). */
export function checkLabShape(dir: string): void {
  checkLabRoot(dir);
  for (const s of LAB_STATE) checkInLab(dir, s.path, s.kind);
}

/** Reads and checks one labgen.json file (a path given directly, e.g. to graph); exit 2 naming the file otherwise. */
export function readLabFile(file: string, reg: Registries): ResolvedLab {
  const abs = resolve(file);
  return readLabJsonIn(dirname(abs), basename(abs), reg);
}

function readLabJsonIn(dir: string, name: string, reg: Registries): ResolvedLab {
  const file = join(dir, name);
  let value: unknown;
  try {
    const buf = readInLab(dir, name);
    if (!buf) throw new Error('no such file');
    value = JSON.parse(buf.toString('utf8')) as unknown;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file} cannot be read: ${(e as Error).message}`, 'render the lab again: labgen render <lab> --out <dir> (secrets are kept)');
  }
  const { lab, problems } = checkLabJson(value, reg);
  if (!lab) throw new InvalidInputError(file, problems);
  return lab;
}

/** Loads the lab of a lab directory (default: the current one), or explains how to get one (exit 2). An update that
 * was interrupted (kill -9 during render) is completed first, so every command sees a whole lab. The manifest is
 * read too: a corrupt one is an error here, before any command acts on the directory. */
export function readLabDir(dirArg: string | undefined, reg: Registries): { dir: string; lab: ResolvedLab } {
  const dir = resolve(dirArg ?? '.');
  if (dirArg === '') throw new UsageError('the lab directory argument is empty', 'pass the directory `labgen render --out` or `labgen create --out` wrote (e.g. ./flannel-4node)');
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`, 'pass the directory `labgen render --out` or `labgen create --out` wrote (e.g. ./flannel-4node)');
  if (!isLabDir(dir)) throw new UsageError(`${dir} is not a lab directory (no ${LAB_JSON})`, 'pass the directory `labgen render --out` or `labgen create --out` wrote (e.g. ./flannel-4node)');
  checkLabShape(dir);
  if (interruptedUpdate(dir)) withLabLockSync(dir, 'recover', () => recoverUpdate(dir));
  readManifest(dir);
  return { dir, lab: readLabJsonIn(dir, LAB_JSON, reg) };
}

/** The lab directory --out names (default: ./<lab name>). An empty --out, or one naming a dangling symlink or a
 * non-directory, is a usage error (exit 2); a symlink to a directory stands for that directory. */
export function resolveOutDir(out: string | undefined, defaultName: string): string {
  if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a directory', `write --out DIR (without --out labgen writes into ./${defaultName})`);
  const dir = resolve(out ?? defaultName);
  let st;
  try { st = lstatSync(dir); } catch { return dir; }
  if (st.isSymbolicLink()) {
    let target: string;
    try { target = realpathSync(dir); } catch {
      throw new UsageError(`--out ${dir} is a symbolic link to something that does not exist`, 'remove the link, or point --out at a real directory (or a path that does not exist yet)');
    }
    if (!existsSync(target) || !statSync(target).isDirectory()) throw new UsageError(`--out ${dir} is a symbolic link to ${target}, which is not a directory`, 'point --out at a directory');
    return target;
  }
  if (!st.isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`, 'choose another --out directory');
  return dir;
}
