// Writes rendered files once. A new directory appears whole (staged beside it, then one rename); an existing one is
// updated all-or-nothing through a journal (journal.ts). labgen never overwrites a file it did not write, never
// overwrites a file the user changed unless --force, and never takes over a directory it did not create unless
// --adopt. Every directory and file gets an explicit mode (umask does not matter): secrets/ 0700, secrets 0600.
import { chmodSync, lstatSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { LabSecrets } from '../render/secrets.js';
import { secretsProblem } from '../render/secrets.js';
import type { RenderedFile } from '../render/types.js';
import { commitUpdate, dirModeFor, recoverUpdate, type Change } from './journal.js';
import { acquireLabLock } from './lock.js';
import { CorruptManifestError, isOurs, MANIFEST, manifestText, readManifest, sha256, type Manifest } from './manifest.js';
import { checkInLab, checkLabRoot, ensureDirInLab, notOursError, readInLab } from './safe-path.js';

export { MANIFEST } from './manifest.js';

/** Files labgen writes that a project may already have of its own (adopting a directory): the user's copy is kept. */
const USER_MAY_OWN = new Set(['README.md', '.gitignore', 'topology.svg']);

/** How a write may treat what is already there. */
export interface WriteOptions {
  /** Overwrite files labgen wrote that the user has changed since (never files labgen did not write). */
  force?: boolean;
  /** Write into a non-empty directory labgen did not create (its own files there are kept). */
  adopt?: boolean;
  /** The command, for the lock (`render`, `create`). */
  command?: string;
}

/** What a write did. */
export interface WriteSummary { dir: string; created: boolean; written: string[]; unchanged: string[]; removed: string[]; kept: string[] }

function opts(o: boolean | WriteOptions | undefined): WriteOptions { return typeof o === 'boolean' ? { force: o } : (o ?? {}); }

/** Secrets already in a lab directory (kept so a running cluster's joins keep working), if complete and valid. */
export function readSecrets(dir: string): LabSecrets | undefined {
  if (!checkLabRoot(dir)) return undefined;
  const token = readInLab(dir, 'secrets/bootstrap-token');
  const key = readInLab(dir, 'secrets/ca.key');
  if (!token || !key) return undefined;
  const s = { bootstrapToken: token.toString('utf8').trim(), caKeyPem: key.toString('utf8') };
  return secretsProblem(s) ? undefined : s;
}

/** Files labgen wrote earlier that the user has since changed. */
export function changedByUser(dir: string, m: Manifest | undefined = readManifest(dir)): string[] {
  if (!m) return [];
  return Object.entries(m.files).filter(([path, hash]) => {
    const buf = readInLab(dir, path);
    return buf !== undefined && sha256(buf) !== hash;
  }).map(([path]) => path).sort();
}

function nonEmpty(dir: string): boolean { return readdirSync(dir).length > 0; }

/** Refuses (exit 2) to write where labgen must not: a non-directory, a directory labgen did not create (unless
 * adopt), files the user changed (unless force). Completes an interrupted update first. */
export function checkWritable(dir: string, force: boolean | WriteOptions = false, adoptArg?: boolean): void {
  const o = { ...opts(force), ...(adoptArg !== undefined ? { adopt: adoptArg } : {}) };
  const release = acquireLabLock(dir, o.command ?? 'render');
  try { precheck(dir, o); } finally { release(); }
}

/** The manifest, or (only with --adopt) none for a corrupt one: the user took the directory over, so every file in it
 * counts as theirs and none is overwritten. Without --adopt a corrupt manifest stays an error (exit 2). */
function readManifestOrAdopt(dir: string, o: WriteOptions): Manifest | undefined {
  try { return readManifest(dir); } catch (e) {
    if (e instanceof CorruptManifestError && o.adopt) return undefined;
    throw e;
  }
}

function precheck(dir: string, o: WriteOptions): Manifest | undefined {
  if (!checkLabRoot(dir)) return undefined;
  recoverUpdate(dir);
  const m = readManifestOrAdopt(dir, o);
  if (!m) {
    if (nonEmpty(dir) && !o.adopt) {
      throw new UsageError(`${dir} exists and was not written by labgen`,
        'choose another --out directory, or add --adopt to render into it anyway (labgen then never overwrites a file it did not write; --force does not change that)');
    }
    return undefined;
  }
  const changed = changedByUser(dir, m);
  if (changed.length && !o.force) throw new UsageError(`${dir} has files you changed since labgen wrote them: ${changed.join(', ')}`, 'move your changes into the lab file, or add --force to overwrite them');
  return m;
}

/** Replaces one file labgen generated (e.g. the picture redrawn once the cluster is up) and records it as labgen's own,
 * so the next render does not mistake it for a user's change. A file of the user's at that path is left alone. */
export function rewriteGenerated(dir: string, path: string, content: string): void {
  const release = acquireLabLock(dir, 'render');
  try {
    recoverUpdate(dir);
    const m = readManifest(dir) ?? { files: {}, secrets: [] };
    const existing = readInLab(dir, path);
    if (existing !== undefined && !isOurs(m, path)) return;
    const files = { ...m.files, [path]: sha256(content) };
    commitUpdate(dir, { write: [{ path, content, mode: 0o644 }, { path: MANIFEST, content: manifestText({ files, secrets: m.secrets }), mode: 0o644 }], remove: [] });
  } finally { release(); }
}

/** Writes the project under the lab's lock; refuses (exit 2, nothing written) whatever checkWritable refuses, and
 * any file in the way that labgen did not write. `force` may be the old boolean or the options. */
export function writeProject(dir: string, files: RenderedFile[], force: boolean | WriteOptions = false): WriteSummary {
  const o = opts(force);
  const release = acquireLabLock(dir, o.command ?? 'render');
  try { return write(dir, files, o); } finally { release(); }
}

function write(dir: string, files: RenderedFile[], o: WriteOptions): WriteSummary {
  const exists = checkLabRoot(dir) !== undefined;
  const old = precheck(dir, o);
  if (!exists || (!old && !nonEmpty(dir))) return createNew(dir, files, exists);

  const kept: string[] = [];
  const refused: string[] = [];
  const plan: Change[] = [];
  const unchanged: string[] = [];
  const ours = files.filter((f) => {
    const st = checkInLab(dir, f.path, 'file');
    if (st && !isOurs(old, f.path)) {
      const same = readInLab(dir, f.path)?.equals(Buffer.from(f.content)) ?? false;
      if (USER_MAY_OWN.has(f.path)) { kept.push(f.path); return false; }
      if (!same) { refused.push(f.path); return false; }
    }
    return true;
  });
  if (refused.length) {
    throw new UsageError(`${dir} holds files labgen did not write where the lab needs its own: ${refused.join(', ')}`,
      'labgen never overwrites a file it did not write. Move them away, or render into another --out directory');
  }
  const manifest: Manifest = {
    files: Object.fromEntries(ours.filter((f) => !f.secret).map((f) => [f.path, sha256(f.content)])),
    secrets: ours.filter((f) => f.secret).map((f) => f.path),
  };
  const all: RenderedFile[] = [...ours, { path: MANIFEST, content: manifestText(manifest), mode: 0o644 }];
  for (const f of all) {
    const cur = readInLab(dir, f.path);
    const st = cur ? lstatSync(join(dir, f.path)) : undefined;
    if (cur && st && cur.equals(Buffer.from(f.content)) && (st.mode & 0o777) === f.mode) { unchanged.push(f.path); continue; }
    plan.push({ path: f.path, content: f.content, mode: f.mode });
  }
  const keep = new Set(all.map((f) => f.path));
  const remove = [...Object.keys(old?.files ?? {}), ...(old?.secrets ?? [])].filter((p) => !keep.has(p) && checkInLab(dir, p, 'file'));
  commitUpdate(dir, { write: plan, remove });
  // Directories labgen owns get their modes even when nothing in them changed (a lab written under umask 000).
  for (const d of new Set(all.map((f) => dirname(f.path)).filter((d) => d !== '.'))) if (checkInLab(dir, d, 'dir')) chmodSync(join(dir, d), dirModeFor(d));
  return { dir, created: false, written: plan.map((c) => c.path), unchanged, removed: remove, kept };
}

/** A new (or empty) directory: everything is staged in a private directory beside it, then renamed into place. */
function createNew(dir: string, files: RenderedFile[], existed: boolean): WriteSummary {
  const manifest: Manifest = { files: Object.fromEntries(files.filter((f) => !f.secret).map((f) => [f.path, sha256(f.content)])), secrets: files.filter((f) => f.secret).map((f) => f.path) };
  const all = [...files, { path: MANIFEST, content: manifestText(manifest), mode: 0o644 }];
  removeStaleStaging(dir);
  const tmp = stagingDir(dir);
  try {
    for (const f of all) {
      const parent = dirname(f.path);
      if (parent !== '.') ensureDirInLab(tmp, parent, dirModeFor(f.path));
      putNew(join(tmp, f.path), f.content, f.mode);
    }
    chmodSync(tmp, 0o755);
    if (existed) rmdirSync(dir); // empty (checked under the lock), so the rename below can take its place
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir, created: true, written: all.map((f) => f.path), unchanged: [], removed: [], kept: [] };
}

function stagingPrefix(dir: string): string { return `.${basename(dir)}.labgen-`; }

/** Staging directories of this lab left by a run that was killed before its rename (the lock is held: none is live). */
function removeStaleStaging(dir: string): void {
  let names: string[] = [];
  try { names = readdirSync(dirname(dir)); } catch { return; }
  for (const n of names) {
    if (!n.startsWith(stagingPrefix(dir)) || !/^[A-Za-z0-9]{6}$/.test(n.slice(stagingPrefix(dir).length))) continue;
    const p = join(dirname(dir), n);
    if (lstatSync(p).isDirectory()) rmSync(p, { recursive: true, force: true });
  }
}

/** Creates the parent of a new lab directory and a staging directory beside it; failures are the user's --out (exit 2). */
function stagingDir(dir: string): string {
  try {
    ensureDir(dirname(dir));
    return mkdtempSync(join(dirname(dir), stagingPrefix(dir)));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose an --out directory you can write to');
  }
}

/** mkdir -p one level at a time (Node's recursive mkdir spins forever on some paths, e.g. under /proc); 0755 each. */
function ensureDir(dir: string): void {
  let st;
  try { st = lstatSync(dir); } catch { st = undefined; }
  if (st?.isSymbolicLink()) { try { st = lstatSync(`${dir}/.`); } catch { throw notOursError(dir, 'a dangling symbolic link', 'a directory'); } }
  if (st) {
    if (!st.isDirectory()) throw new UsageError(`${dir} is not a directory`, 'choose an --out directory whose parents are directories');
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  ensureDirInLab(parent, basename(dir), 0o755);
}

/** Creates a file in the private staging directory ('wx': never an existing one) with its exact mode. */
function putNew(path: string, content: string, mode: number): void {
  writeFileSync(path, content, { mode, flag: 'wx' });
  chmodSync(path, mode);
}
