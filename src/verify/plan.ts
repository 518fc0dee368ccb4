// Pure planning of a verify run: the workload, which pods to ping between, and what to run where.
import type { ResolvedLab, ResolvedNode } from '../lab/types.js';
import type { PodInfo } from './verdict.js';

/** busybox has sh and ping; small and pulled quickly (the article's centos image is end-of-life). */
export const VERIFY_IMAGE = 'busybox:1.36.1';
export const VERIFY_LABEL = 'app=labgen-verify';

/** Reads `kubectl get pods -o json` output into pod infos (running pods with an IP only). */
export function podsFromJson(json: string): PodInfo[] {
  const doc = JSON.parse(json) as { items: { metadata: { name: string }; status: { podIP?: string; phase?: string }; spec: { nodeName?: string } }[] };
  return doc.items
    .filter((p) => p.status.phase === 'Running' && p.status.podIP && p.spec.nodeName)
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP!, node: p.spec.nodeName! }))
    .sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name));
}

/** Reads each node's pod CIDR (spec.podCIDR, allocated by kube-controller-manager) from `kubectl get nodes -o json`. */
export function podSlicesFromJson(json: string): { node: string; podCidr: string }[] {
  const doc = JSON.parse(json) as { items: { metadata: { name: string }; spec?: { podCIDR?: string } }[] };
  return doc.items.filter((n) => n.spec?.podCIDR).map((n) => ({ node: n.metadata.name, podCidr: n.spec!.podCIDR! }));
}

/** Picks a source and a destination pod on two different workers, preferring the lab's first workers (worker1 -> worker2). */
export function pickPair(lab: ResolvedLab, pods: PodInfo[]): { src: PodInfo; dst: PodInfo; srcNode: ResolvedNode; dstNode: ResolvedNode } | undefined {
  const byHost = new Map(lab.nodes.map((n) => [n.hostname, n]));
  const onWorkers = pods.filter((p) => byHost.get(p.node)?.role === 'worker');
  const order = (p: PodInfo) => byHost.get(p.node)!.index;
  const sorted = [...onWorkers].sort((a, b) => order(a) - order(b));
  const src = sorted[0];
  const dst = sorted.find((p) => src && p.node !== src.node);
  if (!src || !dst) return undefined;
  return { src, dst, srcNode: byHost.get(src.node)!, dstNode: byHost.get(dst.node)! };
}

/** Shell run on a node to name the host side of a pod's veth, from the pod's eth0 iflink index. */
export function vethByIndexCommand(ifindex: number): string {
  return `ip -o link show | awk -F': ' '$1 == ${ifindex} { split($2, a, "@"); print a[1]; exit }'`;
}

/** Shell run on a node to name the NIC carrying an address (for cni.interface: auto). */
export function nicByAddressCommand(ip: string): string {
  return `ip -o -4 addr show | awk '{ split($4, a, "/"); if (a[1] == "${ip}") { print $2; exit } }'`;
}

/** Shell run on a node to make sure tcpdump is there (the article captured on the nodes), with the family's package manager. */
export function ensureTcpdumpCommand(os: { packageManager: 'apt' | 'dnf' }): string {
  return os.packageManager === 'apt'
    ? 'command -v tcpdump >/dev/null || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump >/dev/null'
    : 'command -v tcpdump >/dev/null || sudo dnf -y -q install tcpdump >/dev/null';
}

/** The capture file on the node for one point. */
export function remotePcap(point: string): string { return `/tmp/labgen-capture-${point}.pcap`; }

/** Shell run on a node to capture one point: bounded in time and size, ssh itself filtered out. */
export function tcpdumpCommand(point: string, iface: string, seconds: number): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(iface)) throw new Error(`unexpected interface name ${JSON.stringify(iface)}`);
  return `sudo rm -f ${remotePcap(point)}; sudo timeout ${seconds} tcpdump -i ${iface} -U -s 262 -c 2000 -w ${remotePcap(point)} 'not tcp port 22' 2>/dev/null; true`;
}

/** Shell run on a node to stop its captures early once the pings are done. */
export const STOP_CAPTURES = "sudo pkill -INT -f 'tcpdump .*labgen-capture' || true";
