// The contract every provider folder implements (src/providers/<name>/index.ts), registered in src/providers/registry.ts.
import type { Problem } from '../errors.js';
import type { JsonSchema } from '../lab/json-schema.js';
import type { LabDefinition, ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';

/** A Vagrant provider labgen can render for and drive. */
export interface Provider {
  name: string;
  description: string;
  /** Schema of `provider.<name>` in a lab file. */
  optionsSchema: JsonSchema;
  resolveOptions(options: Record<string, unknown> | undefined): Record<string, unknown>;
  rules(lab: LabDefinition): Problem[];
  /** The network of every VM's NIC1 (NAT or management), which must not overlap the lab's networks. */
  nic1Network(options: Record<string, unknown>): { cidr: string; label: string; guestAddress?: string };
  /** Ruby placed in the Vagrantfile: lab-wide provider settings, and the per-machine NIC2 + provider block. */
  vagrantfileParts(lab: ResolvedLab, template: TemplateFn): { global: string; machine: string };
  /** How machines are brought up fastest: one `vagrant up <node>` process each, or one `vagrant up --parallel`. */
  bringUp: 'process-per-machine' | 'vagrant-parallel';
  /** Whether the box import / host network must be created by one machine before the others start. */
  firstMachineAlone: boolean;
  /** Vagrant's name of the provider, passed as `--provider=<name>` to every `vagrant up` (so VAGRANT_DEFAULT_PROVIDER cannot switch it). */
  vagrantName: string;
  /**
   * How `vagrant halt` runs (it has no --parallel): one process per machine at once, where concurrent vagrant
   * processes on different machines are safe for the provider, or one process that halts them in turn.
   */
  halt: 'process-per-machine' | 'one-process';
  /**
   * How `vagrant snapshot save|restore|delete` runs (it has no --parallel and takes one machine per call): one process
   * per machine at once where the provider allows concurrent snapshots of different machines, else one after another.
   * Absent: one after another.
   */
  snapshot?: 'process-per-machine' | 'sequential';
  /**
   * The host's own address on the lab's host-only network, where labgen's download cache listens while create runs
   * (src/cache/), or undefined when that network is not on this host (a remote libvirt), so no cache can serve it.
   */
  cacheHostAddress(lab: ResolvedLab): string | undefined;
  /** The provider's host tools whose versions `labgen logs` records (command and arguments; nothing that connects). */
  hostTools: { command: string; args: string[] }[];
}
