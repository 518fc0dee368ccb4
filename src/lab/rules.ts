// Cross-field rules, run on a schema-valid lab: every problem at once, each naming the field and the fix.
import type { Problem } from '../errors.js';
import type { Registries } from '../registries.js';
import { canonical, contains, intToIp, ipToInt, isNetworkAddress, overlaps, parseCidr, usableRange, type Cidr } from './net.js';
import { defaultHostAddress, DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from './defaults.js';
import { mirrorProblems } from './mirrors.js';
import type { LabDefinition } from './types.js';
import { versionRules } from './version-rules.js';

/** kubeadm's preflight minimums for a control plane (NumCPU and Mem checks). */
export const KUBEADM_MIN_CPUS = 2;
export const KUBEADM_MIN_MEMORY_MB = 1700;

function unique(lab: LabDefinition, key: 'name' | 'hostname' | 'ip', what: string): Problem[] {
  const first = new Map<string, number>();
  const out: Problem[] = [];
  lab.nodes.forEach((n, i) => {
    const v = n[key];
    const j = first.get(v);
    if (j === undefined) first.set(v, i);
    else out.push({ path: `nodes[${i}].${key}`, message: `${what} "${v}" is already used by nodes[${j}]`, fix: `give every node its own ${what}` });
  });
  return out;
}

function cidrRules(lab: LabDefinition, reg: Registries): Problem[] {
  const out: Problem[] = [];
  const nets: { path: string; label: string; cidr: Cidr }[] = [
    { path: 'network.hostOnly.cidr', label: 'the host-only network', cidr: parseCidr(lab.network.hostOnly.cidr) },
    { path: 'kubernetes.podCidr', label: 'the pod network', cidr: parseCidr(lab.kubernetes.podCidr ?? DEFAULT_POD_CIDR) },
    { path: 'kubernetes.serviceCidr', label: 'the service network', cidr: parseCidr(lab.kubernetes.serviceCidr ?? DEFAULT_SERVICE_CIDR) },
  ];
  for (const n of nets) {
    if (!isNetworkAddress(n.cidr)) out.push({ path: n.path, message: `"${n.cidr.text}" has host bits set`, fix: `write it as ${canonical(n.cidr)}` });
  }
  const hostOnly = nets[0]!.cidr;
  if (hostOnly.prefix < 8 || hostOnly.prefix > 29) {
    out.push({ path: 'network.hostOnly.cidr', message: `prefix /${hostOnly.prefix} is out of range`, fix: 'use a prefix between /8 and /29, e.g. 10.0.0.0/24' });
  }
  const provider = reg.providers.get(lab.provider?.name ?? reg.providers.first().name);
  const nic1 = provider?.nic1Network(provider.resolveOptions(lab.provider?.[provider.name] as Record<string, unknown> | undefined));
  // An unknown provider is reported by the schema; its NIC1 network is then unknown too.
  const all = nic1 ? [...nets, { path: '', label: nic1.label, cidr: parseCidr(nic1.cidr) }] : nets;
  // Ranges the provider's host side takes for itself: the pod network there would collide with the host's routes.
  const options = provider?.resolveOptions(lab.provider?.[provider.name] as Record<string, unknown> | undefined);
  for (const r of provider && options ? provider.reservedRanges(options) : []) {
    if (overlaps(nets[1]!.cidr, parseCidr(r.cidr))) out.push({ path: 'kubernetes.podCidr', message: `the pod network ${nets[1]!.cidr.text} overlaps ${r.label}`, fix: 'use a pod network apart from it, such as 10.244.0.0/16' });
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (overlaps(a.cidr, b.cidr)) {
        out.push({ path: a.path, message: `${a.label} ${a.cidr.text} overlaps ${b.label}${b.path ? ` ${b.cidr.text} (${b.path})` : ''}`, fix: `choose networks that do not overlap; the article uses host-only 10.0.0.0/24, pods 10.244.0.0/16, services 10.96.0.0/12` });
      }
    }
  }
  return out;
}

function addressRules(lab: LabDefinition): Problem[] {
  const out: Problem[] = [];
  const c = parseCidr(lab.network.hostOnly.cidr);
  const { first, last } = usableRange(c);
  const inRange = (ip: string) => contains(c, ip) && ipToInt(ip) >= first && ipToInt(ip) <= last;
  // The fix offers only what is free: not another node's address, and not the host adapter's (by default the highest).
  const taken = new Set([...lab.nodes.map((n) => n.ip), lab.network.hostOnly.hostAddress ?? defaultHostAddress(lab)].filter((x): x is string => typeof x === 'string'));
  let free: number | undefined;
  for (let a = first; a <= last && free === undefined; a++) if (!taken.has(intToIp(a))) free = a;
  const hostIp = lab.network.hostOnly.hostAddress ?? defaultHostAddress(lab);
  const fixFor = free === undefined
    ? `${c.text} has no free address: choose a larger network.hostOnly.cidr`
    : `use a free address of ${c.text}, e.g. ${intToIp(free)} (from ${intToIp(first)} to ${intToIp(last)}, except the other nodes'${hostIp ? ` and the host's ${hostIp}` : ''})`;
  lab.nodes.forEach((n, i) => {
    if (!contains(c, n.ip)) out.push({ path: `nodes[${i}].ip`, message: `${n.ip} is outside the host-only network ${c.text}`, fix: fixFor });
    else if (!inRange(n.ip)) out.push({ path: `nodes[${i}].ip`, message: `${n.ip} is the ${ipToInt(n.ip) === c.first ? 'network' : 'broadcast'} address of ${c.text}`, fix: fixFor });
  });
  const host = lab.network.hostOnly.hostAddress;
  if (host !== undefined) {
    const owner = lab.nodes.findIndex((n) => n.ip === host);
    if (!inRange(host)) out.push({ path: 'network.hostOnly.hostAddress', message: `${host} is not a usable address of ${c.text}`, fix: fixFor });
    else if (owner >= 0) out.push({ path: 'network.hostOnly.hostAddress', message: `${host} is the address of nodes[${owner}] (${lab.nodes[owner]!.name})`, fix: `give the host adapter an address no node uses, e.g. ${defaultHostAddress(lab) ?? 'the last usable address'}` });
  } else if (defaultHostAddress(lab) === undefined) {
    out.push({ path: 'network.hostOnly', message: `every usable address of ${c.text} is taken by a node, so the host adapter has none`, fix: 'use a larger host-only network' });
  }
  return out;
}

