// The contract every OS family folder implements (src/os/<family>/index.ts), registered in src/registries.ts.
import type { JsonSchema } from '../lab/json-schema.js';
import type { ResolvedLab } from '../lab/types.js';

/** How the box's guest looks to Vagrant on every boot: what its guest detection and `configure_networks` read. */
export interface GuestFacts {
  /** /etc/os-release of the box (Vagrant's guest detection reads ID). */
  osRelease: string;
  /** /etc/redhat-release, on Red Hat-like boxes (Vagrant's redhat guest detection reads it). */
  redhatRelease?: string;
  /** What configures the box's NICs: NetworkManager (ifcfg/keyfiles), netplan rendering for systemd-networkd, or ifupdown. */
  network: 'networkmanager' | 'netplan-networkd' | 'ifupdown';
}

/** A box another publisher builds of the same OS, with the same NIC layout: `os.box` may name it instead. */
export interface AlternativeBox {
  box: string;
  /** A version known to be published (pinned by default when the lab names this box without os.boxVersion). */
  version?: string;
  source: string;
}

/** The box and guest NIC names an OS family uses under one provider. */
export interface BoxChoice {
  box: string;
  /** A version known to be published for this provider (the Vagrantfile's box_version unless os.boxVersion says otherwise). */
  version?: string;
  /** Other publishers' builds of the same OS with the same NIC layout, for when the default cannot be downloaded. */
  alternatives?: AlternativeBox[];
  /** Guest names of NIC1 (NAT / management) and NIC2 (host-only) with this box and provider. */
  nics: [string, string];
  /**
   * Names the kernel's predictable naming would give NIC1 and NIC2 under this provider (their PCI slots), which the
   * box's kernel command line turns off. A lab that names NIC2 like this gets BOTH NICs renamed to these names by
   * MAC, so Vagrant's sorted NIC list stays [NIC1, NIC2] on every boot (test/restart proves it with Vagrant's code).
   */
  predictableNics?: [string, string];
  /** Where the box name and NIC naming were checked. */
  source: string;
  guest: GuestFacts;
}

/** An OS family: how to provision it (template), which boxes it uses per provider. */
export interface OsFamily {
  name: string;
  description: string;
  /** Default box per provider name. */
  boxes: Record<string, BoxChoice>;
  /** Its templates folder, beside its code: `templatesBeside(import.meta.url)` in its index.ts. */
  templatesDir: string;
  /** Template of the base provisioning script, named relative to its templatesDir. */
  baseTemplate: string;
  /** Whether SELinux and firewalld exist on this family: only then does a lab get os.selinux / os.firewall and lab.env their settings. */
  hasSelinux: boolean;
  hasFirewalld: boolean;
  /** Where the kubelet package reads KUBELET_EXTRA_ARGS (node-ip). */
  kubeletDefaultsFile: string;
  /**
   * The Vagrant guest every box of this family is (`config.vm.guest`), when they all are the same one: Vagrant then
   * skips its guest detection, a `test` command over SSH per guest plugin it tries, on every `vagrant up` of every
   * machine. Absent where the family's boxes are different guests to Vagrant (Rocky, AlmaLinux and RHEL boxes each
   * have their own): Vagrant detects. test/restart runs Vagrant's own detection on each default box and checks that
   * it finds this guest.
   */
  vagrantGuest?: string;
  /** The guest's package manager: verify installs tcpdump with it (absent: verify says the family names none). */
  packageManager?: 'apt' | 'dnf';
  /** Schema of `os.<family>` in a lab file: options only this family has (absent: none). */
  optionsSchema?: JsonSchema;
  /** The family's options with defaults applied (kept in the resolved lab as os.options). */
  resolveOptions?(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Extra settings for provision/lab.env (names in capitals; values are shell-quoted by the renderer). */
  envVars?(lab: ResolvedLab): Record<string, string | number>;
}
