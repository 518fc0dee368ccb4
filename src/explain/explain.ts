// Pure: explains each hop of a run's path from the kernel state read on both nodes and pods, ties the packets seen
// at A-D to that state, and reports every command that could not be read instead of guessing its answer.
import type { FileAnalysis, Flow } from '../capture/analysis.js';
import type { WireEncapsulation } from '../lab/types.js';
import { parseAddresses, parseFdb, parseLinks, parseNatRules, parseNeighbours, parseNumber, parsePodAddress, parsePodRoutes, parseRoutes, type Address, type FdbEntry, type Link, type Neighbour, type Parsed, type Route } from './parse.js';
import { routeGetKey, type RawState, type RunState } from './state.js';

/** A capture point of the experiment. */
export type Point = 'A' | 'B' | 'C' | 'D';
/** The scenarios verify and demo run. */
export type ExplainScenario = 'cross-node' | 'same-node' | 'service';

/** What the explanation needs: the CNI's wire format (its device names come from the plugin), the pair, the state, the captures. */
export interface ExplainInput {
  scenario: ExplainScenario;
  encapsulation: WireEncapsulation;
  /** The host-only NIC of the source and destination node (the lab's, or the one found by address). */
  nic: { src: string; dst: string };
  src: { pod: string; ip: string; node: string; nodeIp: string };
  dst: { pod: string; ip: string; node: string; nodeIp: string };
  service?: { ip: string; port: number };
  /** The lab's nodes, to name the node behind an address. */
  nodes: { name: string; ip: string }[];
  state: RunState;
  analyses: Partial<Record<Point, FileAnalysis>>;
}

/** One statement about the path and the command whose output says it. */
export interface Fact { text: string; from: string }
/** A command whose answer the explanation needed and did not get. */
export interface Missing { where: string; command: string; error: string }
/** One hop: where, what the kernel state says, what was captured there, and any contradiction. */
export interface Hop { where: string; title: string; facts: Fact[]; point?: Point; seen?: string; problems: string[] }
/** A device the packet crosses, in order. */
export interface PathDevice { node: string; device: string; kind: string; mtu?: number }
/** The whole explanation, the same facts for text and --json. */
export interface Explanation {
  scenario: ExplainScenario;
  hops: Hop[];
  missing: Missing[];
  problems: string[];
  path: PathDevice[];
  mtu: { pod?: number; tunnel?: number; nic?: number };
  /** Per node, short lines for the picture (routes, fdb, devices). */
  notes: { node: string; lines: string[] }[];
  /**
   * Each node's pod slices as the source node's routing table shows them (the CNI's real allocation: IPAM
   * blocks, not node.spec.podCIDR): its own from the blackhole or bridge route, the others' from the routes to them.
   */
  slices: { node: string; cidr: string; how: string }[];
}

const COMMANDS: Record<string, string> = {
  links: 'ip -j -d link show', addrs: 'ip -j -4 addr show', routes: 'ip -j -4 route show', neigh: 'ip -j -4 neigh show', fdb: 'bridge -j fdb show',
  addr: 'ip -o -4 addr show dev eth0', route: 'ip -4 route show', mtu: 'cat /sys/class/net/eth0/mtu', iflink: 'cat /sys/class/net/eth0/iflink', nat: 'iptables -t nat -S',
};
const commandText = (key: string): string => COMMANDS[key] ?? (key.startsWith('route-get ') ? `ip -j route get ${key.slice(10)}` : key);

type Role = 'srcNode' | 'dstNode' | 'srcPod' | 'dstPod';

/** Reads the state through parsers, recording what is missing once per (role, command). */
class Reader {
  readonly missing: Missing[] = [];
  private seen = new Set<string>();
  constructor(private readonly state: RunState) {}
  where(role: Role): string { return this.state[role].name; }
  from(role: Role, key: string): string { return `${this.where(role)}: ${commandText(key)}`; }
  get<T>(role: Role, key: string, parse: (t: string) => Parsed<T>): T | undefined {
    const side = this.state[role];
    const out = side.state[key];
    const miss = (error: string) => {
      const id = `${role}\u0000${key}`;
      if (!this.seen.has(id)) { this.seen.add(id); this.missing.push({ where: side.name, command: commandText(key), error }); }
      return undefined;
    };
    if (!out) return miss(side.unreachable ?? 'not read');
    if (!out.ok) return miss(out.error ?? 'failed');
    const p = parse(out.stdout);
    return p.ok ? p.value : miss(`unreadable output: ${p.reason}`);
  }
}

