// What a repository's own metadata says each file must hash to, learnt from the indexes guests fetch through the
// cache (apt Release/InRelease and Packages, RPM repomd.xml and primary.xml), and from content-addressed names
// (apt's by-hash/SHA256/<hex>, registry v2 blobs/sha256:<hex>). Pure: text in, expected checksums out.
import { gunzipSync } from 'node:zlib';

/** A file's expected SHA-256 (lower-case hex) and, when the metadata gives it, its size. */
export interface Expected { sha256: string; size?: number; from: string }

const HEX64 = /^[0-9a-f]{64}$/;

/** The checksum a URL's own name fixes: apt's by-hash (apt Acquire-By-Hash) and registry v2 blobs by sha256 digest. */
export function contentAddress(url: string): string | undefined {
  const path = new URL(url).pathname;
  const byHash = /\/by-hash\/SHA256\/([0-9a-f]{64})$/.exec(path);
  if (byHash) return byHash[1];
  // OCI distribution spec: GET /v2/<name>/blobs/<digest> and /v2/<name>/manifests/<digest>, the digest being the
  // sha256 of the content's bytes (a manifest fetched by tag has no known checksum and passes through).
  const blob = /^\/v2\/.+\/(?:blobs|manifests)\/sha256:([0-9a-f]{64})$/.exec(path);
  return blob?.[1];
}

/** Kinds of index the cache learns from, told apart by name (by-hash names resolve through the Release file). */
export type IndexKind = 'release' | 'packages' | 'repomd' | 'primary';

/** The kind of index a file name is, or undefined for any other file. */
export function indexKindOf(name: string): IndexKind | undefined {
  const base = name.replace(/^.*\//, '');
  if (base === 'Release' || base === 'InRelease') return 'release';
  if (/^Packages(\.gz)?$/.test(base)) return 'packages';
  if (base === 'repomd.xml') return 'repomd';
  if (/(^|-)primary\.xml(\.gz)?$/.test(base)) return 'primary';
  return undefined;
}

/** The text of an index body, gunzipped when it is gzip (magic 1f 8b); undefined when it is another compression. */
export function indexText(body: Buffer): string | undefined {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
    try { return gunzipSync(body, { maxOutputLength: 1 << 30 }).toString('utf8'); } catch { return undefined; }
  }
  // xz (fd 37 7a 58 5a 00), bzip2 (BZh), zstd (28 b5 2f fd): Node cannot read them; their entries stay unknown.
  if (body.length >= 4 && ((body[0] === 0xfd && body[1] === 0x37) || (body[0] === 0x42 && body[1] === 0x5a && body[2] === 0x68) || (body[0] === 0x28 && body[1] === 0xb5))) return undefined;
  return body.toString('utf8');
}

const dirOf = (url: string) => url.replace(/[^/]*$/, '');

/**
 * An apt Release or InRelease file at `url` (<root>/dists/<suite>/[In]Release): its SHA256 section, one
 * " <hex> <size> <path>" line per index, paths relative to the suite's directory (the apt repository format).
 */
export function parseRelease(url: string, text: string): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const base = dirOf(url);
  let inSha = false;
  for (const line of text.split('\n')) {
    if (/^SHA256:\s*$/.test(line)) { inSha = true; continue; }
    if (!/^\s/.test(line)) { inSha = false; continue; }
    if (!inSha) continue;
    const m = /^\s+([0-9a-f]{64})\s+([0-9]+)\s+(\S+)\s*$/.exec(line);
    if (m && !m[3]!.includes('..')) out.set(base + m[3], { sha256: m[1]!, size: Number(m[2]), from: url });
  }
  return out;
}

/**
 * An apt Packages index at `url`: each stanza's Filename with its SHA256 and Size. Filename is relative to the
 * archive root: the part of the URL before /dists/, or, for a flat repository ("deb <url> /", as pkgs.k8s.io), the
 * directory holding the Packages file (the apt repository format, "Flat Repository Format").
 */
