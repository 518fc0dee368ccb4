/** The UDP fields VXLAN detection needs; reused between packets. */
export interface UdpHeader {
  sourcePort: number;
  destinationPort: number;
  payloadStart: number;
  payloadEnd: number;
}

/** Parses a UDP header; returns a reason when fewer than 8 bytes were captured. */
export function parseUdp(buf: Buffer, start: number, end: number, out: UdpHeader): string | undefined {
  if (end - start < 8) return 'truncated udp header';
  out.sourcePort = buf.readUInt16BE(start);
  out.destinationPort = buf.readUInt16BE(start + 2);
  const length = buf.readUInt16BE(start + 4);
  out.payloadStart = start + 8;
  out.payloadEnd = length >= 8 ? Math.min(end, start + length) : end;
  return undefined;
}
