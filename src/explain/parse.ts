// Pure parsers of the kernel's own answers: `ip -j` (links, addresses, routes, neighbours, route get),
// `bridge -j fdb`, and the plain-text `ip`/`cat /sys` lines a pod answers. Unknown fields are ignored; a shape
// that is not what iproute2 prints is reported as a reason, never guessed.

/** A link from `ip -j -d link show`. */
export interface Link {
  ifindex: number; ifname: string; mtu: number; up: boolean; address?: string;
  /** The peer's ifindex for a veth (`link_index`), the master device (bridge) it is enslaved to. */
  linkIndex?: number; master?: string;
  /** linkinfo.info_kind: veth, bridge, vxlan, ipip, tun, ... (absent for physical NICs). */
  kind?: string;
  vxlan?: { id?: number; port?: number; local?: string; dev?: string; learning?: boolean };
}
/** An address from `ip -j -4 addr show`. */
export interface Address { ifname: string; local: string; prefixlen: number }
/** A route from `ip -j -4 route show` or `ip -j route get`. */
export interface Route { dst: string; type?: string; gateway?: string; dev?: string; prefsrc?: string; onlink: boolean; protocol?: string }
/** A neighbour from `ip -j -4 neigh show`. */
export interface Neighbour { dst: string; dev: string; lladdr?: string; state: string[] }
/** An fdb entry from `bridge -j fdb show`. */
export interface FdbEntry { mac: string; dev: string; dst?: string; state?: string; flags: string[] }

/** A parse result: the value, or why the output could not be read. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function jsonArray(text: string): Parsed<Record<string, unknown>[]> {
  let v: unknown;
  try { v = JSON.parse(text.trim() || '[]'); } catch (e) { return { ok: false, reason: `not JSON (${(e as Error).message.split('\n')[0]}): ${text.trim().slice(0, 80)}` }; }
  if (!Array.isArray(v)) return { ok: false, reason: 'not a JSON array as iproute2 prints' };
  return { ok: true, value: v.filter(isObj) };
}

/** `ip -j -d link show`. */
export function parseLinks(text: string): Parsed<Link[]> {
  const a = jsonArray(text);
  if (!a.ok) return a;
  const out: Link[] = [];
  for (const o of a.value) {
    const ifindex = num(o.ifindex);
    const ifname = str(o.ifname);
    if (ifindex === undefined || ifname === undefined) continue;
    const info = isObj(o.linkinfo) ? o.linkinfo : undefined;
    const data = info && isObj(info.info_data) ? info.info_data : undefined;
    const kind = info ? str(info.info_kind) : undefined;
    const link: Link = { ifindex, ifname, mtu: num(o.mtu) ?? 0, up: strs(o.flags).includes('UP') };
    const address = str(o.address); if (address) link.address = address;
    const li = num(o.link_index); if (li !== undefined) link.linkIndex = li;
    const master = str(o.master); if (master) link.master = master;
    if (kind) link.kind = kind;
    if (kind === 'vxlan' && data) {
      link.vxlan = {};
      const id = num(data.id); if (id !== undefined) link.vxlan.id = id;
      const port = num(data.port); if (port !== undefined) link.vxlan.port = port;
      const local = str(data.local); if (local) link.vxlan.local = local;
      const dev = str(data.link); if (dev) link.vxlan.dev = dev;
      if (typeof data.learning === 'boolean') link.vxlan.learning = data.learning;
    }
    out.push(link);
  }
  return { ok: true, value: out };
}

/** `ip -j -4 addr show`. */
export function parseAddresses(text: string): Parsed<Address[]> {
  const a = jsonArray(text);
  if (!a.ok) return a;
  const out: Address[] = [];
  for (const o of a.value) {
    const ifname = str(o.ifname);
    if (!ifname || !Array.isArray(o.addr_info)) continue;
    for (const ai of o.addr_info.filter(isObj)) {
      const local = str(ai.local); const prefixlen = num(ai.prefixlen);
      if (ai.family === 'inet' && local && prefixlen !== undefined) out.push({ ifname, local, prefixlen });
    }
  }
  return { ok: true, value: out };
}

