/** ICMP types counted in flows: the two halves of a ping. */
export const ICMP_TYPE = { ECHO_REPLY: 0, ECHO_REQUEST: 8 } as const;

/** Returns the ICMP type at `start`, or -1 when not even the type byte was captured. */
export function icmpType(buf: Buffer, start: number, end: number): number {
  return end - start >= 1 ? buf[start] ?? -1 : -1;
}
