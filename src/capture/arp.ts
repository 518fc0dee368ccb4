/** ARP operations counted in flows. */
export const ARP_OP = { REQUEST: 1, REPLY: 2 } as const;

/** The ARP fields flows need (IPv4 over Ethernet only); reused between packets. */
export interface ArpPacket {
  operation: number;
  senderIp: number;
  targetIp: number;
}

/** Parses an Ethernet/IPv4 ARP packet; returns a reason for other hardware/protocol types or truncation. */
export function parseArp(buf: Buffer, start: number, end: number, out: ArpPacket): string | undefined {
  if (end - start < 8) return 'truncated arp header';
  const hardwareLength = buf[start + 4] ?? 0;
  const protocolLength = buf[start + 5] ?? 0;
  if (buf.readUInt16BE(start + 2) !== 0x0800 || hardwareLength !== 6 || protocolLength !== 4) return 'arp for a non-ipv4 protocol';
  if (end - start < 28) return 'truncated arp packet';
  out.operation = buf.readUInt16BE(start + 6);
  out.senderIp = buf.readUInt32BE(start + 14);
  out.targetIp = buf.readUInt32BE(start + 24);
  return undefined;
}
