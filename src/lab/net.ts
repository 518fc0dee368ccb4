// IPv4/CIDR arithmetic on top of ipaddr.js (well-kept, used by Express' proxy-addr): parsing stays upstream's, sums stay here.
import ipaddr from 'ipaddr.js';

/** A parsed IPv4 network. */
export interface Cidr { text: string; base: number; prefix: number; first: number; last: number }

/** IPv4 address to a 32-bit unsigned integer. */
export function ipToInt(ip: string): number {
  return ipaddr.IPv4.parse(ip).toByteArray().reduce((acc, b) => acc * 256 + b, 0);
}

/** 32-bit unsigned integer to dotted IPv4. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses `a.b.c.d/n`; throws on invalid text (the schema has already checked the form). */
export function parseCidr(text: string): Cidr {
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipToInt(addr.toString()) / size) * size;
  return { text, base: ipToInt(addr.toString()), prefix, first, last: first + size - 1 };
}

/** Whether the CIDR is written with its network address (10.0.0.0/24, not 10.0.0.5/24). */
export function isNetworkAddress(c: Cidr): boolean { return c.base === c.first; }

/** The CIDR rewritten with its network address, for the fix in an error message. */
export function canonical(c: Cidr): string { return `${intToIp(c.first)}/${c.prefix}`; }

export function contains(c: Cidr, ip: string): boolean { const n = ipToInt(ip); return n >= c.first && n <= c.last; }

export function overlaps(a: Cidr, b: Cidr): boolean { return a.first <= b.last && b.first <= a.last; }

/** Whether `inner` lies entirely inside `outer`. */
export function within(inner: Cidr, outer: Cidr): boolean { return inner.first >= outer.first && inner.last <= outer.last; }

/** Dotted netmask of a prefix length, for Vagrant's `netmask:`. */
export function netmask(prefix: number): string { return intToIp(prefix === 0 ? 0 : (2 ** 32 - 2 ** (32 - prefix))); }

/** Usable host range (network and broadcast excluded for prefixes up to /30). */
export function usableRange(c: Cidr): { first: number; last: number } {
  return c.prefix >= 31 ? { first: c.first, last: c.last } : { first: c.first + 1, last: c.last - 1 };
}
