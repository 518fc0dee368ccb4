// The contract every CNI plugin folder implements (src/cni/<plugin>/index.ts), registered in src/cni/registry.ts.
import type { Problem } from '../errors.js';
import type { JsonSchema } from '../lab/json-schema.js';
import type { LabDefinition, ResolvedLab, WireEncapsulation } from '../lab/types.js';
import type { RenderedFile, TemplateFn } from '../render/types.js';

/** A port or protocol the host firewall must let through between nodes (EL's firewalld). */
export type FirewallRule = { port: string; protocol: 'tcp' | 'udp'; why: string } | { ipProtocol: number; name: string; why: string };

/** What Ready means for a plugin: DaemonSets whose pods must all be ready, and optional extra kubectl checks. */
export interface CniReadiness {
  daemonSets: { namespace: string; name: string }[];
  /** Custom resources whose `Available` condition must be True (e.g. Calico's tigerastatus). */
  conditions?: { resource: string; name: string; condition: string }[];
}

/** A CNI plugin: options, pinned versions, NIC selection, firewall needs, readiness, wire format, and its files. */
export interface CniPlugin {
  name: string;
  description: string;
  /** Upstream versions labgen knows how to install; the first is the default. */
  versions: readonly string[];
  /** Schema of `cni.options` for this plugin (closed object, defaults declared). */
  optionsSchema: JsonSchema;
  /** How the plugin is pointed at the pod-network NIC, for --help and README. */
  nicSelection: string;
  /** Options with defaults applied. */
  resolveOptions(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Cross-field rules beyond the schema, run on a schema-valid lab. */
  rules(lab: LabDefinition): Problem[];
  encapsulation(options: Record<string, unknown>): WireEncapsulation;
  firewall(options: Record<string, unknown>): FirewallRule[];
  readiness(options: Record<string, unknown>): CniReadiness;
  /** Where the plugin's pods live, for `labgen logs`: a namespace and, when the plugin shares it, a label selector. */
  logSources(options: Record<string, unknown>): { namespace: string; selector?: string }[];
  /** Human summary such as `flannel v0.27.4, vxlan`. */
  summary(version: string, options: Record<string, unknown>): string;
  /** Files under `cni/`: manifests and `cni/install.sh`, run once on the control plane after kubeadm init. */
  render(lab: ResolvedLab, template: TemplateFn): RenderedFile[];
}
