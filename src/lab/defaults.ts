// Defaults and fixed facts applied by resolve; kept in one place so rules and resolve agree.
import { intToIp, ipToInt, parseCidr, usableRange } from './net.js';
import type { LabDefinition } from './types.js';

/** The article's `--pod-network-cidr` (kubeadm's podSubnet when a lab names none). */
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/** kubeadm's default serviceSubnet. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_CPUS = 2;
export const DEFAULT_MEMORY_MB = 2048;
export const API_SERVER_PORT = 6443;

/** The host adapter's address when the lab gives none: the highest usable address no node uses (Vagrant would take .1). */
export function defaultHostAddress(lab: LabDefinition): string | undefined {
  const c = parseCidr(lab.network.hostOnly.cidr);
  const used = new Set(lab.nodes.map((n) => ipToInt(n.ip)));
  const { first, last } = usableRange(c);
  for (let n = last; n >= first; n--) if (!used.has(n)) return intToIp(n);
  return undefined;
}
