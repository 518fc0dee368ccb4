// The contract every provider folder implements (src/providers/<name>/index.ts), registered in src/registries.ts.
import type { Check } from '../doctor/check.js';
import type { HostProbe } from '../doctor/probe.js';
import type { Problem } from '../errors.js';
import type { Runner } from '../host/process.js';
import type { JsonSchema } from '../lab/json-schema.js';
import type { LabDefinition, ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';

/** A VM the provider's hypervisor holds: its name, its id there (what Vagrant keeps in .vagrant/machines/<m>/<provider>/id), its networks. */
export interface HostMachine { name: string; id: string; networks: string[] }

/** A network of the hypervisor carrying IPv4 addresses (a host-only interface, a hypervisor network). */
export interface HostNetwork { name: string; cidr: string }

/** What the provider's tools show of the host (read only), or why they could not be read. */
export type HostInventory = { machines: HostMachine[]; networks: HostNetwork[] } | { error: string };

/**
 * How every VM's NIC1 network is built, for the picture: one NAT engine inside each VM (each VM alone
 * behind its own gateway, so every NIC1 has the same address), or one network all VMs share (a management network).
 */
export interface Nic1Shape {
  kind: 'per-vm' | 'shared';
  /** Short name for the drawing, in the provider's words. */
  name: string;
  /** Per-VM: the engine's gateway as the guest sees it (e.g. 10.0.2.2). */
  gateway?: string;
}

/** What a provider's doctor checks are given: the lab (absent: only the provider's tools are checked). */
export interface ProviderDoctorInput { lab?: ResolvedLab; runner: Runner; probe: HostProbe }

/** A provider's doctor checks, and where its VMs run: `remoteHost` names it when that is not this machine. */
export interface ProviderDoctorResult { checks: Check[]; remoteHost?: string }

/** A Vagrant provider labgen can render for and drive. */
export interface Provider {
  name: string;
  description: string;
  /** Schema of `provider.<name>` in a lab file. */
  optionsSchema: JsonSchema;
  resolveOptions(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Cross-field rules of a schema-valid lab that uses this provider (only the lab's own provider's rules run). */
  rules(lab: LabDefinition): Problem[];
  /**
   * Address ranges this provider's host side takes for itself (e.g. the hypervisor's default host-only range), which
   * the lab's pod network must not overlap; each with a label for the message.
   */
  reservedRanges(options: Record<string, unknown>): { cidr: string; label: string }[];
  /**
   * A lab switched to this provider by `--provider`: the definition with what this provider cannot honour replaced,
   * and a notice for each change (the core only adds the notice that the family's box for this provider is used).
   */
  adopt(def: LabDefinition): { def: LabDefinition; notices: string[] };
  /** Doctor's checks of this provider's host side: its tools and their versions, and with a lab its networks. */
  doctor(input: ProviderDoctorInput): Promise<ProviderDoctorResult>;
  /** Words of the lab's picture: NIC1's network (e.g. `NAT (<hypervisor>)`) and the host's side of the host-only network. */
  labels(options: Record<string, unknown>): { nic1Network: string; hostAdapter: string };
  /**
   * The first words of this provider's `vagrant up` messages that start a phase (a machine's line without vagrant's
   * prefix): the box import or clone, and the boot. Bring-up's display and its first-machine-alone gate read them.
   */
  upPhases: { import: RegExp; boot: RegExp };
  /** The network of every VM's NIC1 (NAT or management), which must not overlap the lab's networks. */
  nic1Network(options: Record<string, unknown>): { cidr: string; label: string; guestAddress?: string };
  /** How NIC1's network is built (per-VM NAT engines or one shared network), which the topology draws as it is. */
  nic1Shape(options: Record<string, unknown>): Nic1Shape;
  /** The host's side of the host-only network, for the picture, in the provider's words. */
  hostOnlyAdapter: string;
  /** The name the hypervisor shows for a lab node's VM: labgen's Vagrantfile sets it (each provider's name setting). */
  machineName(labName: string, node: string): string;
  /** The hypervisor's VMs and networks, read with the provider's own tools and nothing changed: doctor's check for other labs. */
  inventory(lab: ResolvedLab, runner: Runner): Promise<HostInventory>;
  /** The command that removes a VM no Vagrant project claims (printed as a fix, never run by labgen). */
  removeMachineCommand(lab: ResolvedLab, machine: HostMachine): string;
  /** Its templates folder, beside its code (`templatesBeside(import.meta.url)`); absent: it renders without templates. */
  templatesDir?: string;
  /** Ruby placed in the Vagrantfile: lab-wide provider settings, and the per-machine NIC2 + provider block (`template` reads its own templates). */
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
   * (src/cache/), or undefined when that network is not on this host (a hypervisor on another host), so no cache can serve it.
   */
  cacheHostAddress(lab: ResolvedLab): string | undefined;
  /** The provider's host tools whose versions `labgen logs` records (command and arguments; nothing that connects). */
  hostTools: { command: string; args: string[] }[];
}
