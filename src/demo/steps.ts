// Pure: the commands that program the demo's namespaces the way the lab's CNI programs a node's kernel.
import type { DemoNode, DemoPod, DemoTopology, Scenario } from './topology.js';

/** One command: `ns` set means it runs inside that namespace (ip netns exec), unset only for `ip netns add`. */
export interface Step { ns?: string; argv: string[] }

const inNs = (ns: string, ...argv: string[]): Step => ({ ns, argv });

/** Creates and quiets one namespace (no IPv6 chatter in the captures). */
function namespace(ns: string, router: boolean): Step[] {
  const sys = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
  if (router) sys.push('net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0');
  return [{ argv: ['ip', 'netns', 'add', ns] }, inNs(ns, 'sysctl', '-q', '-w', ...sys), inNs(ns, 'ip', 'link', 'set', 'lo', 'up')];
}

/** The namespaces, the host-only wire (a bridge every node's NIC2 plugs into) and each node's NAT NIC with the default route. */
export function baseSteps(t: DemoTopology): Step[] {
  const s: Step[] = [...namespace(t.wireNs, false)];
  s.push(inNs(t.wireNs, 'ip', 'link', 'add', t.wireBridge, 'type', 'bridge'), inNs(t.wireNs, 'ip', 'link', 'set', t.wireBridge, 'up'));
  for (const n of t.nodes) {
    s.push(...namespace(n.ns, true));
    // NIC1 (NAT) holds the default route as on a real node; its peer sits unaddressed, so what goes there dies there.
    s.push(inNs(n.ns, 'ip', 'link', 'add', n.nic1, 'type', 'veth', 'peer', 'name', 'nat0'),
      inNs(n.ns, 'ip', 'addr', 'add', `${n.natIp}/${n.natPrefix}`, 'dev', n.nic1),
      inNs(n.ns, 'ip', 'link', 'set', 'nat0', 'up'), inNs(n.ns, 'ip', 'link', 'set', n.nic1, 'up'),
      inNs(n.ns, 'ip', 'route', 'add', 'default', 'via', n.natGateway, 'dev', n.nic1));
    s.push(inNs(n.ns, 'ip', 'link', 'add', n.nic2, 'address', n.nic2Mac, 'type', 'veth', 'peer', 'name', n.wirePeer, 'netns', t.wireNs),
      inNs(t.wireNs, 'ip', 'link', 'set', n.wirePeer, 'master', t.wireBridge, 'up'),
      inNs(n.ns, 'ip', 'addr', 'add', `${n.ip}/${n.prefixLength}`, 'dev', n.nic2),
      inNs(n.ns, 'ip', 'link', 'set', n.nic2, 'up'));
  }
  for (const p of t.pods) s.push(...namespace(p.ns, false));
  return s;
}

/** Each pod's veth, as the CNI wires it: on the bridge (gateway .1 of the slice) or routed behind a proxy-ARP host veth. */
export function podSteps(t: DemoTopology): Step[] {
  const s: Step[] = [];
  const dp = t.dataplane;
  const mtu = String(dp.mtu);
  for (const n of t.nodes) {
    const pods = t.pods.filter((p) => p.node === n.name);
    if (!pods.length) continue;
    if (dp.pod.kind === 'bridge') {
      const gw = pods[0]!.gateway;
      s.push(inNs(n.ns, 'ip', 'link', 'add', dp.pod.bridge, 'mtu', mtu, 'type', 'bridge'),
        inNs(n.ns, 'ip', 'addr', 'add', `${gw}/${dp.sliceLength}`, 'dev', dp.pod.bridge),
        inNs(n.ns, 'ip', 'link', 'set', dp.pod.bridge, 'up'));
    }
    for (const p of pods) {
      const hostMac = dp.pod.kind === 'routed' ? ['address', dp.pod.hostMac] : [];
      s.push(inNs(n.ns, 'ip', 'link', 'add', p.hostVeth, ...hostMac, 'mtu', mtu, 'type', 'veth', 'peer', 'name', 'eth0', 'address', p.mac, 'netns', p.ns));
      if (dp.pod.kind === 'bridge') s.push(inNs(n.ns, 'ip', 'link', 'set', p.hostVeth, 'master', dp.pod.bridge, 'up'));
      else {
        s.push(inNs(n.ns, 'sysctl', '-q', '-w', `net.ipv4.conf.${p.hostVeth}.proxy_arp=1`, `net.ipv4.neigh.${p.hostVeth}.proxy_delay=0`),
          inNs(n.ns, 'ip', 'link', 'set', p.hostVeth, 'up'),
          inNs(n.ns, 'ip', 'route', 'add', `${p.ip}/32`, 'dev', p.hostVeth, 'scope', 'link'));
      }
      s.push(inNs(p.ns, 'ip', 'link', 'set', 'eth0', 'mtu', mtu, 'up'), inNs(p.ns, 'ip', 'addr', 'add', `${p.ip}/${p.prefixLength}`, 'dev', 'eth0'));
      if (dp.pod.kind === 'routed') s.push(inNs(p.ns, 'ip', 'route', 'add', p.gateway, 'dev', 'eth0', 'scope', 'link'));
      s.push(inNs(p.ns, 'ip', 'route', 'add', 'default', 'via', p.gateway, 'dev', 'eth0'));
    }
    if (dp.blackholeOwnSlice) s.push(inNs(n.ns, 'ip', 'route', 'add', 'blackhole', n.slice));
  }
  return s;
}

