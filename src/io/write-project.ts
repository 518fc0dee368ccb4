// Writes rendered files once: a new directory appears whole (temp dir + rename); an existing one is updated file by
// file only after every file is staged, and never over a file the user changed unless --force.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { LabSecrets } from '../render/secrets.js';
import { secretsProblem } from '../render/secrets.js';
import type { RenderedFile } from '../render/types.js';

/** Where labgen records what it wrote, so user edits can be told from its own output. */
export const MANIFEST = '.labgen/manifest.json';

interface Manifest { files: Record<string, string> }

/** What a write did. */
export interface WriteSummary { dir: string; created: boolean; written: string[]; unchanged: string[]; removed: string[] }

function sha256(text: string | Buffer): string { return createHash('sha256').update(text).digest('hex'); }

function readManifest(dir: string): Manifest | undefined {
  const p = join(dir, MANIFEST);
  if (!existsSync(p)) return undefined;
  try { return JSON.parse(readFileSync(p, 'utf8')) as Manifest; } catch { return undefined; }
}

/** Secrets already in a lab directory (kept so a running cluster's joins keep working), if complete and valid. */
export function readSecrets(dir: string): LabSecrets | undefined {
  const tokenPath = join(dir, 'secrets/bootstrap-token');
  const keyPath = join(dir, 'secrets/ca.key');
  if (!existsSync(tokenPath) || !existsSync(keyPath)) return undefined;
  const s = { bootstrapToken: readFileSync(tokenPath, 'utf8').trim(), caKeyPem: readFileSync(keyPath, 'utf8') };
  return secretsProblem(s) ? undefined : s;
}

/** Files labgen wrote earlier that the user has since changed or deleted. */
export function changedByUser(dir: string): string[] {
  const m = readManifest(dir);
  if (!m) return [];
  return Object.entries(m.files).filter(([path, hash]) => {
    const p = join(dir, path);
    return existsSync(p) && sha256(readFileSync(p)) !== hash;
  }).map(([path]) => path).sort();
}

/** Refuses (exit 2) to overwrite what is not labgen's own unchanged output, unless forced. */
export function checkWritable(dir: string, force: boolean): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`, 'choose another --out directory');
  if (!existsSync(dir) || force) return;
  if (!readManifest(dir)) {
    if (readdirSync(dir).length > 0) throw new UsageError(`${dir} exists and was not written by labgen`, 'choose another --out directory, or add --force to write into it anyway');
    return;
  }
  const changed = changedByUser(dir);
  if (changed.length) throw new UsageError(`${dir} has files you changed since labgen wrote them: ${changed.join(', ')}`, 'move your changes into the lab file, or add --force to overwrite them');
}

/** Replaces one file labgen generated (e.g. the picture redrawn once the cluster is up) and records it as labgen's own,
 * so the next render does not mistake it for a user's change. */
export function rewriteGenerated(dir: string, path: string, content: string): void {
  const manifest = readManifest(dir) ?? { files: {} };
  const target = join(dir, path);
  const tmp = `${target}.labgen-tmp`;
  put(tmp, content, 0o644);
  renameSync(tmp, target);
  manifest.files[path] = sha256(content);
  const mtmp = join(dir, `${MANIFEST}.labgen-tmp`);
  put(mtmp, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
  renameSync(mtmp, join(dir, MANIFEST));
}

/** Writes the project; call checkWritable first (this re-checks). */
export function writeProject(dir: string, files: RenderedFile[], force: boolean): WriteSummary {
  checkWritable(dir, force);
  const manifest: Manifest = { files: Object.fromEntries(files.filter((f) => !f.secret).map((f) => [f.path, sha256(f.content)])) };
  const all = [...files, { path: MANIFEST, content: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o644 }];
  if (!existsSync(dir)) {
    const tmp = stagingDir(dir);
    try {
      for (const f of all) put(join(tmp, f.path), f.content, f.mode);
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return { dir, created: true, written: all.map((f) => f.path), unchanged: [], removed: [] };
  }
  const old = readManifest(dir);
  const staged: { tmp: string; final: string; path: string }[] = [];
  const unchanged: string[] = [];
  try {
    for (const f of all) {
      const final = join(dir, f.path);
      if (existsSync(final) && readFileSync(final, 'utf8') === f.content) { chmodSync(final, f.mode); unchanged.push(f.path); continue; }
      const tmp = `${final}.labgen-tmp`;
      put(tmp, f.content, f.mode);
      staged.push({ tmp, final, path: f.path });
    }
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e;
  }
  for (const s of staged) renameSync(s.tmp, s.final);
  const keep = new Set(all.map((f) => f.path));
  const removed = Object.keys(old?.files ?? {}).filter((p) => !keep.has(p) && existsSync(join(dir, p)));
  for (const p of removed) unlinkSync(join(dir, p));
  return { dir, created: false, written: staged.map((s) => s.path), unchanged, removed };
}

/** Creates the parent of a new lab directory and a staging directory beside it; failures are the user's --out (exit 2). */
function stagingDir(dir: string): string {
  try {
    ensureDir(dirname(dir));
    return mkdtempSync(join(dirname(dir), `.${basename(dir)}.labgen-`));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose an --out directory you can write to');
  }
}

/** mkdir -p one level at a time (Node's recursive mkdir spins forever on some paths, e.g. under /proc). */
function ensureDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`, 'choose an --out directory whose parents are directories');
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  mkdirSync(dir);
}

function put(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
}
