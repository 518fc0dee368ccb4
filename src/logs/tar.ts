// A tiny ustar writer (POSIX.1-1988 headers, regular files only) and gzip through Node's zlib: everything `labgen logs`
// needs, without a dependency. Pure: members in, archive bytes out.
import { gzipSync } from 'node:zlib';

/** One regular file of the archive. */
export interface TarMember { path: string; content: Buffer | string; mode?: number; mtime?: Date }

const BLOCK = 512;

function octal(n: number, width: number): string {
  // width-1 octal digits and a NUL, as ustar wants; sizes past 8 GiB do not fit (nothing labgen collects is that big).
  const s = Math.floor(n).toString(8);
  if (s.length > width - 1) throw new Error(`tar: ${n} does not fit a ${width}-byte field`);
  return `${s.padStart(width - 1, '0')}\0`;
}

/** Splits a path into ustar's prefix (<= 155 bytes) and name (<= 100 bytes) at a slash. */
export function splitPath(path: string): { prefix: string; name: string } {
  if (!/^[A-Za-z0-9._+@=,-][A-Za-z0-9._+@=,/-]*$/.test(path) || path.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`tar: unsafe member path ${JSON.stringify(path)}`);
  }
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`tar: member path too long for ustar: ${path}`);
}

function header(m: TarMember, size: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitPath(m.path);
  const put = (off: number, len: number, s: string) => { h.write(s.slice(0, len), off, len, 'utf8'); };
  put(0, 100, name);
  put(100, 8, octal(m.mode ?? 0o600, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(Math.floor((m.mtime ?? new Date(0)).getTime() / 1000), 12));
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(265, 32, 'root');
  put(297, 32, 'root');
  put(345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** The uncompressed tar stream of the members, in order, ending with the two zero blocks. */
export function tar(members: TarMember[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.path)) throw new Error(`tar: duplicate member ${m.path}`);
    seen.add(m.path);
    const body = typeof m.content === 'string' ? Buffer.from(m.content, 'utf8') : m.content;
    parts.push(header(m, body.length), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return Buffer.concat(parts);
}

/** A .tar.gz of the members. */
export function tarGz(members: TarMember[]): Buffer { return gzipSync(tar(members)); }
