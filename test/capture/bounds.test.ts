// analyze, bounded: the flow table and the pcapng interface list have limits, --json is streamed, special files are
// never opened, and one bad file among several does not stop the others being reported (exit 2: bad input).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeStream } from '../../src/capture/analyze-stream.js';
import { CaptureError } from '../../src/capture/capture-error.js';
import { MAX_FLOWS } from '../../src/capture/flow-table.js';
import { MAX_PCAPNG_INTERFACES } from '../../src/capture/pcapng-reader.js';
import { runAnalyze } from '../../src/commands/analyze.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/render.js';
import { chunked, fixture, pcapngBlock, words } from './helpers.js';

/** A classic pcap (Ethernet) of `n` ICMP echo requests, each between a distinct pair of addresses. */
function distinctPairsPcap(n: number): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6); header.writeUInt32LE(65535, 16); header.writeUInt32LE(1, 20);
  const parts = [header];
  for (let i = 0; i < n; i++) {
    const frame = Buffer.alloc(14 + 20 + 8);
    frame.writeUInt16BE(0x0800, 12);
    const ip = 14;
    frame[ip] = 0x45; frame.writeUInt16BE(28, ip + 2); frame[ip + 8] = 64; frame[ip + 9] = 1;
    frame.writeUInt32BE((10 << 24) + i, ip + 12); frame.writeUInt32BE((11 << 24) + i, ip + 16);
    frame[ip + 20] = 8; // echo request
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000, 0); rec.writeUInt32LE(frame.length, 8); rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

test(`the flow table keeps ${MAX_FLOWS} flows; the packets of the others are counted and said`, async () => {
  const pcap = distinctPairsPcap(MAX_FLOWS + 250);
  const a = await analyzeStream(chunked(pcap, 65536), 'many.pcap');
  assert.equal(a.packets, MAX_FLOWS + 250);
  assert.equal(a.flows.length, MAX_FLOWS);
  assert.deepEqual(a.flowLimit, { listed: MAX_FLOWS, untrackedPackets: 250 });
  assert.equal(a.flows[0]!.inner.source, '10.0.0.0');
  const few = await analyzeStream(chunked(distinctPairsPcap(3), 65536), 'few.pcap');
  assert.equal(few.flows.length, 3);
  assert.equal(few.flowLimit, undefined);
  const dir = tempDir('labgen-flows-');
  writeFileSync(join(dir, 'many.pcap'), pcap);
  let text = '';
  await runAnalyze({ pcap: [join(dir, 'many.pcap')], json: false }, (s) => { text += s; });
  assert.match(text, /more flows than the 10000 listed: 250 packets of further flows are counted, not listed/);
});

test(`a pcapng section with more than ${MAX_PCAPNG_INTERFACES} interfaces is refused at the first one too many`, async () => {
  const L = true;
  const shb = pcapngBlock(0x0a0d0d0a, words(L, [32, 0x1a2b3c4d], [16, 1], [16, 0], [32, 0xffffffff], [32, 0xffffffff]), L);
  const idb = pcapngBlock(1, words(L, [16, 1], [16, 0], [32, 0]), L);
  const ok = Buffer.concat([shb, ...Array.from({ length: MAX_PCAPNG_INTERFACES }, () => idb)]);
  assert.equal((await analyzeStream(chunked(ok, 65536), 'ok.pcapng')).format, 'pcapng');
  // 20,000 blocks: reading stops at block 1,025, whose offset the error names.
  const many = Buffer.concat([shb, ...Array.from({ length: 20_000 }, () => idb)]);
  await assert.rejects(analyzeStream(chunked(many, 65536), 'many.pcapng'), (e: unknown) => {
    assert.ok(e instanceof CaptureError, String(e));
    assert.match(e.message, /more than 1024 interface description blocks in one section/);
    assert.equal(e.offset, shb.length + MAX_PCAPNG_INTERFACES * idb.length);
    assert.equal(e.exitCode, 2);
    return true;
  });
});

test('--json is streamed one file at a time and is still one JSON array', async () => {
  const files = [fixture('flannel-vxlan/A.pcap'), fixture('flannel-vxlan/B.pcap'), fixture('calico-ipip/B.pcap')];
  const writes: string[] = [];
  const results = await runAnalyze({ pcap: files, json: true }, (s) => { writes.push(s); });
  assert.ok(writes.length >= files.length, `one write per file at least, got ${writes.length}`);
  const whole = JSON.stringify(results, null, 2);
  assert.ok(writes.every((w) => w.length < whole.length), 'no write holds the whole document');
  assert.equal(writes.join(''), `${whole}\n`);
  assert.deepEqual(JSON.parse(writes.join('')), results);
});

test('a FIFO, a directory and a device are refused before they are opened: exit 2, no hang', async (t) => {
  const dir = tempDir('labgen-special-');
  const targets = [join(dir, 'd.pcap'), '/dev/null'];
  mkdirSync(targets[0]!);
  try { execFileSync('mkfifo', [join(dir, 'pipe.pcap')]); targets.push(join(dir, 'pipe.pcap')); } catch {
    if (process.env.CI === 'true') throw new Error('mkfifo is missing');
    t.diagnostic('no mkfifo: the FIFO case is not tested');
  }
  for (const target of targets) {
    const r = await runCli(['analyze', target]);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    assert.match(r.stderr, /is a (directory|device|FIFO \(named pipe\)), not a capture file/);
  }
});

test('a file that is not a capture is bad input (exit 2); among several files, the others are still reported', async () => {
  const dir = tempDir('labgen-notcap-');
  const notCapture = join(dir, 'notes.txt');
  writeFileSync(notCapture, 'these are my notes, not a capture\n');
  const alone = await runCli(['analyze', notCapture]);
  assert.equal(alone.code, 2, alone.stderr);
  assert.match(alone.stderr, /not a pcap or pcapng capture/);
  const mixed = await runCli(['analyze', fixture('flannel-vxlan/A.pcap'), notCapture, join(dir, 'missing.pcap'), fixture('flannel-vxlan/B.pcap')]);
  assert.equal(mixed.code, 2, mixed.stderr);
  assert.match(mixed.stdout, /A\.pcap: pcap/);
  assert.match(mixed.stdout, /B\.pcap: pcap/);
  assert.match(mixed.stderr, /2 of 4 captures could not be analyzed/);
  assert.match(mixed.stderr, /notes\.txt: not a pcap or pcapng capture/);
  assert.match(mixed.stderr, /missing\.pcap: no such file/);
  const json = await runCli(['analyze', '--json', notCapture, fixture('flannel-vxlan/B.pcap')]);
  assert.equal(json.code, 2);
  // One JSON document: the array, the bad file's entry in its place with its error.
  const parsed = JSON.parse(json.stdout) as { file: string; error?: { exitCode: number; message: string } }[];
  assert.deepEqual(parsed.map((p) => p.file), [notCapture, fixture('flannel-vxlan/B.pcap')]);
  assert.equal(parsed[0]!.error?.exitCode, 2);
  assert.match(parsed[0]!.error?.message ?? '', /not a pcap or pcapng capture/);
  assert.equal(parsed[1]!.error, undefined);
});
