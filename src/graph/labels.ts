// The words of the picture, shared by the SVG, the Mermaid text and the lab README so they never disagree.
import type { ResolvedLab, ResolvedNic, ResolvedNode, WireEncapsulation } from '../lab/types.js';
import type { GraphFacts } from './facts.js';
import type { CapturePoint, GraphOverlay } from './types.js';

/** Name of NIC1's network as the provider declares it, in the provider's own words. */
export function nic1NetworkName(facts: GraphFacts): string { return facts.nic1.name; }

/** How NIC1's network is built, in words: one NAT engine per VM, or one network every VM shares. */
export function nic1ShapeText(lab: ResolvedLab, facts: GraphFacts): string {
  return facts.nic1.kind === 'per-vm'
    ? `each VM has its own NAT engine: NIC1 is ${lab.network.nat.guestAddress} behind ${facts.nic1.gateway ?? 'its gateway'} in every VM, and the VMs do not reach each other there`
    : `one ${lab.network.nat.cidr} network that every VM's NIC1 shares`;
}

/** The host's side of the host-only network, e.g. `host (vboxnet)`, as the provider declares it. */
export function hostAdapterName(lab: ResolvedLab, facts: GraphFacts): string {
  return `host (${lab.network.hostOnly.interface ?? facts.hostAdapter})`;
}

/** What the CNI puts between nodes, e.g. `UDP 8472, VNI 1, <device>`. */
export function encapsulationText(e: WireEncapsulation): string {
  switch (e.kind) {
    case 'vxlan': return `UDP ${e.udpPort}, VNI ${e.vni}, ${e.device}`;
    case 'ipip': return `IP-in-IP (IP protocol 4), ${e.device}`;
    case 'wireguard': return `WireGuard UDP ${e.udpPort}, ${e.device}`;
    default: return 'no encapsulation (routed)';
  }
}

/** The CNI line of the legend: the plugin's summary, then its encapsulation on the wire. */
export function cniText(lab: ResolvedLab): string { return `${lab.cni.summary}: ${encapsulationText(lab.cni.encapsulation)}`; }

/** NIC label, e.g. `NIC2 enp0s8`. */
export function nicTitle(nic: ResolvedNic, i: number): string { return `NIC${i + 1} ${nic.name}`; }

/** NIC address, e.g. `10.0.0.1/24`, or `dhcp` where the provider's NIC1 network hands addresses out. */
export function nicAddress(nic: ResolvedNic): string { return nic.address === 'dhcp' ? 'dhcp' : `${nic.address}/${nic.prefixLength}`; }

/** Role and size of a node, e.g. `control-plane, 2 vCPU, 3072 MB`. */
export function nodeSpec(n: ResolvedNode): string { return `${n.role}, ${n.cpus} vCPU, ${n.memory} MB`; }

/** Whether an overlay's node reference (a Vagrant name or a Kubernetes node name = FQDN) means this node. */
export function isNode(n: ResolvedNode, ref: string): boolean { return ref === n.name || ref === n.hostname; }

/** The pod slices of a node the overlay knows (a plugin's IPAM may give one node several blocks). */
export function podSlicesOf(n: ResolvedNode, overlay?: GraphOverlay): string[] {
  return (overlay?.podSlices ?? []).filter((s) => isNode(n, s.node)).map((s) => s.podCidr);
}

/** Where a capture was taken, in words, e.g. `worker1 pod web-1 10.244.1.5 veth1a2b` or `worker1 NIC2 enp0s8`. */
export function captureWhere(c: CapturePoint, lab?: ResolvedLab): string {
  const node = lab?.nodes.find((n) => isNode(n, c.node));
  const onPod = c.podName !== undefined || c.podIp !== undefined;
  const nic = onPod ? -1 : node?.nics.findIndex((n) => n.name === c.iface) ?? -1;
  return [node?.name ?? c.node, onPod ? 'pod' : '', c.podName ?? '', c.podIp ?? '', nic >= 0 ? `NIC${nic + 1}` : '', c.iface].filter((s) => s !== '').join(' ');
}
