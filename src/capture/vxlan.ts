/** UDP destination ports decoded as VXLAN: IANA's 4789 (most stacks) and the Linux kernel's legacy 8472. */
export const VXLAN_PORTS: readonly number[] = [4789, 8472];

/** Length of the VXLAN header that precedes the inner Ethernet frame. */
export const VXLAN_HEADER = 8;

/** Returns the VNI of a VXLAN header (RFC 7348: flags with the I bit, 24-bit VNI), or -1 when the bytes are not one. */
export function vxlanVni(buf: Buffer, start: number, end: number): number {
  if (end - start < VXLAN_HEADER) return -1;
  if (((buf[start] ?? 0) & 0x08) === 0) return -1;
  return buf.readUIntBE(start + 4, 3);
}