/** How the CNI reaches the other nodes' slices: VXLAN (device, fdb, neighbour, onlink route), or plain routes via the remote node. */
export function routeSteps(t: DemoTopology): Step[] {
  const enc = t.encapsulation;
  const s: Step[] = [];
  for (const n of t.nodes) {
    const remotes = t.nodes.filter((r) => r !== n);
    if (enc.kind === 'vxlan') {
      s.push(inNs(n.ns, 'ip', 'link', 'add', enc.device, 'address', n.vtepMac, 'type', 'vxlan', 'id', String(enc.vni), 'local', n.ip, 'dev', n.nic2, 'dstport', String(enc.udpPort), 'nolearning'),
        inNs(n.ns, 'ip', 'addr', 'add', `${n.tunnelIp}/32`, 'dev', enc.device),
        inNs(n.ns, 'ip', 'link', 'set', enc.device, 'up'));
      for (const r of remotes) {
        s.push(inNs(n.ns, 'ip', 'route', 'add', r.slice, 'via', r.tunnelIp, 'dev', enc.device, 'onlink'),
          inNs(n.ns, 'ip', 'neigh', 'replace', r.tunnelIp, 'lladdr', r.vtepMac, 'dev', enc.device, 'nud', 'permanent'),
          inNs(n.ns, 'bridge', 'fdb', 'append', r.vtepMac, 'dev', enc.device, 'dst', r.ip, 'self', 'permanent'));
      }
    } else if (enc.kind === 'none') {
      for (const r of remotes) s.push(inNs(n.ns, 'ip', 'route', 'add', r.slice, 'via', r.ip, 'dev', n.nic2));
    }
  }
  return s;
}

/** IP-in-IP with the kernel's tunl0 (only when this kernel has the ipip module): address, MTU, onlink routes via the remote nodes. */
export function ipipKernelSteps(t: DemoTopology, device: string): Step[] {
  const s: Step[] = [];
  for (const n of t.nodes) {
    s.push(inNs(n.ns, 'ip', 'addr', 'add', `${n.tunnelIp}/32`, 'dev', device), inNs(n.ns, 'ip', 'link', 'set', device, 'mtu', String(t.dataplane.mtu), 'up'));
    for (const r of t.nodes.filter((x) => x !== n)) s.push(inNs(n.ns, 'ip', 'route', 'add', r.slice, 'via', r.ip, 'dev', device, 'onlink'));
  }
  return s;
}

/** After the user-space stand-in opened its TUN device on a node: the same address, MTU and routes as the kernel's tunl0. */
export function ipipStandInSteps(t: DemoTopology, n: DemoNode, device: string): Step[] {
  const s: Step[] = [inNs(n.ns, 'ip', 'link', 'set', device, 'mtu', String(t.dataplane.mtu), 'up'), inNs(n.ns, 'ip', 'addr', 'add', `${n.tunnelIp}/32`, 'dev', device)];
  for (const r of t.nodes.filter((x) => x !== n)) s.push(inNs(n.ns, 'ip', 'route', 'add', r.slice, 'via', r.ip, 'dev', device, 'onlink'));
  return s;
}

/** kube-proxy's iptables programming of one ClusterIP (KUBE-SERVICES -> KUBE-SVC -> KUBE-SEP DNAT) on every node. */
export function serviceSteps(t: DemoTopology, dst: DemoPod): Step[] {
  const s: Step[] = [];
  const { ip, port, targetPort } = t.service;
  for (const n of t.nodes) {
    const ipt = (...a: string[]) => inNs(n.ns, 'iptables', '-w', '-t', 'nat', ...a);
    s.push(ipt('-N', 'KUBE-SERVICES'), ipt('-N', 'KUBE-SVC-LABGENDEMO'), ipt('-N', 'KUBE-SEP-LABGENDEMO'),
      ipt('-A', 'PREROUTING', '-j', 'KUBE-SERVICES'), ipt('-A', 'OUTPUT', '-j', 'KUBE-SERVICES'),
      ipt('-A', 'KUBE-SERVICES', '-d', `${ip}/32`, '-p', 'tcp', '--dport', String(port), '-j', 'KUBE-SVC-LABGENDEMO'),
      ipt('-A', 'KUBE-SVC-LABGENDEMO', '-j', 'KUBE-SEP-LABGENDEMO'),
      ipt('-A', 'KUBE-SEP-LABGENDEMO', '-p', 'tcp', '-j', 'DNAT', '--to-destination', `${dst.ip}:${targetPort}`));
  }
  return s;
}

/** All configuration steps of one run, except the IP-in-IP stand-in's (which needs a background program first). */
export function buildSteps(t: DemoTopology, scenario: Scenario, dst: DemoPod): Step[] {
  return [...baseSteps(t), ...podSteps(t), ...routeSteps(t), ...(scenario === 'service' ? serviceSteps(t, dst) : [])];
}
