import { parseArp, type ArpPacket } from './arp.js';
import { icmpType } from './icmp.js';
import { IP_PROTOCOL, parseIpv4, type Ipv4Header } from './ipv4.js';
import { ETHERTYPE, ethernetPayload, linkPayload, type NetworkStart } from './link-layer.js';
import type { RawPacket } from './raw-packet.js';
import { parseUdp, type UdpHeader } from './udp.js';
import { VXLAN_HEADER, VXLAN_PORTS, vxlanVni } from './vxlan.js';

/** How the packet crossed the wire: the three shapes the pod-to-pod experiment shows. */
export type Encapsulation = 'none' | 'vxlan' | 'ipip';

/** Protocol value used for ARP in a decoded packet (IP protocols are 0-255). */
export const ARP_PROTOCOL = -1;

/** One frame reduced to what flows aggregate; a single instance is reused for every packet. */
export interface DecodedPacket {
  /** undefined when the frame belongs to a flow, otherwise why not (e.g. 'ipv6'). */
  otherReason: string | undefined;
  encapsulation: Encapsulation;
  outerSource: number;
  outerDestination: number;
  udpPort: number;
  vni: number;
  innerSource: number;
  innerDestination: number;
  /** IP protocol number, or ARP_PROTOCOL. */
  protocol: number;
  /** ICMP type, or -1. */
  icmpType: number;
  /** ARP operation, or -1. */
  arpOperation: number;
}

/** Creates a blank DecodedPacket for a decoder to fill in. */
export function newDecodedPacket(): DecodedPacket {
  return {
    otherReason: undefined, encapsulation: 'none', outerSource: 0, outerDestination: 0, udpPort: 0, vni: 0,
    innerSource: 0, innerDestination: 0, protocol: 0, icmpType: -1, arpOperation: -1,
  };
}

/** Decodes frames into DecodedPackets; holds scratch header objects so decoding allocates nothing per packet. */
export class PacketDecoder {
  private readonly net: NetworkStart = { etherType: 0, offset: 0 };
  private readonly ip: Ipv4Header = { source: 0, destination: 0, protocol: 0, firstFragment: true, payloadStart: 0, payloadEnd: 0 };
  private readonly udp: UdpHeader = { sourcePort: 0, destinationPort: 0, payloadStart: 0, payloadEnd: 0 };
  private readonly arp: ArpPacket = { operation: 0, senderIp: 0, targetIp: 0 };

  constructor(private readonly vxlanPorts: readonly number[] = VXLAN_PORTS) {}

  /** Fills `out` from one captured frame; never throws on malformed bytes, it sets `otherReason` instead. */
  decode(packet: RawPacket, out: DecodedPacket): void {
    const buf = packet.data;
    const end = packet.start + packet.capturedLength;
    out.encapsulation = 'none';
    out.outerSource = out.outerDestination = out.udpPort = out.vni = 0;
    out.icmpType = out.arpOperation = -1;
    out.otherReason = linkPayload(packet.linkType, buf, packet.start, end, this.net);
    if (out.otherReason !== undefined) return;
    const { etherType, offset } = this.net;
    if (etherType === ETHERTYPE.ARP) return this.arpPacket(buf, offset, end, out, '');
    if (etherType !== ETHERTYPE.IPV4) return this.notIpv4(etherType, out, '');
    const ip = this.ip;
    const reason = parseIpv4(buf, offset, end, ip);
    if (reason !== undefined) return this.other(out, reason);
    if (ip.firstFragment && ip.protocol === IP_PROTOCOL.UDP && this.vxlan(buf, out)) return;
    if (ip.firstFragment && ip.protocol === IP_PROTOCOL.IPIP) {
      out.encapsulation = 'ipip';
      out.outerSource = ip.source;
      out.outerDestination = ip.destination;
      const inner = parseIpv4(buf, ip.payloadStart, ip.payloadEnd, ip);
      if (inner !== undefined) return this.other(out, `ipip: ${inner}`);
    }
    this.ipPacket(buf, out);
  }

  /** Decodes the UDP datagram in `this.ip` as VXLAN when its destination port is a VXLAN port; false when it is plain UDP. */
  private vxlan(buf: Buffer, out: DecodedPacket): boolean {
    const ip = this.ip;
    const udp = this.udp;
    if (parseUdp(buf, ip.payloadStart, ip.payloadEnd, udp) !== undefined) return false;
    if (!this.vxlanPorts.includes(udp.destinationPort)) return false;
    const vni = vxlanVni(buf, udp.payloadStart, udp.payloadEnd);
    if (vni < 0) return false;
    out.encapsulation = 'vxlan';
    out.outerSource = ip.source;
    out.outerDestination = ip.destination;
    out.udpPort = udp.destinationPort;
    out.vni = vni;
    this.vxlanInner(buf, udp.payloadStart + VXLAN_HEADER, udp.payloadEnd, out);
    return true;
  }

  /** Decodes the Ethernet frame a VXLAN header carries. */
  private vxlanInner(buf: Buffer, start: number, end: number, out: DecodedPacket): void {
    const reason = ethernetPayload(buf, start, end, this.net);
    if (reason !== undefined) return this.other(out, `vxlan: ${reason}`);
    const { etherType, offset } = this.net;
    if (etherType === ETHERTYPE.ARP) return this.arpPacket(buf, offset, end, out, 'vxlan: ');
    if (etherType !== ETHERTYPE.IPV4) return this.notIpv4(etherType, out, 'vxlan: ');
    const inner = parseIpv4(buf, offset, end, this.ip);
    if (inner !== undefined) return this.other(out, `vxlan: ${inner}`);
    this.ipPacket(buf, out);
  }

  /** Records the (inner) IPv4 packet held in `this.ip`. */
  private ipPacket(buf: Buffer, out: DecodedPacket): void {
    const ip = this.ip;
    out.innerSource = ip.source;
    out.innerDestination = ip.destination;
    out.protocol = ip.protocol;
    if (ip.protocol === IP_PROTOCOL.ICMP && ip.firstFragment) out.icmpType = icmpType(buf, ip.payloadStart, ip.payloadEnd);
  }

  private arpPacket(buf: Buffer, start: number, end: number, out: DecodedPacket, prefix: string): void {
    const reason = parseArp(buf, start, end, this.arp);
    if (reason !== undefined) return this.other(out, prefix + reason);
    out.protocol = ARP_PROTOCOL;
    out.arpOperation = this.arp.operation;
    out.innerSource = this.arp.senderIp;
    out.innerDestination = this.arp.targetIp;
  }

  private notIpv4(etherType: number, out: DecodedPacket, prefix: string): void {
    this.other(out, prefix + (etherType === ETHERTYPE.IPV6 ? 'ipv6' : `ethertype 0x${etherType.toString(16).padStart(4, '0')}`));
  }

  private other(out: DecodedPacket, reason: string): void {
    out.otherReason = reason;
  }
}
