/** IP protocol numbers labgen names in flows. */
export const IP_PROTOCOL = { ICMP: 1, IGMP: 2, IPIP: 4, TCP: 6, UDP: 17, GRE: 47, ESP: 50 } as const;

/** The IPv4 fields flows need; reused between packets. */
export interface Ipv4Header {
  source: number;
  destination: number;
  protocol: number;
  /** False for non-first fragments, which carry no transport header. */
  firstFragment: boolean;
  payloadStart: number;
  payloadEnd: number;
}

/** Parses an IPv4 header at `start`; returns a reason when it is not a well-formed IPv4 header within the captured bytes. */
export function parseIpv4(buf: Buffer, start: number, end: number, out: Ipv4Header): string | undefined {
  if (end - start < 20) return 'truncated ipv4 header';
  const first = buf[start] ?? 0;
  if (first >> 4 !== 4) return `ipv4 ethertype carrying ip version ${first >> 4}`;
  const headerLength = (first & 0x0f) * 4;
  if (headerLength < 20) return 'malformed ipv4 header length';
  if (start + headerLength > end) return 'truncated ipv4 options';
  const totalLength = buf.readUInt16BE(start + 2);
  if (totalLength < headerLength) return 'malformed ipv4 total length';
  out.protocol = buf[start + 9] ?? 0;
  out.source = buf.readUInt32BE(start + 12);
  out.destination = buf.readUInt32BE(start + 16);
  out.firstFragment = (buf.readUInt16BE(start + 6) & 0x1fff) === 0;
  out.payloadStart = start + headerLength;
  // Ethernet pads short frames: the IP total length, not the frame, says where the payload ends.
  out.payloadEnd = Math.min(end, start + totalLength);
  return undefined;
}

/** Dotted-quad text of an address held as an unsigned 32-bit number. */
export function ipv4ToString(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/** Name of an IP protocol number as reports print it. */
export function ipProtocolName(protocol: number): string {
  switch (protocol) {
    case IP_PROTOCOL.ICMP: return 'icmp';
    case IP_PROTOCOL.IGMP: return 'igmp';
    case IP_PROTOCOL.IPIP: return 'ipip';
    case IP_PROTOCOL.TCP: return 'tcp';
    case IP_PROTOCOL.UDP: return 'udp';
    case IP_PROTOCOL.GRE: return 'gre';
    case IP_PROTOCOL.ESP: return 'esp';
    default: return `ip-proto-${protocol}`;
  }
}
