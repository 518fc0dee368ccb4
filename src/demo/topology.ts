// Pure: the demo's model of a lab's data plane — namespaces, addresses, devices — from the lab and its CNI plugin.
import { createHash } from 'node:crypto';
import { isIpv4 } from '../explain/state.js';
import { intToIp, parseCidr } from '../lab/net.js';
import type { ResolvedLab, WireEncapsulation } from '../lab/types.js';
import type { CniDataplane } from '../cni/types.js';

import type { Scenario } from '../verify/verdict.js';
export type { Scenario };

/** One lab node as a namespace. */
export interface DemoNode {
  name: string; hostname: string; ns: string; index: number; role: string;
  ip: string; prefixLength: number; nic2: string; nic2Mac: string; wirePeer: string;
  nic1: string; natIp: string; natPrefix: number; natGateway: string;
  /** The node's slice of the pod pool and the encapsulation device's address in it (the slice's first address). */
  slice: string; tunnelIp: string; vtepMac: string;
}

/** One test pod as a namespace. */
export interface DemoPod { name: string; node: string; ns: string; ip: string; prefixLength: number; gateway: string; hostVeth: string; mac: string }

/** Everything the demo builds for one run. */
export interface DemoTopology {
  prefix: string; wireNs: string; wireBridge: string;
  encapsulation: WireEncapsulation; dataplane: CniDataplane;
  nodes: DemoNode[]; pods: DemoPod[];
  /** The ClusterIP of the service scenario and its ports (kube-proxy's DNAT target is the destination pod). */
  service: { ip: string; port: number; targetPort: number };
}

const PREFIX = /^lgd[0-9a-f]{6}$/;

/** True for a namespace prefix demo generates (lgd + 6 hex): the only namespaces demo touches. */
export function isDemoPrefix(p: string): boolean { return PREFIX.test(p); }

const hex = (s: string, n: number): string => createHash('sha1').update(s).digest('hex').slice(0, n);
/** A MAC from a fixed two- or three-byte prefix and two varying bytes (e.g. 08:00:27:..). */
const mac = (first: string, i: number, j: number): string => `${first}:${[...(first.split(':').length === 2 ? [0] : []), 0, i, j].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;

/** Cuts the lab into namespaces with the lab's own addresses: every node, one pod per worker plus a second on the first. */
export function demoTopology(lab: ResolvedLab, dataplane: CniDataplane, prefix: string): DemoTopology {
  if (!isDemoPrefix(prefix)) throw new Error(`bad namespace prefix ${prefix}`);
  const pool = parseCidr(dataplane.pool);
  const sliceSize = 2 ** (32 - dataplane.sliceLength);
  const nat = parseCidr(lab.network.nat.cidr);
  const nodes: DemoNode[] = lab.nodes.map((n, i) => {
    const base = pool.first + i * sliceSize;
    // NIC1's address: a provider's NAT may give every VM the same one (10.0.2.15); others hand it out by DHCP
    // ("dhcp" in the lab), so the demo picks one per node in the management network.
    const natIp = isIpv4(n.nics[0].address) ? n.nics[0].address : intToIp(nat.first + 10 + i);
    const natGateway = intToIp(nat.first + 2) === natIp ? intToIp(nat.first + 1) : intToIp(nat.first + 2);
    return {
      name: n.name, hostname: n.hostname, ns: `${prefix}-${n.name}`, index: i, role: n.role,
      ip: n.ip, prefixLength: n.nics[1].prefixLength, nic2: n.nics[1].name, nic2Mac: mac('08:00:27', 0, i + 1), wirePeer: `hw${i}`,
      nic1: n.nics[0].name, natIp, natPrefix: isIpv4(n.nics[0].address) ? n.nics[0].prefixLength : nat.prefix, natGateway,
      slice: `${intToIp(base)}/${dataplane.sliceLength}`, tunnelIp: intToIp(base), vtepMac: mac('66:1a:b0', 0, i + 1),
    };
  });
  const pods: DemoPod[] = [];
  const workers = nodes.filter((n) => n.role === 'worker');
  const bridge = dataplane.pod.kind === 'bridge';
  workers.forEach((w, wi) => {
    const count = wi === 0 ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const name = `labgen-demo-${w.name}-${String.fromCharCode(97 + k)}`;
      const base = parseCidr(w.slice).first;
      const ip = intToIp(base + (bridge ? 2 : 1) + k);
      const hostVeth = `${dataplane.pod.vethPrefix}${hex(`${prefix}/${name}`, 15 - dataplane.pod.vethPrefix.length)}`;
      pods.push({
        name, node: w.name, ns: `${prefix}-p${w.index}${String.fromCharCode(97 + k)}`, ip,
        prefixLength: bridge ? dataplane.sliceLength : 32,
        gateway: dataplane.pod.kind === 'bridge' ? intToIp(base + 1) : dataplane.pod.gateway,
        hostVeth, mac: mac('0a:58', w.index + 1, k + 2),
      });
    }
  });
  const svc = parseCidr(lab.kubernetes.serviceCidr);
  return {
    prefix, wireNs: `${prefix}-wire`, wireBridge: 'hostonly', encapsulation: lab.cni.encapsulation, dataplane, nodes, pods,
    service: { ip: intToIp(svc.first + 100), port: 80, targetPort: 8080 },
  };
}

/** The pods a scenario uses: cross-node and service go worker1 -> worker2, same-node stays on worker1. */
export function scenarioPods(t: DemoTopology, scenario: Scenario): { src: DemoPod; dst: DemoPod } | undefined {
  const src = t.pods[0];
  const dst = scenario === 'same-node' ? t.pods.find((p) => p !== src && p.node === src?.node) : t.pods.find((p) => p.node !== src?.node);
  return src && dst ? { src, dst } : undefined;
}
