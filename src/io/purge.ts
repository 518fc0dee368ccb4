// `destroy --purge`: removes from a lab directory only what labgen wrote (the files its manifest lists, unchanged; its
// secrets; its own state: .labgen, logs, captures, kubeconfig, and Vagrant's .vagrant), never a file of the user's,
// and removes the directory itself only when nothing else is left in it.
import { readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { pruneEmptyParents } from './journal.js';
import { readManifest, sha256, STATE_DIR } from './manifest.js';
import { checkInLab, readInLab } from './safe-path.js';

/** labgen's (and Vagrant's) state in a lab directory, removed whole by --purge. */
const OWN_STATE: readonly { path: string; kind: 'file' | 'dir' }[] = [
  { path: 'logs', kind: 'dir' }, { path: 'captures', kind: 'dir' }, { path: '.vagrant', kind: 'dir' }, { path: 'kubeconfig', kind: 'file' },
];

/** What a purge removed and left. */
export interface PurgeResult { removed: string[]; changed: string[]; left: string[]; dirRemoved: boolean }

/** Lists what is left in a directory (relative paths, files and empty directories), at most `limit`. */
function listLeft(dir: string, limit = 20, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (out.length >= limit) break;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) { const inner = listLeft(dir, limit - out.length, rel); out.push(...(inner.length ? inner : [`${rel}/`])); } else out.push(rel);
  }
  return out;
}

/** Removes labgen's files from a lab directory (call with the lab's lock held, after checkLabShape). */
export function purgeLab(dir: string): PurgeResult {
  const m = readManifest(dir);
  if (!m) {
    throw new UsageError(`${dir} has no ${STATE_DIR}/manifest.json, so labgen cannot tell the files it wrote from yours; nothing was removed`,
      `the VMs are destroyed; remove the directory yourself if nothing in it is yours (rm -r ${dir})`);
  }
  const removed: string[] = [];
  const changed: string[] = [];
  // Check everything first: a symlink or special file anywhere labgen would remove stops the purge before it starts.
  for (const p of [...Object.keys(m.files), ...m.secrets]) checkInLab(dir, p, 'file');
  for (const s of OWN_STATE) checkInLab(dir, s.path, s.kind);
  checkInLab(dir, STATE_DIR, 'dir');
  for (const [p, hash] of Object.entries(m.files)) {
    const buf = readInLab(dir, p);
    if (!buf) continue;
    if (sha256(buf) !== hash) { changed.push(p); continue; }
    unlinkSync(join(dir, p));
    removed.push(p);
    pruneEmptyParents(dir, p);
  }
  for (const p of m.secrets) {
    if (!checkInLab(dir, p, 'file')) continue;
    unlinkSync(join(dir, p));
    removed.push(p);
    pruneEmptyParents(dir, p);
  }
  for (const s of OWN_STATE) {
    if (!checkInLab(dir, s.path, s.kind)) continue;
    // rmSync never follows symlinks inside a directory: it removes the links themselves.
    rmSync(join(dir, s.path), { recursive: true, force: true });
    removed.push(s.kind === 'dir' ? `${s.path}/` : s.path);
  }
  rmSync(join(dir, STATE_DIR), { recursive: true, force: true });
  removed.push(`${STATE_DIR}/`);
  const left = listLeft(dir);
  if (left.length === 0) { rmdirSync(dir); return { removed, changed, left, dirRemoved: true }; }
  return { removed, changed, left, dirRemoved: false };
}
