// Types of a lab: as written in a YAML file (LabDefinition) and after defaults are applied (ResolvedLab).
import type { ResolvedMirrors } from './mirrors.js';

/** Role of a node in the cluster. */
export type NodeRole = 'control-plane' | 'worker';

/** A node as written in a lab file. */
export interface NodeDefinition {
  name: string;
  hostname: string;
  role: NodeRole;
  ip: string;
  cpus?: number;
  memory?: number;
}

/** How the CNI finds the pod-network NIC: a fixed name, or `auto` (the NIC carrying the node's host-only address). */
export type InterfaceSelection = string;

/** A lab file after schema validation (defaults not yet applied). */
export interface LabDefinition {
  name: string;
  description?: string;
  os: {
    family: string;
    box?: string;
    boxVersion?: string;
    selinux?: 'permissive' | 'enforcing';
    firewall?: 'configured' | 'disabled';
    /** `os.<family>`: options of that family only (its optionsSchema). */
    [family: string]: unknown;
  };
  provider?: { name?: string; [key: string]: unknown };
  network: {
    hostOnly: { cidr: string; hostAddress?: string; interface?: string };
  };
  kubernetes: {
    /** A minor labgen pins; default: the newest minor every registered CNI plugin supports (defaultKubernetesMinor). */
    version?: string;
    podCidr?: string;
    serviceCidr?: string;
    dnsDomain?: string;
    runtime?: 'containerd';
  };
  cni: {
    plugin: string;
    version?: string;
    interface?: InterfaceSelection;
    options?: Record<string, unknown>;
  };
  defaults?: { cpus?: number; memory?: number };
  nodes: NodeDefinition[];
  /** Package and image mirrors (src/lab/mirrors.ts). */
  mirrors?: {
    os?: { url: string; signedBy?: string };
    kubernetes?: { url: string; signedBy?: string };
    containerd?: { url: string; signedBy?: string };
    images?: Record<string, string>;
  };
  /** false: no host-side download cache for this lab (src/cache/). */
  cache?: boolean;
}

/** A NIC of a resolved node. */
export interface ResolvedNic {
  /** Name inside the guest, e.g. `enp0s8`; for NIC2 in `auto` mode the name the box is expected to use. */
  name: string;
  kind: 'nat' | 'host-only';
  address: string;
  prefixLength: number;
}

/** A node with every value known. */
export interface ResolvedNode {
  name: string;
  hostname: string;
  role: NodeRole;
  ip: string;
  cpus: number;
  memory: number;
  index: number;
  nics: [ResolvedNic, ResolvedNic];
}

/** What the CNI puts on the wire between nodes; used by verify/analyze and graph. */
export type WireEncapsulation =
  | { kind: 'vxlan'; udpPort: number; vni: number; device: string }
  | { kind: 'ipip'; device: string }
  | { kind: 'wireguard'; udpPort: number; device: string }
  | { kind: 'none' };

/** The CNI as resolved: plugin, pinned version, options with defaults, NIC selection. */
export interface ResolvedCni {
  plugin: string;
  version: string;
  interface: { mode: 'name'; name: string } | { mode: 'auto' };
  options: Record<string, unknown>;
  encapsulation: WireEncapsulation;
  /** Human summary from the plugin, e.g. `<plugin> v1.2.3 (vxlan)`. */
  summary: string;
}

/** The provider as resolved: its name, its options with defaults, and its words for the lab's picture. */
export interface ResolvedProvider {
  name: string;
  options: Record<string, unknown>;
  /** NIC1's network and the host's adapter, as the provider names them (Provider.labels). */
  labels: { nic1Network: string; hostAdapter: string };
}

/** A lab with defaults applied and derived values computed: everything templates place. */
export interface ResolvedLab {
  name: string;
  description: string;
  os: {
    family: string; box: string; boxVersion?: string;
    /** Present only for a family with SELinux (OsFamily.hasSelinux). */
    selinux?: 'permissive' | 'enforcing';
    /** Present only for a family with firewalld (OsFamily.hasFirewalld). */
    firewall?: 'configured' | 'disabled';
    /** The family's own options with defaults (present only for a family that has options). */
    options?: Record<string, unknown>;
    /** apt or dnf: the family's package manager, which verify installs tcpdump with (absent in labs rendered before it existed). */
    packageManager?: 'apt' | 'dnf';
  };
  provider: ResolvedProvider;
  network: {
    hostOnly: { cidr: string; network: string; prefixLength: number; netmask: string; hostAddress: string; interface?: string };
    /** The provider's NIC1 network (Provider.nic1Network); guestAddress `dhcp` when the provider hands addresses out. */
    nat: { cidr: string; guestAddress: string };
  };
  kubernetes: {
    minor: string;
    podCidr: string;
    serviceCidr: string;
    dnsDomain: string;
    apiServerAddress: string;
    apiServerPort: number;
    runtime: 'containerd';
  };
  cni: ResolvedCni;
  nodes: ResolvedNode[];
  controlPlane: ResolvedNode;
  workers: ResolvedNode[];
  /** The mirrors the lab set (absent: every package and image from upstream). */
  mirrors?: ResolvedMirrors;
  /** Present (false) only when the lab turned the host-side download cache off. */
  cache?: false;
}
