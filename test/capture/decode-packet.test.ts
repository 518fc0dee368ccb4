// PacketDecoder on single frames: a real flannel VXLAN frame from fixture B, and edits of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDecodedPacket, PacketDecoder, type DecodedPacket } from '../../src/capture/decode-packet.js';
import { LINKTYPE } from '../../src/capture/link-layer.js';
import type { RawPacket } from '../../src/capture/raw-packet.js';
import { fixtureBytes, pcapRecordOffsets } from './helpers.js';

/** The first VXLAN echo request of flannel-vxlan/B.pcap (record 3: after the ARP request and reply). */
function vxlanFrame(): Buffer {
  const pcap = fixtureBytes('flannel-vxlan/B.pcap');
  const at = pcapRecordOffsets(pcap)[2] ?? 0;
  return Buffer.from(pcap.subarray(at + 16, at + 16 + pcap.readUInt32LE(at + 8)));
}

function decode(frame: Buffer, ports?: number[], linkType: number = LINKTYPE.ETHERNET): DecodedPacket {
  const raw: RawPacket = { linkType, data: frame, start: 0, capturedLength: frame.length, originalLength: frame.length, timestamp: 0, offset: 0 };
  const out = newDecodedPacket();
  new PacketDecoder(ports).decode(raw, out);
  return out;
}

const OUTER_UDP_DPORT = 14 + 20 + 2;
const VXLAN_FLAGS = 14 + 20 + 8;

test('the real frame: VXLAN 10.0.0.2 -> 10.0.0.3, UDP 8472, VNI 1, inner ICMP echo request', () => {
  const frame = vxlanFrame();
  assert.equal(frame.readUInt16BE(OUTER_UDP_DPORT), 8472);
  const d = decode(frame);
  assert.equal(d.otherReason, undefined);
  assert.equal(d.encapsulation, 'vxlan');
  assert.equal(d.outerSource, 0x0a000002);
  assert.equal(d.outerDestination, 0x0a000003);
  assert.equal(d.udpPort, 8472);
  assert.equal(d.vni, 1);
  assert.equal(d.innerSource, 0x0af40102);
  assert.equal(d.innerDestination, 0x0af40202);
  assert.equal(d.protocol, 1);
  assert.equal(d.icmpType, 8);
});

test('without the VXLAN I flag, or on a port not configured as VXLAN, it is plain UDP between the nodes', () => {
  const noFlag = vxlanFrame();
  noFlag[VXLAN_FLAGS] = 0;
  for (const d of [decode(noFlag), decode(vxlanFrame(), [4789])]) {
    assert.equal(d.encapsulation, 'none');
    assert.equal(d.innerSource, 0x0a000002);
    assert.equal(d.protocol, 17);
  }
});

test('UDP 4789 is VXLAN too (Calico)', () => {
  const frame = vxlanFrame();
  frame.writeUInt16BE(4789, OUTER_UDP_DPORT);
  assert.equal(decode(frame).udpPort, 4789);
});

test('a non-first fragment carries no UDP header: plain UDP, no VXLAN guessed', () => {
  const frame = vxlanFrame();
  frame.writeUInt16BE(0x00b9, 14 + 6); // fragment offset 185 * 8 bytes
  const d = decode(frame);
  assert.equal(d.encapsulation, 'none');
  assert.equal(d.protocol, 17);
});

test('IPv6, 802.3 frames, cut headers and unknown link types become other packets with a reason', () => {
  const v6 = vxlanFrame();
  v6.writeUInt16BE(0x86dd, 12);
  assert.equal(decode(v6).otherReason, 'ipv6');
  const llc = vxlanFrame();
  llc.writeUInt16BE(100, 12);
  assert.equal(decode(llc).otherReason, 'ieee 802.3 / llc frame');
  assert.equal(decode(vxlanFrame().subarray(0, 30)).otherReason, 'truncated ipv4 header');
  assert.equal(decode(vxlanFrame().subarray(0, 14 + 20 + 8 + 8 + 10)).otherReason, 'vxlan: truncated ethernet header');
  assert.equal(decode(vxlanFrame(), undefined, 105).otherReason, 'unsupported link type linktype-105');
  const innerV6 = vxlanFrame();
  innerV6.writeUInt16BE(0x86dd, VXLAN_FLAGS + 8 + 12);
  assert.equal(decode(innerV6).otherReason, 'vxlan: ipv6');
});

test('raw IP link type: the same packet without its Ethernet header', () => {
  const d = decode(vxlanFrame().subarray(14), undefined, LINKTYPE.RAW);
  assert.equal(d.encapsulation, 'vxlan');
  assert.equal(d.vni, 1);
});