function nodeRules(lab: LabDefinition): Problem[] {
  const out: Problem[] = [];
  const cps = lab.nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.role === 'control-plane');
  if (cps.length !== 1) {
    out.push({ path: 'nodes', message: `found ${cps.length} control-plane nodes, labgen builds exactly one`, fix: cps.length === 0 ? 'set role: control-plane on one node' : `keep role: control-plane on ${cps[0]!.n.name} only and make the others workers` });
  }
  for (const { n, i } of cps) {
    const cpus = n.cpus ?? lab.defaults?.cpus ?? 2;
    const memory = n.memory ?? lab.defaults?.memory ?? 2048;
    if (cpus < KUBEADM_MIN_CPUS) out.push({ path: `nodes[${i}].cpus`, message: `a control plane needs at least ${KUBEADM_MIN_CPUS} CPUs (kubeadm preflight), got ${cpus}`, fix: `set cpus: ${KUBEADM_MIN_CPUS}` });
    if (memory < KUBEADM_MIN_MEMORY_MB) out.push({ path: `nodes[${i}].memory`, message: `a control plane needs at least ${KUBEADM_MIN_MEMORY_MB} MB (kubeadm preflight), got ${memory}`, fix: 'set memory: 2048 or more' });
  }
  return out;
}

function osRules(lab: LabDefinition, reg: Registries): Problem[] {
  const out: Problem[] = [];
  const family = reg.os.get(lab.os.family);
  if (!family) return out;
  if (!family.hasSelinux && lab.os.selinux !== undefined) out.push({ path: 'os.selinux', message: `${family.name} does not use SELinux`, fix: 'remove os.selinux' });
  if (!family.hasFirewalld && lab.os.firewall !== undefined) out.push({ path: 'os.firewall', message: `${family.name} has no firewalld to configure`, fix: 'remove os.firewall' });
  // `os.<other family>`: options of a family this lab does not use.
  for (const other of reg.os.all()) {
    if (other.name !== family.name && other.optionsSchema && lab.os[other.name] !== undefined) out.push({ path: `os.${other.name}`, message: `options of the ${other.name} family, but this lab's family is ${family.name}`, fix: `remove os.${other.name}, or set os.family: ${other.name}` });
  }
  const providerName = lab.provider?.name ?? reg.providers.first().name;
  if (reg.providers.get(providerName) && !family.boxes[providerName] && lab.os.box === undefined) {
    const has = Object.keys(family.boxes);
    out.push({ path: 'os.box', message: `the ${family.name} family has no default box for the ${providerName} provider`, fix: `set os.box to a ${providerName} box of ${family.name}${has.length ? `, or use a provider it has boxes for: ${has.join(', ')}` : ''}` });
  }
  out.push(...nicNameRules(lab, reg));
  return out;
}

/**
 * cni.interface may only be a name NIC2 keeps across reboots: Vagrant re-runs `configure_networks` on every boot and
 * gives the host-only address to the second device of the guest's sorted NIC list, so labgen supports the names it
 * has proven keep that order with Vagrant's own code (test/restart): the box's own NIC2 name, or the predictable
 * name the family renames both NICs to.
 */
function nicNameRules(lab: LabDefinition, reg: Registries): Problem[] {
  const iface = lab.cni.interface;
  const family = reg.os.get(lab.os.family);
  const providerName = lab.provider?.name ?? reg.providers.first().name;
  const choice = family?.boxes[providerName];
  if (!iface || iface === 'auto' || !choice || !reg.providers.get(providerName)) return [];
  const allowed = [choice.nics[1], ...(choice.predictableNics ? [choice.predictableNics[1]] : [])];
  if (allowed.includes(iface)) return [];
  const names = allowed.map((n) => `"${n}"${n === choice.nics[1] ? ' (the box\'s own name)' : ' (predictable naming, as the article)'}`);
  return [{
    path: 'cni.interface',
    message: `"${iface}" is not a name NIC2 keeps on ${family!.name} under ${providerName}: Vagrant gives the host-only address to the second NIC of the guest's sorted list on every boot, and labgen keeps that order only for ${allowed.join(' or ')}`,
    fix: `set cni.interface to ${names.join(', ')} or auto`,
  }];
}

/** Every cross-field problem of a schema-valid lab, including the plugin's and provider's own rules. */
export function crossFieldProblems(lab: LabDefinition, reg: Registries): Problem[] {
  const provider = reg.providers.get(lab.provider?.name ?? reg.providers.first().name);
  return [
    ...unique(lab, 'name', 'node name'),
    ...unique(lab, 'hostname', 'hostname'),
    ...unique(lab, 'ip', 'IP address'),
    ...nodeRules(lab),
    ...cidrRules(lab, reg),
    ...addressRules(lab),
    ...osRules(lab, reg),
    ...mirrorProblems(lab),
    ...versionRules(lab, reg),
    ...(reg.cni.get(lab.cni.plugin)?.rules(lab) ?? []),
    ...(provider?.rules(lab) ?? []),
  ];
}
