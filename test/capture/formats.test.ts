// Container formats: classic pcap (micro/nano, both byte orders), pcapng (both byte orders, EPB/SPB), streamed in any chunk size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileAnalysis } from '../../src/capture/analysis.js';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { analyzeStream } from '../../src/capture/analyze-stream.js';
import { addVlanTags, chunked, fixture, fixtureBytes, flowFacts, pcapToPcapng, toBigEndianPcap } from './helpers.js';

const B = 'flannel-vxlan/B.pcap';

async function analyzeBytes(bytes: Buffer, chunk = 64 * 1024): Promise<FileAnalysis> {
  return analyzeStream(chunked(bytes, chunk), 'memory.pcap');
}

test('flannel-vxlan B.pcap: the article finding, VXLAN 10.0.0.2<->10.0.0.3 on UDP 8472, VNI 1, carrying the pod ping', async () => {
  const a = await analyzeFile(fixture(B));
  assert.equal(a.format, 'pcap');
  assert.equal(a.byteOrder, 'little-endian');
  assert.equal(a.timestampResolution, 'microsecond');
  assert.deepEqual(a.linkTypes, ['ethernet']);
  assert.equal(a.packets, 10);
  const vxlan = a.flows.filter((f) => f.encapsulation === 'vxlan');
  assert.equal(vxlan.length, 1);
  assert.deepEqual(vxlan[0], {
    encapsulation: 'vxlan',
    outer: { source: '10.0.0.2', destination: '10.0.0.3' },
    udpPort: 8472,
    vni: 1,
    inner: { source: '10.244.1.2', destination: '10.244.2.2', protocol: 'icmp' },
    packets: 8,
    echoRequests: 4,
    echoReplies: 4,
  });
  const arp = a.flows.find((f) => f.inner.protocol === 'arp');
  assert.deepEqual(arp, {
    encapsulation: 'none', inner: { source: '10.0.0.2', destination: '10.0.0.3', protocol: 'arp' },
    packets: 2, echoRequests: 0, echoReplies: 0, arpRequests: 1, arpReplies: 1,
  });
  assert.deepEqual(a.other, {});
  assert.match(a.firstTimestamp ?? '', /^\d{4}-\d\d-\d\dT/);
});

test('the same capture gives the same flows in 1-byte, 7-byte and 1 MiB chunks (records straddle chunk boundaries)', async () => {
  const bytes = fixtureBytes(B);
  const whole = await analyzeBytes(bytes, 1 << 20);
  for (const size of [1, 7, 100]) {
    const a = await analyzeBytes(bytes, size);
    assert.deepEqual(a.flows, whole.flows, `chunk size ${size}`);
    assert.equal(a.packets, whole.packets);
  }
});

test('nanosecond pcap (editcap -F nsecpcap) decodes to the same flows with nanosecond resolution', async () => {
  const nano = await analyzeFile(fixture('formats/flannel-vxlan-C.nsec.pcap'));
  const micro = await analyzeFile(fixture('flannel-vxlan/C.pcap'));
  assert.equal(nano.timestampResolution, 'nanosecond');
  assert.deepEqual(nano.flows, micro.flows);
  assert.equal(nano.firstTimestamp, micro.firstTimestamp);
  assert.equal(nano.lastTimestamp, micro.lastTimestamp);
});

test('big-endian classic pcap decodes like its little-endian original', async () => {
  const le = fixtureBytes(B);
  const be = toBigEndianPcap(le);
  assert.equal(be.readUInt32BE(0), 0xa1b2c3d4);
  const a = await analyzeBytes(be, 5);
  const b = await analyzeBytes(le);
  assert.equal(a.byteOrder, 'big-endian');
  assert.deepEqual(a.flows, b.flows);
  assert.equal(a.firstTimestamp, b.firstTimestamp);
});

test('pcapng written by editcap (EPB, micro and nanosecond if_tsresol) decodes like the pcap it came from', async () => {
  const ng = await analyzeFile(fixture('formats/flannel-vxlan-B.pcapng'));
  const pcap = await analyzeFile(fixture(B));
  assert.equal(ng.format, 'pcapng');
  assert.equal(ng.timestampResolution, 'microsecond');
  assert.deepEqual(ng.flows, pcap.flows);
  assert.equal(ng.firstTimestamp, pcap.firstTimestamp);
  const nano = await analyzeFile(fixture('formats/flannel-vxlan-C.nsec.pcapng'));
  assert.equal(nano.timestampResolution, 'nanosecond');
  assert.equal(nano.lastTimestamp, (await analyzeFile(fixture('flannel-vxlan/C.pcap'))).lastTimestamp);
});

test('big-endian pcapng, nanosecond EPBs and Simple Packet Blocks decode like the original', async () => {
  const le = fixtureBytes(B);
  const original = await analyzeBytes(le);
  const be = pcapToPcapng(le, { littleEndian: false, nanosecond: true });
  assert.equal(be.readUInt32BE(8), 0x1a2b3c4d);
  const a = await analyzeBytes(be, 3);
  assert.equal(a.byteOrder, 'big-endian');
  assert.equal(a.timestampResolution, 'nanosecond');
  assert.deepEqual(a.flows, original.flows);
  assert.equal(a.firstTimestamp, original.firstTimestamp);
  const spb = await analyzeBytes(pcapToPcapng(le, { littleEndian: true, simple: true }));
  assert.deepEqual(spb.flows, original.flows);
});

test('two pcapng sections of different byte orders in one file: interfaces reset per section', async () => {
  const le = fixtureBytes(B);
  const joined = Buffer.concat([pcapToPcapng(le, { littleEndian: true }), pcapToPcapng(le, { littleEndian: false })]);
  const a = await analyzeBytes(joined, 11);
  const one = await analyzeBytes(le);
  assert.equal(a.packets, 2 * one.packets);
  assert.deepEqual(a.flows.map((f) => f.packets), one.flows.map((f) => 2 * f.packets));
});

test('802.1Q-tagged Ethernet frames decode to the same flows', async () => {
  const le = fixtureBytes(B);
  const tagged = addVlanTags(le, 100);
  assert.equal(tagged.readUInt16BE(24 + 16 + 12), 0x8100);
  assert.deepEqual(flowFacts(await analyzeBytes(tagged)), flowFacts(await analyzeBytes(le)));
});
