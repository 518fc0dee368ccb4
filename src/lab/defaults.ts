// Defaults and fixed facts applied by resolve; kept in one place so rules and resolve agree.
import { intToIp, ipToInt, parseCidr, usableRange } from './net.js';
import type { LabDefinition } from './types.js';

/** flannel's default Network, which the article's `--pod-network-cidr` matches. */
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/** kubeadm's default serviceSubnet. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** VirtualBox NAT: every VM's NIC1 is 10.0.2.15 on 10.0.2.0/24. */
export const VIRTUALBOX_NAT_CIDR = '10.0.2.0/24';
export const VIRTUALBOX_NAT_GUEST = '10.0.2.15';
export const DEFAULT_CPUS = 2;
export const DEFAULT_MEMORY_MB = 2048;
export const API_SERVER_PORT = 6443;
/** The provider a lab uses when it names none: the article's. */
export const DEFAULT_PROVIDER = 'virtualbox';

/** The host adapter's address when the lab gives none: the highest usable address no node uses (Vagrant would take .1). */
export function defaultHostAddress(lab: LabDefinition): string | undefined {
  const c = parseCidr(lab.network.hostOnly.cidr);
  const used = new Set(lab.nodes.map((n) => ipToInt(n.ip)));
  const { first, last } = usableRange(c);
  for (let n = last; n >= first; n--) if (!used.has(n)) return intToIp(n);
  return undefined;
}
