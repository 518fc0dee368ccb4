// The words of the picture, shared by the SVG, the Mermaid text and the lab README so they never disagree.
import type { ResolvedLab, ResolvedNic, ResolvedNode, WireEncapsulation } from '../lab/types.js';
import type { CapturePoint, GraphOverlay } from './types.js';

/** Name of NIC1's network: VirtualBox's per-VM NAT, or libvirt's management network. */
export function nic1NetworkName(lab: ResolvedLab): string {
  if (lab.provider.name === 'virtualbox') return 'NAT (VirtualBox)';
  const mgmt = lab.provider.options.managementNetwork as { name?: unknown } | undefined;
  if (lab.provider.name === 'libvirt') return `management (${typeof mgmt?.name === 'string' ? mgmt.name : 'libvirt'})`;
  return `NIC1 network (${lab.provider.name})`;
}

/** The host's side of the host-only network, e.g. `host (vboxnet)`. */
export function hostAdapterName(lab: ResolvedLab): string {
  if (lab.network.hostOnly.interface) return `host (${lab.network.hostOnly.interface})`;
  if (lab.provider.name === 'virtualbox') return 'host (vboxnet)';
  if (lab.provider.name === 'libvirt') return 'host (libvirt bridge)';
  return 'host adapter';
}

/** What the CNI puts between nodes, e.g. `UDP 8472, VNI 1, flannel.1`. */
export function encapsulationText(e: WireEncapsulation): string {
  switch (e.kind) {
    case 'vxlan': return `UDP ${e.udpPort}, VNI ${e.vni}, ${e.device}`;
    case 'ipip': return `IP-in-IP (IP protocol 4), ${e.device}`;
    case 'wireguard': return `WireGuard UDP ${e.udpPort}, ${e.device}`;
    default: return 'no encapsulation (routed)';
  }
}

/** The CNI line of the legend, e.g. `flannel v0.28.9 (vxlan): UDP 8472, VNI 1, flannel.1`. */
export function cniText(lab: ResolvedLab): string { return `${lab.cni.summary}: ${encapsulationText(lab.cni.encapsulation)}`; }

/** NIC label, e.g. `NIC2 enp0s8`. */
export function nicTitle(nic: ResolvedNic, i: number): string { return `NIC${i + 1} ${nic.name}`; }

/** NIC address, e.g. `10.0.0.1/24`, or `dhcp` under libvirt's management network. */
export function nicAddress(nic: ResolvedNic): string { return nic.address === 'dhcp' ? 'dhcp' : `${nic.address}/${nic.prefixLength}`; }

/** Role and size of a node, e.g. `control-plane, 2 vCPU, 3072 MB`. */
export function nodeSpec(n: ResolvedNode): string { return `${n.role}, ${n.cpus} vCPU, ${n.memory} MB`; }

/** Whether an overlay's node reference (a Vagrant name or a Kubernetes node name = FQDN) means this node. */
export function isNode(n: ResolvedNode, ref: string): boolean { return ref === n.name || ref === n.hostname; }

/** The pod slice of a node, when the overlay knows it. */
export function podSliceOf(n: ResolvedNode, overlay?: GraphOverlay): string | undefined {
  return overlay?.podSlices?.find((s) => isNode(n, s.node))?.podCidr;
}

/** Where a capture was taken, in words, e.g. `worker1 pod web-1 10.244.1.5 veth1a2b` or `worker1 NIC2 enp0s8`. */
export function captureWhere(c: CapturePoint, lab?: ResolvedLab): string {
  const node = lab?.nodes.find((n) => isNode(n, c.node));
  const onPod = c.podName !== undefined || c.podIp !== undefined;
  const nic = onPod ? -1 : node?.nics.findIndex((n) => n.name === c.iface) ?? -1;
  return [node?.name ?? c.node, onPod ? 'pod' : '', c.podName ?? '', c.podIp ?? '', nic >= 0 ? `NIC${nic + 1}` : '', c.iface].filter((s) => s !== '').join(' ');
}