const describeLink = (l: Link): string => {
  const kind = l.kind ?? 'device';
  const vx = l.vxlan ? `: VXLAN id ${l.vxlan.id ?? '?'}, UDP port ${l.vxlan.port ?? '?'}, local ${l.vxlan.local ?? '?'}${l.vxlan.dev ? ` on ${l.vxlan.dev}` : ''}${l.vxlan.learning === false ? ', learning off' : ''}` : '';
  return `${l.ifname} (${kind}${l.master ? `, on bridge ${l.master}` : ''}, MTU ${l.mtu}${l.up ? '' : ', DOWN'})${vx}`;
};
const describeRoute = (r: Route): string => `${r.type && r.type !== 'unicast' ? `${r.type} ` : ''}${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.onlink ? ' onlink' : ''}${r.prefsrc ? ` src ${r.prefsrc}` : ''}`;

function describeFlow(f: Flow): string {
  const outer = f.outer ? `${f.outer.source} -> ${f.outer.destination} ` : '';
  const tunnel = f.encapsulation === 'vxlan' ? `UDP ${f.udpPort} VNI ${f.vni} ` : '';
  const enc = f.encapsulation === 'none' ? 'plain' : f.encapsulation === 'ipip' ? 'IP-in-IP' : 'VXLAN';
  return `${enc} ${outer}${tunnel}${f.inner.protocol} ${f.inner.source} -> ${f.inner.destination} (${f.echoRequests} echo requests, ${f.echoReplies} replies, ${f.packets} packets)`;
}

/** The flows at a point between the two pods (or the source pod and the Service address). */
function pathFlows(a: FileAnalysis | undefined, x: string, ys: string[]): Flow[] {
  if (!a) return [];
  return a.flows.filter((f) => f.inner.protocol !== 'arp' && ys.some((y) => (f.inner.source === x && f.inner.destination === y) || (f.inner.source === y && f.inner.destination === x)));
}

