// The contract every OS family folder implements (src/os/<family>/index.ts), registered in src/registries.ts.
import type { JsonSchema } from '../lab/json-schema.js';
import type { ResolvedLab } from '../lab/types.js';

/** The box and guest NIC names an OS family uses under one provider. */
export interface BoxChoice {
  box: string;
  /** Guest names of NIC1 (NAT / management) and NIC2 (host-only) with this box and provider. */
  nics: [string, string];
  /** Where the box name and NIC naming were checked. */
  source: string;
}

/** An OS family: how to provision it (template), which boxes it uses per provider. */
export interface OsFamily {
  name: string;
  description: string;
  /** Default box per provider name. */
  boxes: Record<string, BoxChoice>;
  /** Template (under templates/) of the base provisioning script. */
  baseTemplate: string;
  /** Whether SELinux and firewalld exist on this family (EL) or not (Ubuntu uses neither by default). */
  hasSelinux: boolean;
  hasFirewalld: boolean;
  /** Where the kubelet package reads KUBELET_EXTRA_ARGS (node-ip). */
  kubeletDefaultsFile: string;
  /** The guest's package manager: verify installs tcpdump with it (absent: dnf, as EL, or apt for ubuntu, as before). */
  packageManager?: 'apt' | 'dnf';
  /** Schema of `os.<family>` in a lab file: options only this family has (absent: none). */
  optionsSchema?: JsonSchema;
  /** The family's options with defaults applied (kept in the resolved lab as os.options). */
  resolveOptions?(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Extra settings for provision/lab.env (names in capitals; values are shell-quoted by the renderer). */
  envVars?(lab: ResolvedLab): Record<string, string | number>;
}
