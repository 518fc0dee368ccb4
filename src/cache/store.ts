// The download cache on disk: one file per URL under <cache dir>/v1/files, named by the SHA-256 of the URL, beside a
// small JSON record of what it is. A file is served only after its bytes hash to what the repository's metadata
// says; one that does not is removed. Nothing here follows a symbolic link.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Expected } from './checksums.js';

/** The layout version: a future layout uses another directory, and `cache clear` removes every one it knows. */
export const LAYOUT = 'v1';
const ENTRY = /^[0-9a-f]{64}$/;
const META = /^[0-9a-f]{64}\.json$/;

/** What the record beside a cached file says. */
export interface EntryMeta { url: string; sha256: string; size: number; stored: string; /** What upstream said it is (a registry manifest's media type). */ contentType?: string }

/** Where one URL's file and record live. */
export function entryName(url: string): string { return createHash('sha256').update(url).digest('hex'); }

/** The SHA-256 of a file's bytes, read without following a link (a link or special file is no entry). */
export async function hashFile(path: string): Promise<{ sha256: string; size: number } | undefined> {
  let st: Stats;
  try { st = lstatSync(path); } catch { return undefined; }
  if (!st.isFile()) return undefined;
  const h = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { flags: 'r' }) as AsyncIterable<Buffer>) { h.update(chunk); size += chunk.length; }
  } catch { return undefined; }
  return { sha256: h.digest('hex'), size };
}

/** The cache's own files under one directory. */
export class CacheStore {
  readonly files: string;
  readonly tmp: string;
  readonly stats: string;
  constructor(readonly root: string) {
    this.files = join(root, LAYOUT, 'files');
    this.tmp = join(root, LAYOUT, 'tmp');
    this.stats = join(root, LAYOUT, 'stats');
  }

  /** Creates the directories (0700: what a user downloaded is theirs alone), refusing any that is a link. */
  ensure(): void {
    for (const d of [this.root, join(this.root, LAYOUT), this.files, this.tmp, this.stats]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      if (!lstatSync(d).isDirectory()) throw new Error(`${d} is not a directory (a symbolic link or a file): remove it, or set XDG_CACHE_HOME elsewhere`);
    }
  }

  /** A fresh private path for a download in progress (renamed into place once verified). */
  tempPath(): string { return join(this.tmp, `${process.pid}-${randomBytes(6).toString('hex')}`); }

  /** The cached file of `url` when its bytes hash to `expected`; a mismatching file is removed. */
  async verified(url: string, expected: Expected): Promise<{ path: string; size: number; contentType?: string } | 'dropped' | undefined> {
    const name = entryName(url);
    const path = join(this.files, name);
    const got = await hashFile(path);
    if (!got) return undefined;
    if (got.sha256 === expected.sha256 && (expected.size === undefined || expected.size === got.size)) {
      let contentType: string | undefined;
      try {
        const meta = JSON.parse(readFileSync(join(this.files, `${name}.json`), 'utf8')) as Partial<EntryMeta>;
        if (typeof meta.contentType === 'string') contentType = meta.contentType;
      } catch { /* no record: served as octet-stream */ }
      return { path, size: got.size, ...(contentType ? { contentType } : {}) };
    }
    this.drop(name);
    return 'dropped';
  }

  /** Moves a verified download into place with its record. */
  commit(tempPath: string, url: string, sha256: string, size: number, contentType?: string): void {
    const name = entryName(url);
    const meta: EntryMeta = { url, sha256, size, stored: new Date().toISOString(), ...(contentType ? { contentType } : {}) };
    const metaTmp = `${tempPath}.json`;
    writeFileSync(metaTmp, `${JSON.stringify(meta)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(tempPath, join(this.files, name));
    renameSync(metaTmp, join(this.files, `${name}.json`));
  }

  /** Removes one entry (file and record), never through a link. */
  drop(name: string): void {
    for (const p of [join(this.files, name), join(this.files, `${name}.json`)]) { try { unlinkSync(p); } catch { /* gone already */ } }
  }
}

/** What `labgen cache info` shows. */
export interface CacheInfo { dir: string; exists: boolean; entries: number; bytes: number; lastRun?: unknown }

function dirIfReal(path: string): boolean {
  try { return lstatSync(path).isDirectory(); } catch { return false; }
}

/** Size and entry count of the cache, counting only regular files it wrote (links and strangers are not followed). */
export function cacheInfo(root: string): CacheInfo {
  const store = new CacheStore(root);
  const info: CacheInfo = { dir: root, exists: dirIfReal(join(root, LAYOUT)), entries: 0, bytes: 0 };
  if (!info.exists) return info;
  if (dirIfReal(store.files)) {
    for (const name of readdirSync(store.files)) {
      if (!ENTRY.test(name) && !META.test(name)) continue;
      const st = lstatSync(join(store.files, name));
      if (!st.isFile()) continue;
      info.bytes += st.size;
      if (ENTRY.test(name)) info.entries++;
    }
  }
  try {
    const p = join(store.stats, 'last-run.json');
    if (lstatSync(p).isFile()) info.lastRun = JSON.parse(readFileSync(p, 'utf8'));
  } catch { /* no run recorded yet */ }
  return info;
}

/**
 * Removes the cache's own files: entries and records under files/, downloads in progress under tmp/, the stats,
 * and those directories when they are then empty. A symbolic link is removed as a link, never followed; a file
 * labgen did not name is kept (and reported).
 */
export function clearCache(root: string): { removed: number; bytes: number; kept: string[] } {
  const store = new CacheStore(root);
  const out = { removed: 0, bytes: 0, kept: [] as string[] };
  const sweep = (dir: string, ours: (name: string) => boolean) => {
    if (!dirIfReal(dir)) { if (lstatOrUndefined(dir)) out.kept.push(dir); return; }
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (!ours(name) || st.isDirectory()) { out.kept.push(p); continue; }
      unlinkSync(p);
      out.removed++;
      if (st.isFile()) out.bytes += st.size;
    }
    try { rmdirSync(dir); } catch { /* not empty: something of someone else's is kept */ }
  };
  sweep(store.files, (n) => ENTRY.test(n) || META.test(n));
  sweep(store.tmp, (n) => /^[0-9]+-[0-9a-f]{12}(\.json)?$/.test(n));
  sweep(store.stats, (n) => n === 'last-run.json' || n === 'runs.jsonl');
  try { if (dirIfReal(join(root, LAYOUT))) rmdirSync(join(root, LAYOUT)); } catch { /* kept: not empty */ }
  return out;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try { return lstatSync(p); } catch { return undefined; }
}
