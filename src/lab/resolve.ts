// Applies defaults and computes derived values: the only place that decides what a template will place.
import type { Registries } from '../registries.js';
import { API_SERVER_PORT, DEFAULT_CPUS, DEFAULT_MEMORY_MB, DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR, defaultHostAddress } from './defaults.js';
import { resolveMirrors } from './mirrors.js';
import { intToIp, netmask, parseCidr } from './net.js';
import type { LabDefinition, ResolvedLab, ResolvedNode } from './types.js';
import type { BoxChoice } from '../os/types.js';
import { labMinor } from './version-rules.js';

/** Resolves a valid lab definition (checkLab returned no problems) into everything rendering needs. */
export function resolveLab(def: LabDefinition, reg: Registries): ResolvedLab {
  const family = reg.os.require(def.os.family);
  const providerName = def.provider?.name ?? reg.providers.first().name;
  const provider = reg.providers.require(providerName);
  const plugin = reg.cni.require(def.cni.plugin);
  const boxChoice = family.boxes[providerName];
  // rules.ts reports a (family, provider) pair without a box as a problem before resolve runs.
  if (!boxChoice && !def.os.box) throw new Error(`internal: OS family ${family.name} has no default box for ${providerName}; checkLab should have reported it`);
  const hostOnly = parseCidr(def.network.hostOnly.cidr);
  const iface0 = def.cni.interface ?? 'auto';
  const boxNics: [string, string] = boxChoice?.nics ?? ['eth0', 'eth1'];
  // Naming NIC2 by its predictable name renames BOTH NICs (NIC1 too), so Vagrant's sorted NIC list, which decides
  // on every boot which device gets the host-only address, stays [NIC1, NIC2] (test/restart).
  const nicNames: [string, string] = boxChoice?.predictableNics && iface0 === boxChoice.predictableNics[1] ? boxChoice.predictableNics : boxNics;
  const options = plugin.resolveOptions(def.cni.options);
  const providerOptions = provider.resolveOptions(def.provider?.[provider.name] as Record<string, unknown> | undefined);
  const nic1 = provider.nic1Network(providerOptions);
  const version = def.cni.version ?? plugin.versions[0]!;
  const iface = def.cni.interface ?? 'auto';
  const mirrors = resolveMirrors(def);

  const nodes: ResolvedNode[] = def.nodes.map((n, index) => ({
    name: n.name,
    hostname: n.hostname,
    role: n.role,
    ip: n.ip,
    cpus: n.cpus ?? def.defaults?.cpus ?? DEFAULT_CPUS,
    memory: n.memory ?? def.defaults?.memory ?? DEFAULT_MEMORY_MB,
    index,
    nics: [
      { name: nicNames[0], kind: 'nat', address: nic1.guestAddress ?? 'dhcp', prefixLength: Number(nic1.cidr.split('/')[1]) },
      { name: iface === 'auto' ? nicNames[1] : iface, kind: 'host-only', address: n.ip, prefixLength: hostOnly.prefix },
    ],
  }));
  // Control plane first: Vagrant brings it up first and the others join it.
  nodes.sort((a, b) => (a.role === b.role ? a.index - b.index : a.role === 'control-plane' ? -1 : 1));
  const controlPlane = nodes.find((n) => n.role === 'control-plane')!;

  return {
    name: def.name,
    description: def.description ?? '',
    os: {
      family: family.name,
      box: def.os.box ?? boxChoice!.box,
      ...(boxVersionFor(def, boxChoice) ? { boxVersion: boxVersionFor(def, boxChoice)! } : {}),
      // Only a family with SELinux / firewalld gets the settings (the rules refuse them elsewhere).
      ...(family.hasSelinux ? { selinux: def.os.selinux ?? 'permissive' } : {}),
      // A CNI whose upstream says firewalld must be off gets it off by default; the rules refuse `configured`.
      ...(family.hasFirewalld ? { firewall: def.os.firewall ?? plugin.hostFirewall.mode } : {}),
      ...(family.resolveOptions ? { options: family.resolveOptions(def.os[family.name] as Record<string, unknown> | undefined) } : {}),
      ...(family.packageManager ? { packageManager: family.packageManager } : {}),
    },
    provider: { name: provider.name, options: providerOptions, labels: provider.labels(providerOptions) },
    network: {
      hostOnly: {
        cidr: def.network.hostOnly.cidr,
        network: intToIp(hostOnly.first),
        prefixLength: hostOnly.prefix,
        netmask: netmask(hostOnly.prefix),
        hostAddress: def.network.hostOnly.hostAddress ?? defaultHostAddress(def)!,
        ...(def.network.hostOnly.interface ? { interface: def.network.hostOnly.interface } : {}),
      },
      nat: { cidr: nic1.cidr, guestAddress: nic1.guestAddress ?? 'dhcp' },
    },
    kubernetes: {
      minor: labMinor(def, reg)!,
      podCidr: def.kubernetes.podCidr ?? DEFAULT_POD_CIDR,
      serviceCidr: def.kubernetes.serviceCidr ?? DEFAULT_SERVICE_CIDR,
      dnsDomain: def.kubernetes.dnsDomain ?? 'cluster.local',
      apiServerAddress: controlPlane.ip,
      apiServerPort: API_SERVER_PORT,
      runtime: def.kubernetes.runtime ?? 'containerd',
    },
    cni: {
      plugin: plugin.name,
      version,
      interface: iface === 'auto' ? { mode: 'auto' } : { mode: 'name', name: iface },
      options,
      encapsulation: plugin.encapsulation(options),
      summary: plugin.summary(version, options),
    },
    nodes,
    controlPlane,
    workers: nodes.filter((n) => n.role === 'worker'),
    ...(mirrors ? { mirrors } : {}),
    ...(def.cache === false ? { cache: false as const } : {}),
  };
}

/** The box version: the lab's own, else the version the family pins for the box it uses (default or alternative). */
function boxVersionFor(def: LabDefinition, choice: BoxChoice | undefined): string | undefined {
  if (def.os.boxVersion) return def.os.boxVersion;
  if (!choice) return undefined;
  const box = def.os.box ?? choice.box;
  if (box === choice.box) return choice.version;
  return choice.alternatives?.find((a) => a.box === box)?.version;
}
