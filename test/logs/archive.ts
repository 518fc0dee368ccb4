// Reads a .tar.gz back for the logs tests with an independent ustar parser (the writer's code is not reused).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Every member of the archive: path and content. */
export function readTarGz(path: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(path));
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const sum = h.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
    assert.equal(parseInt(str(148, 8), 8), sum, `header checksum at ${off}`);
    assert.equal(str(257, 6), 'ustar');
    const name = str(345, 155) ? `${str(345, 155)}/${str(0, 100)}` : str(0, 100);
    const size = parseInt(str(124, 12), 8);
    assert.equal(str(156, 1), '0', `${name} is a regular file`);
    out.set(name, Buffer.from(tar.subarray(off + 512, off + 512 + size)));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** The member whose path ends with `suffix` (members sit under one top directory). */
export function member(m: Map<string, Buffer>, suffix: string): string {
  const hits = [...m.keys()].filter((k) => k.endsWith(`/${suffix}`));
  assert.equal(hits.length, 1, `one member ending in ${suffix}; members: ${[...m.keys()].join(', ')}`);
  return m.get(hits[0]!)!.toString('utf8');
}