/** Explains the run hop by hop; pure. */
export function explainPath(input: ExplainInput): Explanation {
  const rd = new Reader(input.state);
  const enc = input.encapsulation;
  const nodeName = (ip: string) => input.nodes.find((n) => n.ip === ip)?.name;
  const hops: Hop[] = [];
  const path: PathDevice[] = [];
  const notes = new Map<string, string[]>();
  const note = (node: string, line: string) => { const l = notes.get(node) ?? []; if (!l.includes(line)) l.push(line); notes.set(node, l); };
  const sameNode = input.src.node === input.dst.node;
  const targets = input.scenario === 'service' && input.service ? [input.dst.ip, input.service.ip] : [input.dst.ip];
  const seenAt = (p: Point): { seen: string; flows: Flow[] } => {
    const a = input.analyses[p];
    if (!a) return { seen: 'no capture', flows: [] };
    const flows = pathFlows(a, input.src.ip, targets);
    return { seen: flows.map(describeFlow).join('; ') || 'nothing between the two ends of the path', flows };
  };

  // Pod side: address, default route, MTU, and the index of eth0's peer on the node.
  const podHop = (role: 'srcPod' | 'dstPod', nodeRole: 'srcNode' | 'dstNode', end: ExplainInput['src']): { hop: Hop; mtu?: number; iflink?: number; gateway?: string } => {
    const hop: Hop = { where: `pod ${end.pod} on ${end.node}`, title: role === 'srcPod' ? 'the source pod' : 'the destination pod', facts: [], problems: [] };
    const addr = rd.get(role, 'addr', parsePodAddress);
    if (addr) {
      hop.facts.push({ text: `eth0 holds ${addr.ip}/${addr.prefixlen}${addr.prefixlen === 32 ? ' (a /32: every destination, even on the same node, goes through the gateway)' : ''}`, from: rd.from(role, 'addr') });
      if (addr.ip !== end.ip) hop.problems.push(`${end.pod}'s eth0 holds ${addr.ip}, not ${end.ip}`);
    }
    const routes = rd.get(role, 'route', parsePodRoutes);
    if (routes) hop.facts.push({ text: `default route via ${routes.defaultVia ?? '(none)'} dev ${routes.defaultDev ?? '?'}`, from: rd.from(role, 'route') });
    const mtu = rd.get(role, 'mtu', parseNumber);
    if (mtu !== undefined) hop.facts.push({ text: `eth0 MTU ${mtu}`, from: rd.from(role, 'mtu') });
    const iflink = rd.get(role, 'iflink', parseNumber);
    if (iflink !== undefined) hop.facts.push({ text: `eth0's veth peer is interface #${iflink} on ${input.state[nodeRole].name}`, from: rd.from(role, 'iflink') });
    return { hop, ...(mtu !== undefined ? { mtu } : {}), ...(iflink !== undefined ? { iflink } : {}), ...(routes?.defaultVia ? { gateway: routes.defaultVia } : {}) };
  };

  /** The host side of a pod's veth and what it lands on (a bridge and its address, or nothing: routed). */
  const hostSide = (nodeRole: 'srcNode' | 'dstNode', iflink: number | undefined, gateway: string | undefined, hop: Hop, node: string, podDevice: PathDevice): void => {
    const links = rd.get(nodeRole, 'links', parseLinks);
    const addrs = rd.get(nodeRole, 'addrs', parseAddresses);
    if (!links || iflink === undefined) return;
    const veth = links.find((l) => l.ifindex === iflink);
    if (!veth) { hop.problems.push(`no interface #${iflink} on ${node}: the pod's veth peer is not there`); return; }
    hop.facts.push({ text: `interface #${iflink} on ${node} is ${describeLink(veth)}`, from: rd.from(nodeRole, 'links') });
    const devs: PathDevice[] = [podDevice, { node, device: veth.ifname, kind: veth.kind ?? 'veth', mtu: veth.mtu }];
    if (veth.master) {
      const br = links.find((l) => l.ifname === veth.master);
      const brAddrs = addrs?.filter((a) => a.ifname === veth.master) ?? [];
      hop.facts.push({ text: `the bridge ${br ? describeLink(br) : veth.master}${brAddrs.length ? ` holding ${brAddrs.map((a) => `${a.local}/${a.prefixlen}`).join(', ')}` : ''}${gateway && brAddrs.some((a) => a.local === gateway) ? `: the pod's gateway ${gateway} is this bridge` : ''}`, from: rd.from(nodeRole, addrs ? 'addrs' : 'links') });
      devs.push({ node, device: veth.master, kind: br?.kind ?? 'bridge', ...(br ? { mtu: br.mtu } : {}) });
      note(node, `${veth.ifname} on ${veth.master}`);
    } else if (addrs) {
      const owner = addrs.find((a) => a.local === gateway);
      hop.facts.push({ text: owner ? `${veth.ifname} is on no bridge; the pod's gateway ${gateway} is ${owner.ifname}'s address` : `${veth.ifname} is on no bridge and no address of ${node} is the pod's gateway ${gateway ?? '?'}: the host veth answers ARP for it (proxy ARP) and the node routes the pod's packets`, from: rd.from(nodeRole, 'addrs') });
      note(node, `${veth.ifname} routed (no bridge)`);
    }
    if (nodeRole === 'srcNode') path.push(...devs); else path.push(...devs.reverse());
  };

  const src = podHop('srcPod', 'srcNode', input.src);
  hops.push(src.hop);
  const a = seenAt('A');
  const entry: Hop = { where: input.src.node, title: 'into the source node (A: the pod\'s veth)', facts: [], point: 'A', seen: a.seen, problems: [] };
  hostSide('srcNode', src.iflink, src.gateway, entry, input.src.node, { node: input.src.pod, device: 'eth0', kind: 'veth', ...(src.mtu !== undefined ? { mtu: src.mtu } : {}) });
  const aTarget = input.scenario === 'service' && input.service ? input.service.ip : input.dst.ip;
  if (input.analyses.A && !a.flows.some((f) => f.encapsulation === 'none' && (f.inner.destination === aTarget || f.inner.source === aTarget))) entry.problems.push(`A shows no plain packets between ${input.src.ip} and ${aTarget}`);
  if (input.scenario === 'service' && input.service && a.flows.some((f) => f.inner.destination === input.dst.ip || f.inner.source === input.dst.ip)) entry.problems.push(`A already shows the pod address ${input.dst.ip}: the Service address should only be rewritten on the node`);
  hops.push(entry);

  // Routing on the source node (after kube-proxy's DNAT for a Service).
  const route: Hop = { where: input.src.node, title: 'the source node\'s routing decision', facts: [], problems: [] };
  if (input.scenario === 'service' && input.service) {
    const nat = rd.get('srcNode', 'nat', (t) => parseNatRules(t, input.service!.ip, input.dst.ip));
    if (nat) {
      for (const l of nat.service) route.facts.push({ text: `kube-proxy: ${l}`, from: rd.from('srcNode', 'nat') });
      for (const l of nat.dnat) route.facts.push({ text: `kube-proxy: ${l}`, from: rd.from('srcNode', 'nat') });
      if (!nat.service.length || !nat.dnat.length) route.problems.push(`no kube-proxy rule sends ${input.service.ip} to ${input.dst.ip} in ${input.src.node}'s nat table`);
      else route.facts.push({ text: `so ${input.service.ip}:${input.service.port} is rewritten (DNAT, PREROUTING) to ${input.dst.ip} before the routing decision: A shows the Service address, B, C and D the pod's`, from: rd.from('srcNode', 'nat') });
      note(input.src.node, `DNAT ${input.service.ip} -> ${input.dst.ip}`);
    }
    const svcRoute = rd.get('srcNode', routeGetKey(input.service.ip), parseRoutes)?.[0];
    if (svcRoute) route.facts.push({ text: `without the DNAT, ip route get ${input.service.ip} says ${describeRoute(svcRoute)}: the route table knows no Services`, from: rd.from('srcNode', routeGetKey(input.service.ip)) });
  }
  const expectedDev = enc.kind === 'none' ? input.nic.src : enc.device;
  const get = rd.get('srcNode', routeGetKey(input.dst.ip), parseRoutes)?.[0];
  const links1 = rd.get('srcNode', 'links', parseLinks);
  if (get) {
    route.facts.push({ text: `ip route get ${input.dst.ip}: ${describeRoute(get)}`, from: rd.from('srcNode', routeGetKey(input.dst.ip)) });
    note(input.src.node, `${input.dst.ip} -> ${get.dev ?? '?'}${get.gateway ? ` via ${get.gateway}` : ''}`);
    if (sameNode) {
      if (get.dev === input.nic.src || get.dev === expectedDev) route.problems.push(`${input.dst.ip} is on ${input.src.node} itself, yet the kernel routes it to ${get.dev}`);
      else route.facts.push({ text: `${input.dst.ip} lives on this node: the kernel hands the packet to ${get.dev} and it never reaches ${input.nic.src}, so B and C see nothing of it`, from: rd.from('srcNode', routeGetKey(input.dst.ip)) });
    } else if (get.dev !== expectedDev) route.problems.push(`the kernel routes ${input.dst.ip} to ${get.dev ?? 'nowhere'}, not to ${expectedDev} as ${enc.kind === 'none' ? 'plain routing' : 'the CNI\'s encapsulation'} needs`);
  }
  hops.push(route);

  const tunnel: Hop = { where: input.src.node, title: sameNode ? 'leaving the source node: not at all' : 'leaving the source node (B: its host-only NIC)', facts: [], point: 'B', seen: seenAt('B').seen, problems: [] };
  const b = seenAt('B');
  let tunnelMtu: number | undefined;
  let nicMtu: number | undefined;
  if (!sameNode && get) {
    const dev = links1?.find((l) => l.ifname === get.dev);
    if (dev) tunnel.facts.push({ text: describeLink(dev), from: rd.from('srcNode', 'links') });
    let outerDst: string | undefined;
    if (enc.kind === 'vxlan' && dev) {
      tunnelMtu = dev.mtu;
      if (dev.vxlan?.id !== enc.vni || dev.vxlan?.port !== enc.udpPort) tunnel.problems.push(`${dev.ifname} is VXLAN id ${dev.vxlan?.id ?? '?'} port ${dev.vxlan?.port ?? '?'}, the CNI uses VNI ${enc.vni} port ${enc.udpPort}`);
      const neigh = get.gateway ? rd.get('srcNode', 'neigh', parseNeighbours)?.find((n: Neighbour) => n.dst === get.gateway && n.dev === dev.ifname) : undefined;
      if (get.gateway && rd.get('srcNode', 'neigh', parseNeighbours)) {
        if (neigh?.lladdr) tunnel.facts.push({ text: `neighbour ${get.gateway} on ${dev.ifname} is MAC ${neigh.lladdr} (${neigh.state.join(',') || 'no state'}): the remote VTEP's MAC, programmed by the CNI rather than learnt by ARP`, from: rd.from('srcNode', 'neigh') });
        else tunnel.problems.push(`no neighbour entry for the VTEP ${get.gateway} on ${dev.ifname}`);
      }
      const fdb = neigh?.lladdr ? rd.get('srcNode', 'fdb', parseFdb)?.find((f: FdbEntry) => f.dev === dev.ifname && f.mac === neigh.lladdr && f.dst) : undefined;
      if (neigh?.lladdr && rd.get('srcNode', 'fdb', parseFdb)) {
        if (fdb?.dst) {
          outerDst = fdb.dst;
          tunnel.facts.push({ text: `fdb on ${dev.ifname}: ${fdb.mac} -> dst ${fdb.dst}${nodeName(fdb.dst) ? ` (${nodeName(fdb.dst)})` : ''}: the outer header goes ${dev.vxlan?.local ?? '?'} -> ${fdb.dst}, UDP ${dev.vxlan?.port ?? '?'}, VNI ${dev.vxlan?.id ?? '?'}`, from: rd.from('srcNode', 'fdb') });
          note(input.src.node, `fdb ${fdb.mac} -> ${fdb.dst}`);
        } else tunnel.problems.push(`no fdb entry on ${dev.ifname} for ${neigh.lladdr}: the kernel would not know which node to send to`);
      }
    } else if (enc.kind === 'ipip' && dev) {
      tunnelMtu = dev.mtu;
      outerDst = get.gateway;
      tunnel.facts.push({ text: dev.kind === 'ipip' ? `${dev.ifname} is the kernel's IP-in-IP device: the route's next hop ${get.gateway ?? '?'}${get.gateway && nodeName(get.gateway) ? ` (${nodeName(get.gateway)})` : ''} becomes the outer destination, IP protocol 4` : `${dev.ifname} is a ${dev.kind ?? 'plain'} device standing in for the kernel's ipip tunl0 (user space adds the outer header); the route's next hop ${get.gateway ?? '?'}${get.gateway && nodeName(get.gateway) ? ` (${nodeName(get.gateway)})` : ''} becomes the outer destination, IP protocol 4`, from: rd.from('srcNode', 'links') });
      note(input.src.node, `${dev.ifname}: outer -> ${get.gateway ?? '?'}`);
    } else if (enc.kind === 'none') {
      outerDst = get.gateway;
      tunnel.facts.push({ text: `no tunnel: the pod packet itself leaves ${get.dev ?? '?'} with next hop ${get.gateway ?? '?'}${get.gateway && nodeName(get.gateway) ? ` (${nodeName(get.gateway)})` : ''}`, from: rd.from('srcNode', routeGetKey(input.dst.ip)) });
    }
    if (outerDst && outerDst !== input.dst.nodeIp) tunnel.problems.push(`the kernel sends toward ${outerDst}, but ${input.dst.pod} lives on ${input.dst.node} (${input.dst.nodeIp})`);
    const under = rd.get('srcNode', routeGetKey(input.dst.nodeIp), parseRoutes)?.[0];
    if (under) {
      tunnel.facts.push({ text: `ip route get ${input.dst.nodeIp}: ${describeRoute(under)}${under.dev === input.nic.src ? ' (the host-only NIC, where B is captured)' : ''}`, from: rd.from('srcNode', routeGetKey(input.dst.nodeIp)) });
      if (under.dev !== input.nic.src) tunnel.problems.push(`the node address ${input.dst.nodeIp} is reached through ${under.dev ?? '?'}, not the host-only NIC ${input.nic.src}`);
    }
    const nic = links1?.find((l) => l.ifname === input.nic.src);
    if (nic) {
      nicMtu = nic.mtu;
      if (tunnelMtu !== undefined) tunnel.facts.push({ text: `${input.nic.src} MTU ${nic.mtu} - ${get.dev} MTU ${tunnelMtu} = ${nic.mtu - tunnelMtu} bytes left for the outer headers`, from: rd.from('srcNode', 'links') });
    }
    if (dev && dev.ifname !== input.nic.src) path.push({ node: input.src.node, device: dev.ifname, kind: dev.kind ?? 'device', mtu: dev.mtu });
    path.push({ node: input.src.node, device: input.nic.src, kind: nic?.kind ?? 'nic', ...(nic ? { mtu: nic.mtu } : {}) });
  }
  if (sameNode) {
    if (b.flows.length) tunnel.problems.push(`B shows packets of the path although both pods are on ${input.src.node}: ${b.seen}`);
  } else if (input.analyses.B && !b.flows.some((f) => f.encapsulation === (enc.kind === 'wireguard' ? 'none' : enc.kind))) tunnel.problems.push(`B shows no ${enc.kind === 'none' ? 'plain' : enc.kind} packets of the path`);
  hops.push(tunnel);

  if (!sameNode) {
    const c = seenAt('C');
    const arrive: Hop = { where: input.dst.node, title: 'into the destination node (C: its host-only NIC) and decapsulation', facts: [], point: 'C', seen: c.seen, problems: [] };
    const links2 = rd.get('dstNode', 'links', parseLinks);
    const nic = links2?.find((l) => l.ifname === input.nic.dst);
    if (nic) arrive.facts.push({ text: describeLink(nic), from: rd.from('dstNode', 'links') });
    path.push({ node: input.dst.node, device: input.nic.dst, kind: nic?.kind ?? 'nic', ...(nic ? { mtu: nic.mtu } : {}) });
    if (enc.kind === 'vxlan' || enc.kind === 'ipip' || enc.kind === 'wireguard') {
      const dec = links2?.find((l) => l.ifname === enc.device);
      if (links2 && !dec) arrive.problems.push(`${input.dst.node} has no ${enc.device}: nothing there would decapsulate`);
      if (dec) {
        const what = enc.kind === 'vxlan' ? `the kernel's VXLAN socket on UDP ${dec.vxlan?.port ?? '?'} hands VNI ${dec.vxlan?.id ?? '?'} to ${dec.ifname}, which strips the outer headers` : enc.kind === 'ipip' ? `${dec.ifname} (${dec.kind ?? '?'}) takes IP protocol 4 and strips the outer header` : `${dec.ifname} decrypts`;
        arrive.facts.push({ text: `${describeLink(dec)}: ${what}`, from: rd.from('dstNode', 'links') });
        if (enc.kind === 'vxlan' && (dec.vxlan?.id !== enc.vni || dec.vxlan?.port !== enc.udpPort)) arrive.problems.push(`${dec.ifname} on ${input.dst.node} is VXLAN id ${dec.vxlan?.id ?? '?'} port ${dec.vxlan?.port ?? '?'}, the CNI uses VNI ${enc.vni} port ${enc.udpPort}`);
        path.push({ node: input.dst.node, device: dec.ifname, kind: dec.kind ?? 'device', mtu: dec.mtu });
        note(input.dst.node, `${dec.ifname} decapsulates`);
      }
    } else arrive.facts.push({ text: 'plain routing: nothing to decapsulate, the packet is already the pod packet', from: rd.from('dstNode', 'links') });
    if (input.analyses.C && !c.flows.length) arrive.problems.push('C shows no packets of the path');
    hops.push(arrive);
  }

  const dst = podHop('dstPod', 'dstNode', input.dst);
  const deliver: Hop = { where: input.dst.node, title: 'delivery to the destination pod (D: its veth)', facts: [], point: 'D', seen: seenAt('D').seen, problems: [] };
  const toPod = rd.get('dstNode', routeGetKey(input.dst.ip), parseRoutes)?.[0];
  if (toPod) deliver.facts.push({ text: `ip route get ${input.dst.ip}: ${describeRoute(toPod)}`, from: rd.from('dstNode', routeGetKey(input.dst.ip)) });
  const back = rd.get('dstNode', routeGetKey(input.src.ip), parseRoutes)?.[0];
  if (back) {
    deliver.facts.push({ text: `the reply's way back: ip route get ${input.src.ip}: ${describeRoute(back)}`, from: rd.from('dstNode', routeGetKey(input.src.ip)) });
    note(input.dst.node, `${input.src.ip} -> ${back.dev ?? '?'}${back.gateway ? ` via ${back.gateway}` : ''}`);
  }
  const before = path.length;
  hostSide('dstNode', dst.iflink, dst.gateway, deliver, input.dst.node, { node: input.dst.pod, device: 'eth0', kind: 'veth', ...(dst.mtu !== undefined ? { mtu: dst.mtu } : {}) });
  if (sameNode) path.splice(before, path.length - before, ...path.slice(before).filter((d) => d.node !== input.src.node || d.kind !== 'bridge' || !path.slice(0, before).some((x) => x.device === d.device)));
  const d = seenAt('D');
  if (input.analyses.D && !d.flows.some((f) => f.encapsulation === 'none' && (f.inner.source === input.dst.ip || f.inner.destination === input.dst.ip))) deliver.problems.push(`D shows no plain packets between ${input.src.ip} and ${input.dst.ip}`);
  hops.push(deliver, dst.hop);

  // The allocation as the source node routes it: own slices (blackhole, or the pods' bridge), and every route whose
  // next hop leads to another node (directly, or through the VXLAN neighbour and fdb entries).
  const slices: Explanation['slices'] = [];
  const allRoutes = rd.get('srcNode', 'routes', parseRoutes);
  if (allRoutes) {
    const neighs = rd.get('srcNode', 'neigh', parseNeighbours) ?? [];
    const fdbs = enc.kind === 'vxlan' ? rd.get('srcNode', 'fdb', parseFdb) ?? [] : [];
    const bridges = new Set(path.filter((d) => d.node === input.src.node && d.kind === 'bridge').map((d) => d.device));
    for (const r of allRoutes) {
      if (!r.dst.includes('/') || r.dst === 'default') continue;
      if (r.type === 'blackhole') { slices.push({ node: input.src.node, cidr: r.dst, how: 'blackhole route (the node\'s own block)' }); continue; }
      if (r.dev && bridges.has(r.dev) && !r.gateway) { slices.push({ node: input.src.node, cidr: r.dst, how: `on ${r.dev}` }); continue; }
      if (!r.gateway) continue;
      let owner = nodeName(r.gateway);
      let how = `via ${r.gateway} dev ${r.dev ?? '?'}`;
      if (!owner && enc.kind === 'vxlan' && r.dev === enc.device) {
        const mac = neighs.find((n) => n.dst === r.gateway && n.dev === r.dev)?.lladdr;
        const dst = fdbs.find((f) => f.dev === r.dev && f.mac === mac)?.dst;
        if (dst) { owner = nodeName(dst); how = `via VTEP ${r.gateway} (fdb -> ${dst})`; }
      }
      if (owner) slices.push({ node: owner, cidr: r.dst, how });
    }
  }

  const problems = hops.flatMap((h) => h.problems.map((p) => `${h.where}: ${p}`));
  return {
    scenario: input.scenario, hops, missing: rd.missing, problems, path,
    mtu: { ...(src.mtu !== undefined ? { pod: src.mtu } : {}), ...(tunnelMtu !== undefined ? { tunnel: tunnelMtu } : {}), ...(nicMtu !== undefined ? { nic: nicMtu } : {}) },
    notes: [...notes].map(([node, lines]) => ({ node, lines })),
    slices,
  };
}

export type { Address, RawState };
