// The contract every CNI plugin folder implements (src/cni/<plugin>/index.ts), registered in src/registries.ts.
import type { Problem } from '../errors.js';
import type { JsonSchema } from '../lab/json-schema.js';
import type { LabDefinition, ResolvedLab, WireEncapsulation } from '../lab/types.js';
import type { RenderedFile, TemplateFn } from '../render/types.js';

/** A port or protocol the host firewall must let through between nodes (a family's firewalld). */
export type FirewallRule = { port: string; protocol: 'tcp' | 'udp'; why: string } | { ipProtocol: number; name: string; why: string };

/** What Ready means for a plugin: DaemonSets whose pods must all be ready, and optional extra kubectl checks. */
export interface CniReadiness {
  daemonSets: { namespace: string; name: string }[];
  /** Custom resources whose `Available` condition must be True (e.g. an operator's status resource). */
  conditions?: { resource: string; name: string; condition: string }[];
}

/**
 * How a CNI programs a node's kernel for pods, as far as `labgen demo` rebuilds it and `verify` explains it.
 * The core reads this and never branches on a plugin's name.
 */
export interface CniDataplane {
  /** How a pod's veth lands on the node: enslaved to a bridge whose address is the pods' gateway (e.g. cni0 of
   * the CNI bridge plugin), or routed on its own host veth with a link-local gateway the veth answers by proxy ARP
   * (e.g. a link-local gateway such as 169.254.1.1 and a fixed host MAC). */
  pod: { kind: 'bridge'; bridge: string; vethPrefix: string } | { kind: 'routed'; gateway: string; vethPrefix: string; hostMac: string };
  /** The pod MTU the CNI configures (the NIC's 1500 less the encapsulation's overhead). */
  mtu: number;
  /** Prefix length of each node's slice of the pool (e.g. the controller's /24 per node, or IPAM blocks). */
  sliceLength: number;
  /** The pool node slices are cut from. */
  pool: string;
  /** Whether the node installs a blackhole route for its own slice (a BGP daemon may; a bridge plugin does not). */
  blackholeOwnSlice: boolean;
  /** Where the CNI's addresses come from, in words, for the demo's notes. */
  notes: string;
}

/** One node's slice of the pod network, as the running cluster shows it. */
export interface NodePodSlice { node: string; podCidr: string }

/**
 * How the plugin cuts pod addresses per node, for the picture: a plugin may take the node's node.spec.podCIDR (one /24
 * each), or hand out IPAM blocks from its pool, several per node when one fills.
 */
export interface PodSlicing {
  /** The slices' prefix length (24, or the plugin's IPAM block size). */
  prefixLength: number;
  /** Whether a node may hold several slices. */
  several: boolean;
  /** The legend's words, e.g. `one /24 per node (node.spec.podCIDR)`. */
  text: string;
  /**
   * Where a Ready cluster shows the slices: absent, each node's spec.podCIDR; else a `kubectl get ... -o json` whose
   * output parse() reads (failing or empty: no slices are drawn, since node.spec.podCIDR is not what this CNI uses).
   */
  query?: { args: string[]; parse(json: unknown): NodePodSlice[] };
}

/** A CNI plugin: options, pinned versions, NIC selection, firewall needs, readiness, wire format, and its files. */
export interface CniPlugin {
  name: string;
  description: string;
  /** Upstream versions labgen knows how to install; the first is the default. */
  versions: readonly string[];
  /** Kubernetes minors each pinned version supports (its upstream's own statement, cited in the plugin). */
  kubernetesMinors: Readonly<Record<string, readonly string[]>>;
  /**
   * What the plugin's upstream requires of the host firewall: `disabled` when it says firewalld must be off on its
   * hosts (the lab's os.firewall then defaults to disabled and may not be `configured`), else the plugin's
   * firewall() ports are opened.
   */
  hostFirewall: { mode: 'configured' } | { mode: 'disabled'; why: string };
  /** Schema of `cni.options` for this plugin (closed object, defaults declared). */
  optionsSchema: JsonSchema;
  /** How the plugin is pointed at the pod-network NIC, for --help and README. */
  nicSelection: string;
  /** Options with defaults applied. */
  resolveOptions(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Cross-field rules beyond the schema, run on a schema-valid lab. */
  rules(lab: LabDefinition): Problem[];
  encapsulation(options: Record<string, unknown>): WireEncapsulation;
  /** The kernel programming of a resolved lab's pods and routes (for demo and verify's explanation). */
  dataplane?(lab: ResolvedLab): CniDataplane;
  firewall(options: Record<string, unknown>): FirewallRule[];
  /** How pod addresses are sliced per node (drawn by src/graph, read after Ready). */
  podSlicing(lab: ResolvedLab): PodSlicing;
  readiness(options: Record<string, unknown>): CniReadiness;
  /** Where the plugin's pods live, for `labgen logs`: a namespace and, when the plugin shares it, a label selector. */
  logSources(options: Record<string, unknown>): { namespace: string; selector?: string }[];
  /** Human summary such as `<plugin> v1.2.3 (vxlan)`. */
  summary(version: string, options: Record<string, unknown>): string;
  /** Its templates folder, beside its code (`templatesBeside(import.meta.url)`); absent: it renders without templates. */
  templatesDir?: string;
  /** Files under `cni/`: manifests and `cni/install.sh`, run once on the control plane after kubeadm init (`template` reads its own templates). */
  render(lab: ResolvedLab, template: TemplateFn): RenderedFile[];
}
