// Truncated, corrupt and garbage input: a CaptureError naming file and byte offset, never a crash or a hang.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { analyzeStream } from '../../src/capture/analyze-stream.js';
import { CaptureError, CaptureInputError } from '../../src/capture/capture-error.js';
import { LabgenError } from '../../src/errors.js';
import { chunked, fixture, fixtureBytes, pcapRecordOffsets, pcapToPcapng } from './helpers.js';

/** Expected error for each committed broken fixture: byte offset and a fragment of the reason. */
const BROKEN: Array<[file: string, offset: number, reason: RegExp]> = [
  ['broken/empty.pcap', 0, /empty file/],
  ['broken/garbage.pcap', 0, /not a pcap or pcapng capture: it starts with bytes 54 68 69 73/],
  ['broken/random.bin', 0, /not a pcap or pcapng capture/],
  ['broken/truncated-header.pcap', 0, /truncated pcap file: the global header needs 24 bytes, the file has 10/],
  ['broken/truncated-record-header.pcap', 140, /truncated pcap file: record header needs 16 bytes, only 7 left/],
  ['broken/truncated-record.pcap', 468, /truncated pcap file: record of 148 bytes is cut short, only 30 bytes/],
  ['broken/huge-record.pcap', 304, /captured length 2147483647 is larger than the 262144-byte maximum/],
  ['broken/truncated.pcapng', 460, /truncated pcapng file: block of 180 bytes is cut short/],
  ['broken/bad-trailer.pcapng', 456, /block length 180 does not match its trailing copy 184/],
];

for (const [file, offset, reason] of BROKEN) {
  test(`${file}: CaptureError at byte ${offset}`, async () => {
    const path = fixture(file);
    await assert.rejects(analyzeFile(path), (error: unknown) => {
      assert.ok(error instanceof CaptureError, `CaptureError, got ${String(error)}`);
      assert.ok(error instanceof LabgenError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.file, path);
      assert.equal(error.offset, offset);
      assert.match(error.message, reason);
      assert.ok(error.message.startsWith(`${path}: `), error.message);
      assert.ok(error.message.endsWith(`(at byte offset ${offset})`), error.message);
      return true;
    });
  });
}

test('every prefix of a real capture either parses (at a record boundary) or fails at the cut record', async () => {
  const bytes = fixtureBytes('flannel-vxlan/B.pcap');
  const records = pcapRecordOffsets(bytes);
  const boundaries = new Set([...records, bytes.length]);
  for (let length = 0; length <= bytes.length; length++) {
    const prefix = bytes.subarray(0, length);
    try {
      const a = await analyzeStream(chunked(prefix, 64), 'cut.pcap');
      assert.ok(boundaries.has(length), `length ${length} parsed but is not a record boundary`);
      assert.equal(a.packets, records.filter((r) => r < length).length);
    } catch (error) {
      assert.ok(error instanceof CaptureError, `length ${length}: ${String(error)}`);
      assert.ok(!boundaries.has(length) || length < 24, `length ${length} is a boundary but failed: ${error.message}`);
      const expected = length < 24 ? 0 : Math.max(...records.filter((r) => r < length));
      assert.equal(error.offset, expected, `length ${length}: ${error.message}`);
    }
  }
});

test('every prefix of a pcapng either parses (at a block boundary) or fails naming a block offset', async () => {
  const bytes = pcapToPcapng(fixtureBytes('flannel-vxlan/B.pcap'), { littleEndian: false });
  for (let length = 0; length <= bytes.length; length++) {
    try {
      await analyzeStream(chunked(bytes.subarray(0, length), 32), 'cut.pcapng');
    } catch (error) {
      assert.ok(error instanceof CaptureError, `length ${length}: ${String(error)}`);
      assert.ok(error.offset <= length && error.offset % 4 === 0, `length ${length}: offset ${error.offset}`);
    }
  }
});

/** Small deterministic PRNG (mulberry32) so fuzz failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('randomly corrupted captures (pcap and pcapng, 600 mutants) give a result or a CaptureError, never another exception', async () => {
  const random = prng(20240607);
  const pcap = fixtureBytes('calico-ipip/w2-any.pcap');
  const originals = [pcap, fixtureBytes('flannel-vxlan/B.pcap'), pcapToPcapng(pcap, { littleEndian: true }), pcapToPcapng(pcap, { littleEndian: false })];
  let failures = 0;
  for (let i = 0; i < 600; i++) {
    const original = originals[i % originals.length] ?? pcap;
    const mutant = Buffer.from(original);
    const flips = 1 + Math.floor(random() * 8);
    for (let f = 0; f < flips; f++) {
      const at = Math.floor(random() * mutant.length);
      mutant[at] = Math.floor(random() * 256);
    }
    try {
      const a = await analyzeStream(chunked(mutant, 1 + Math.floor(random() * 300)), `mutant-${i}`);
      assert.ok(a.packets >= 0);
    } catch (error) {
      assert.ok(error instanceof CaptureError, `mutant ${i}: ${String(error)}`);
      assert.ok(error.offset >= 0 && error.offset <= mutant.length, `mutant ${i}: offset ${error.offset}`);
      failures++;
    }
  }
  assert.ok(failures > 0, 'some mutants must be rejected');
});

test('frames with cut or bogus headers are counted as other packets with the reason, not errors', async () => {
  const pcap = fixtureBytes('flannel-vxlan/B.pcap');
  const out = Buffer.from(pcap);
  const [first, , third] = pcapRecordOffsets(pcap);
  assert.ok(first !== undefined && third !== undefined);
  out.writeUInt32LE(10, first + 8); // ARP frame now holds 10 captured bytes, the rest is left as junk after it
  const fixed = Buffer.concat([out.subarray(0, first + 16 + 10), out.subarray(first + 16 + pcap.readUInt32LE(first + 8))]);
  const a = await analyzeStream(chunked(fixed, 1024), 'snapped.pcap');
  assert.equal(a.other['truncated ethernet header'], 1);
  assert.equal(a.packets, 10);
});

test('a missing file, a directory: CaptureInputError with exit code 2, naming the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'labgen-capture-'));
  try {
    const missing = join(dir, 'nope.pcap');
    await assert.rejects(analyzeFile(missing), (error: unknown) => {
      assert.ok(error instanceof CaptureInputError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, `${missing}: no such file`);
      return true;
    });
    await assert.rejects(analyzeFile(dir), (error: unknown) => error instanceof CaptureInputError && error.exitCode === 2 && /not a regular file|directory/.test(error.message));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
