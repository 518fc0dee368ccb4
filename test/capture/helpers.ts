// Shared helpers for the capture tests: fixture paths, tool checks, byte-level rewrites of real captures, tshark's view.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { FileAnalysis, Flow } from '../../src/capture/analysis.js';
import { ipProtocolName } from '../../src/capture/ipv4.js';

/** Repository root (tests run from dist/test/capture/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of a committed capture fixture. */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/pcap/${relative}`, import.meta.url));
}

/** Reads a committed capture fixture. */
export function fixtureBytes(relative: string): Buffer {
  return readFileSync(fixture(relative));
}

/** True when `name` runs from PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Checks what a test needs; returns false after skipping with the reason on a laptop, but under CI=true
 * a missing tool or privilege is a failure, never a skip.
 */
export function need(t: TestContext, checks: Array<[ok: boolean, what: string]>): boolean {
  const missing = checks.filter(([ok]) => !ok).map(([, what]) => what);
  if (missing.length === 0) return true;
  const reason = `needs ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: required under CI=true`);
  t.skip(`${reason} (skipped: not under CI)`);
  return false;
}

/** Splits bytes into an async stream of chunks of `size` bytes, to exercise record/block boundaries. */
export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Offsets of the records of a little-endian classic pcap. */
export function pcapRecordOffsets(pcap: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 24; at < pcap.length; at += 16 + pcap.readUInt32LE(at + 8)) offsets.push(at);
  return offsets;
}

/** Rewrites a little-endian classic pcap as big-endian (what a capture from a big-endian host looks like). */
export function toBigEndianPcap(le: Buffer): Buffer {
  const out = Buffer.from(le);
  for (const at of [0, 8, 12, 16, 20]) out.writeUInt32BE(le.readUInt32LE(at), at);
  out.writeUInt16BE(le.readUInt16LE(4), 4);
  out.writeUInt16BE(le.readUInt16LE(6), 6);
  for (const rec of pcapRecordOffsets(le)) {
    for (let i = 0; i < 16; i += 4) out.writeUInt32BE(le.readUInt32LE(rec + i), rec + i);
  }
  return out;
}

/** Inserts an 802.1Q tag (VLAN `vid`) after the MAC addresses of every frame of a little-endian Ethernet pcap. */
export function addVlanTags(le: Buffer, vid: number): Buffer {
  const parts: Buffer[] = [le.subarray(0, 24)];
  for (const rec of pcapRecordOffsets(le)) {
    const capLen = le.readUInt32LE(rec + 8);
    const header = Buffer.from(le.subarray(rec, rec + 16));
    header.writeUInt32LE(capLen + 4, 8);
    header.writeUInt32LE(le.readUInt32LE(rec + 12) + 4, 12);
    const frame = le.subarray(rec + 16, rec + 16 + capLen);
    const tag = Buffer.alloc(4);
    tag.writeUInt16BE(0x8100, 0);
    tag.writeUInt16BE(vid, 2);
    parts.push(header, frame.subarray(0, 12), tag, frame.subarray(12));
  }
  return Buffer.concat(parts);
}

/** One pcapng block in the given byte order (body padded to 4). */
export function pcapngBlock(type: number, body: Buffer, littleEndian: boolean): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const length = padded.length + 12;
  const head = Buffer.alloc(8);
  const tail = Buffer.alloc(4);
  if (littleEndian) {
    head.writeUInt32LE(type, 0); head.writeUInt32LE(length, 4); tail.writeUInt32LE(length, 0);
  } else {
    head.writeUInt32BE(type, 0); head.writeUInt32BE(length, 4); tail.writeUInt32BE(length, 0);
  }
  return Buffer.concat([head, padded, tail]);
}

/** Numbers written in one byte order, for building block bodies. */
export function words(littleEndian: boolean, ...spec: Array<[bits: 16 | 32, value: number]>): Buffer {
  const out = Buffer.alloc(spec.reduce((n, [bits]) => n + bits / 8, 0));
  let at = 0;
  for (const [bits, value] of spec) {
    if (bits === 16) littleEndian ? out.writeUInt16LE(value, at) : out.writeUInt16BE(value, at);
    else littleEndian ? out.writeUInt32LE(value, at) : out.writeUInt32BE(value, at);
    at += bits / 8;
  }
  return out;
}

/**
 * Re-encodes a little-endian classic pcap as pcapng in either byte order: a section header, one interface
 * with the given if_tsresol, then one Enhanced Packet Block per record (or Simple Packet Blocks).
 */
export function pcapToPcapng(le: Buffer, options: { littleEndian: boolean; nanosecond?: boolean; simple?: boolean }): Buffer {
  const L = options.littleEndian;
  const shb = pcapngBlock(0x0a0d0d0a, Buffer.concat([words(L, [32, 0x1a2b3c4d], [16, 1], [16, 0], [32, 0xffffffff], [32, 0xffffffff])]), L);
  const linkType = le.readUInt32LE(20);
  const tsresol = Buffer.concat([words(L, [16, 9], [16, 1]), Buffer.from([options.nanosecond ? 9 : 6, 0, 0, 0]), words(L, [16, 0], [16, 0])]);
  const idb = pcapngBlock(1, Buffer.concat([words(L, [16, linkType], [16, 0], [32, 0]), tsresol]), L);
  const blocks = [shb, idb];
  for (const rec of pcapRecordOffsets(le)) {
    const capLen = le.readUInt32LE(rec + 8);
    const frame = le.subarray(rec + 16, rec + 16 + capLen);
    if (options.simple) {
      blocks.push(pcapngBlock(3, Buffer.concat([words(L, [32, le.readUInt32LE(rec + 12)]), frame]), L));
      continue;
    }
    const units = BigInt(le.readUInt32LE(rec)) * (options.nanosecond ? 1_000_000_000n : 1_000_000n)
      + BigInt(le.readUInt32LE(rec + 4)) * (options.nanosecond ? 1000n : 1n);
    const body = Buffer.concat([
      words(L, [32, 0], [32, Number(units >> 32n)], [32, Number(units & 0xffffffffn)], [32, capLen], [32, le.readUInt32LE(rec + 12)]),
      frame,
    ]);
    blocks.push(pcapngBlock(6, body, L));
  }
  return Buffer.concat(blocks);
}

/** A flow reduced to what both decoders must agree on, direction-free. */
export type FlowFacts = string;

/** Direction-free fact lines of labgen's flows, sorted. */
export function flowFacts(a: FileAnalysis): FlowFacts[] {
  return a.flows.map(factOf).sort();
}

function factOf(f: Flow): FlowFacts {
  const outer = f.outer ? [f.outer.source, f.outer.destination].sort().join('<->') : '-';
  const inner = [f.inner.source, f.inner.destination].sort().join('<->');
  return [f.encapsulation, outer, f.udpPort ?? '-', f.vni ?? '-', inner, f.inner.protocol,
    `packets=${f.packets}`, `req=${f.echoRequests}`, `rep=${f.echoReplies}`].join(' ');
}

/**
 * tshark's decoding of the same file, aggregated like labgen's flows (UDP 8472 decoded as VXLAN, as the
 * Linux kernel and flannel use it). Returns the flow facts and the total frame count.
 */
export function tsharkFlowFacts(file: string): { facts: FlowFacts[]; frames: number } {
  const fields = ['ip.src', 'ip.dst', 'ip.proto', 'udp.dstport', 'vxlan.vni', 'icmp.type', 'arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'];
  const out = execFileSync('tshark', ['-n', '-r', file, '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-E', 'separator=/t',
    '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const flows = new Map<string, { base: string; packets: number; req: number; rep: number }>();
  let frames = 0;
  for (const line of out.split('\n')) {
    if (line === '') continue;
    frames++;
    const [src = '', dst = '', proto = '', dport = '', vni = '', icmp = '', arpOp = '', arpSrc = '', arpDst = ''] = line.split('\t');
    const srcs = src ? src.split(',') : [];
    const dsts = dst ? dst.split(',') : [];
    const protos = proto ? proto.split(',') : [];
    let encap = 'none';
    let outer = '-';
    let port = '-';
    let vniText = '-';
    let inner: string[] = [];
    let protocol = '';
    const innerIndex = vni ? 1 : protos[0] === '4' && srcs.length >= 2 ? 1 : 0;
    if (vni) {
      encap = 'vxlan';
      port = dport.split(',')[0] ?? '-';
      vniText = vni;
    } else if (innerIndex === 1) {
      encap = 'ipip';
    }
    if (encap !== 'none') outer = [srcs[0], dsts[0]].sort().join('<->');
    if (arpOp) {
      inner = [arpSrc, arpDst];
      protocol = 'arp';
    } else if (srcs[innerIndex] !== undefined) {
      inner = [srcs[innerIndex] ?? '', dsts[innerIndex] ?? ''];
      protocol = ipProtocolName(Number(protos[innerIndex]));
    } else {
      continue; // not IPv4 or ARP (IPv6...): labgen counts these under `other`
    }
    const base = [encap, outer, port, vniText, inner.sort().join('<->'), protocol].join(' ');
    const entry = flows.get(base) ?? { base, packets: 0, req: 0, rep: 0 };
    entry.packets++;
    const type = protocol === 'icmp' ? icmp.split(',')[0] : undefined;
    if (type === '8') entry.req++;
    if (type === '0') entry.rep++;
    flows.set(base, entry);
  }
  const facts = [...flows.values()].map((e) => `${e.base} packets=${e.packets} req=${e.req} rep=${e.rep}`).sort();
  return { facts, frames };
}