/** `ip -j -4 route show` and `ip -j route get ADDR` (both print route objects). */
export function parseRoutes(text: string): Parsed<Route[]> {
  const a = jsonArray(text);
  if (!a.ok) return a;
  const out: Route[] = [];
  for (const o of a.value) {
    const dst = str(o.dst);
    if (!dst) continue;
    const r: Route = { dst, onlink: strs(o.flags).includes('onlink') };
    for (const k of ['type', 'gateway', 'dev', 'prefsrc', 'protocol'] as const) { const v = str(o[k]); if (v) r[k] = v; }
    out.push(r);
  }
  return { ok: true, value: out };
}

/** `ip -j -4 neigh show`. */
export function parseNeighbours(text: string): Parsed<Neighbour[]> {
  const a = jsonArray(text);
  if (!a.ok) return a;
  return { ok: true, value: a.value.filter((o) => str(o.dst) && str(o.dev)).map((o) => ({ dst: str(o.dst)!, dev: str(o.dev)!, ...(str(o.lladdr) ? { lladdr: str(o.lladdr)! } : {}), state: strs(o.state) })) };
}

/** `bridge -j fdb show` (the device is `ifname`). */
export function parseFdb(text: string): Parsed<FdbEntry[]> {
  const a = jsonArray(text);
  if (!a.ok) return a;
  return { ok: true, value: a.value.filter((o) => str(o.mac) && str(o.ifname)).map((o) => ({ mac: str(o.mac)!, dev: str(o.ifname)!, ...(str(o.dst) ? { dst: str(o.dst)! } : {}), ...(str(o.state) ? { state: str(o.state)! } : {}), flags: strs(o.flags) })) };
}

/** `ip -o -4 addr show dev eth0` as busybox and iproute2 print it: the first `inet A/N`. */
export function parsePodAddress(text: string): Parsed<{ ip: string; prefixlen: number }> {
  const m = text.match(/\binet (\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b/);
  return m ? { ok: true, value: { ip: m[1]!, prefixlen: Number(m[2]) } } : { ok: false, reason: `no IPv4 address in: ${text.trim().slice(0, 80) || '(empty)'}` };
}

/** `ip -4 route show` text: the default route's gateway and device, and every route line. */
export function parsePodRoutes(text: string): Parsed<{ defaultVia?: string; defaultDev?: string; lines: string[] }> {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const def = lines.find((l) => l.startsWith('default '));
  if (!def) return { ok: false, reason: `no default route in: ${lines.join('; ') || '(empty)'}` };
  const via = def.match(/\bvia (\S+)/)?.[1];
  const dev = def.match(/\bdev (\S+)/)?.[1];
  return { ok: true, value: { ...(via ? { defaultVia: via } : {}), ...(dev ? { defaultDev: dev } : {}), lines } };
}

/** A positive integer on its own (`cat /sys/class/net/eth0/mtu`, `.../iflink`). */
export function parseNumber(text: string): Parsed<number> {
  const t = text.trim();
  return /^\d{1,10}$/.test(t) && Number(t) > 0 ? { ok: true, value: Number(t) } : { ok: false, reason: `not a number: ${t.slice(0, 40) || '(empty)'}` };
}

/** `iptables -t nat -S`: the rule lines that send a ClusterIP on to a DNAT, and the DNAT itself. */
export function parseNatRules(text: string, serviceIp: string, podIp: string): Parsed<{ service: string[]; dnat: string[] }> {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('-A '));
  if (!text.trim()) return { ok: false, reason: 'empty iptables output' };
  return { ok: true, value: { service: lines.filter((l) => l.includes(`-d ${serviceIp}/32`)), dnat: lines.filter((l) => /-j DNAT/.test(l) && l.includes(`--to-destination ${podIp}:`)) } };
}