export function parseDebPackages(url: string, text: string): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const dists = url.indexOf('/dists/');
  const root = dists >= 0 ? url.slice(0, dists + 1) : dirOf(url).replace(/by-hash\/SHA256\/$/, '');
  for (const stanza of text.split(/\n\s*\n/)) {
    const file = /^Filename:\s*(\S+)\s*$/m.exec(stanza)?.[1];
    const sha = /^SHA256:\s*([0-9a-f]{64})\s*$/m.exec(stanza)?.[1];
    const size = /^Size:\s*([0-9]+)\s*$/m.exec(stanza)?.[1];
    if (!file || !sha || file.includes('..') || file.startsWith('/')) continue;
    out.set(root + file.replace(/^\.\//, ''), { sha256: sha, ...(size ? { size: Number(size) } : {}), from: url });
  }
  return out;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeXml = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");

/** The repository base of an RPM metadata file: the directory above repodata/. */
function rpmBase(url: string): string | undefined {
  const i = url.lastIndexOf('/repodata/');
  return i >= 0 ? url.slice(0, i + 1) : undefined;
}

/**
 * The <tag> entries of an rpm repository's XML (repomd.xml's <data>, primary.xml's <package>) with a sha256 <checksum>
 * and a relative <location href> inside the repository: each as its URL under the repository base and its checksum,
 * with the size `size(body)` reads. `refuse(locationAttrs)` drops an entry for a reason of the caller's.
 */
function rpmEntries(url: string, text: string, tag: string, size: (body: string) => string | undefined, refuse: (locAttrs: string) => boolean = () => false): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const base = rpmBase(url);
  if (!base) return out;
  for (const m of text.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)<\\/${tag}>`, 'g'))) {
    const body = m[1]!;
    const sum = /<checksum\b([^>]*)>\s*([0-9a-f]+)\s*<\/checksum>/.exec(body);
    const loc = /<location\b([^>]*)\/?>/.exec(body);
    const href = loc ? attr(loc[1]!, 'href') : undefined;
    if (!sum || attr(sum[1]!, 'type') !== 'sha256' || !HEX64.test(sum[2]!) || !href || href.includes('..') || href.startsWith('/') || refuse(loc![1]!)) continue;
    const n = size(body);
    out.set(base + unescapeXml(href), { sha256: sum[2]!, ...(n ? { size: Number(n) } : {}), from: url });
  }
  return out;
}

/** repomd.xml (<base>/repodata/repomd.xml): every <data> entry's location and its sha256 <checksum> (createrepo_c). */
export function parseRepomd(url: string, text: string): Map<string, Expected> {
  return rpmEntries(url, text, 'data', (body) => /<size>\s*([0-9]+)\s*<\/size>/.exec(body)?.[1]);
}

/** primary.xml: each <package>'s <location href> (relative to the repository base) and its sha256 <checksum>. */
export function parseRpmPrimary(url: string, text: string): Map<string, Expected> {
  return rpmEntries(url, text, 'package', (body) => {
    const size = /<size\b([^>]*)\/?>/.exec(body);
    return size ? attr(size[1]!, 'package') : undefined;
  }, (locAttrs) => Boolean(attr(locAttrs, 'xml:base')));
}

/** The expected checksums a fetched index holds, by its kind. */
export function parseIndex(kind: IndexKind, url: string, body: Buffer): Map<string, Expected> {
  const text = indexText(body);
  if (text === undefined) return new Map();
  switch (kind) {
    case 'release': return parseRelease(url, text);
    case 'packages': return parseDebPackages(url, text);
    case 'repomd': return parseRepomd(url, text);
    case 'primary': return parseRpmPrimary(url, text);
  }
}

/**
 * Every checksum the proxy has seen in a repository's metadata during one run, by absolute URL. A later index
 * replaces an earlier entry for the same URL (the repository moved on), so a cached file is checked against the
 * metadata the guests see now.
 */
/**
 * `url` with its percent-escapes decoded once: apt escapes a pool file's name in the request (`+` as %2b, the `%3a`
 * of an epoch as %253a: apt-pkg's QuoteString), while Packages gives the name as it is (`runc_1.1.15+ds1...`,
 * `conntrack_1%3a1.4.8-2_amd64.deb`). Seen in the real-VM test: without this every such file went uncached.
 * Only a lookup key: the request upstream keeps the URL as apt sent it.
 */
function decodedOnce(url: string): string {
  try { return decodeURIComponent(url); } catch { return url; }
}

export class ChecksumIndex {
  private readonly byUrl = new Map<string, Expected>();
  /** Files named by a Release or repomd.xml, so a by-hash or hashed-name index is parsed as what it is. */
  private readonly kindByHash = new Map<string, IndexKind>();

  /** What the metadata seen so far says `url` must hash to; content-addressed names answer for themselves. */
  expected(url: string): Expected | undefined {
    const own = contentAddress(url);
    if (own) return { sha256: own, from: 'its name' };
    return this.byUrl.get(url) ?? this.byUrl.get(decodedOnce(url));
  }

  /** The kind of index `url` is: by its name, or by what the Release/repomd.xml that listed its checksum called it. */
  kindOf(url: string): IndexKind | undefined {
    const byName = indexKindOf(new URL(url).pathname);
    if (byName) return byName;
    const own = contentAddress(url);
    return own ? this.kindByHash.get(own) : undefined;
  }

  /** Learns from an index body fetched from `url`; returns how many checksums it added or replaced. */
  learn(url: string, body: Buffer): number {
    const kind = this.kindOf(url);
    if (!kind) return 0;
    const found = parseIndex(kind, url, body);
    for (const [u, e] of found) {
      this.byUrl.set(u, e);
      const k = indexKindOf(u);
      if (k) this.kindByHash.set(e.sha256, k);
    }
    return found.size;
  }

  /** How many URLs have a known checksum. */
  get size(): number { return this.byUrl.size; }
}
