// Checks of this host shared by every provider: memory, CPUs, disk, overlapping interfaces and routes, kubectl.
import type { ResolvedLab } from '../lab/types.js';
import { overlaps, parseCidr, type Cidr } from '../lab/net.js';
import type { Runner } from '../host/process.js';
import { firstLine } from '../host/process.js';
import type { Check } from './check.js';
import type { HostProbe } from './probe.js';

/** Memory the host keeps for itself beyond the VMs, MiB. */
export const HOST_HEADROOM_MIB = 1024;
/** Disk a lab needs: the box once, plus each VM's disk growth (packages, images), MiB. */
export const DISK_BOX_MIB = 1536;
export const DISK_PER_NODE_MIB = 3072;

/** Memory and CPUs for the lab's VMs. */
export function resourceChecks(lab: ResolvedLab, probe: HostProbe): Check[] {
  const need = lab.nodes.reduce((s, n) => s + n.memory, 0);
  const avail = probe.availableMemoryMiB();
  const mem: Check = avail < need
    ? { name: 'memory', status: 'fail', detail: `the lab's VMs need ${need} MiB; ${avail} MiB is available`, fix: `free ${need - avail} MiB (stop other VMs or programs), or lower defaults.memory / nodes[].memory in the lab file` }
    : avail < need + HOST_HEADROOM_MIB
      ? { name: 'memory', status: 'warn', detail: `the VMs need ${need} MiB of ${avail} MiB available, leaving under ${HOST_HEADROOM_MIB} MiB for the host`, fix: 'close other programs, or lower defaults.memory in the lab file' }
      : { name: 'memory', status: 'pass', detail: `${need} MiB for the VMs, ${avail} MiB available` };
  const host = probe.cpus();
  const biggest = Math.max(...lab.nodes.map((n) => n.cpus));
  const total = lab.nodes.reduce((s, n) => s + n.cpus, 0);
  const cpu: Check = biggest > host
    ? { name: 'CPUs', status: 'fail', detail: `a VM has ${biggest} vCPUs; this host has ${host} CPUs`, fix: `set cpus to ${host} or less in the lab file (defaults.cpus / nodes[].cpus)` }
    : total > host * 2
      ? { name: 'CPUs', status: 'warn', detail: `${total} vCPUs on ${host} host CPUs (more than 2x overcommitted: provisioning will be slow)`, fix: 'lower defaults.cpus, or expect a slower bring-up' }
      : { name: 'CPUs', status: 'pass', detail: `${total} vCPUs on ${host} host CPUs` };
  return [mem, cpu];
}

/** Free disk where the lab directory (and, by default, the VMs' disks) will live. */
export function diskCheck(lab: ResolvedLab, dir: string, probe: HostProbe): Check {
  const need = DISK_BOX_MIB + DISK_PER_NODE_MIB * lab.nodes.length;
  let free: number;
  try { free = probe.freeDiskMiB(dir); } catch (e) { return { name: 'disk', status: 'skip', detail: `cannot read free space at ${dir}: ${(e as Error).message}` }; }
  return free < need
    ? { name: 'disk', status: 'fail', detail: `about ${Math.ceil(need / 1024)} GiB needed near ${dir}; ${Math.floor(free / 1024)} GiB free`, fix: 'free disk space, or write the lab elsewhere with --out (the hypervisor may keep VM disks in its own folder)' }
    : { name: 'disk', status: 'pass', detail: `${Math.floor(free / 1024)} GiB free near ${dir} (about ${Math.ceil(need / 1024)} GiB needed)` };
}

interface IpAddr { ifname: string; addr_info?: { family: string; local: string; prefixlen: number }[] }
interface IpRoute { dst: string; dev?: string }

/** The lab's networks that must not already exist on the host. */
export function labNetworks(lab: ResolvedLab): { path: string; cidr: Cidr }[] {
  return [
    { path: 'network.hostOnly.cidr', cidr: parseCidr(lab.network.hostOnly.cidr) },
    { path: 'kubernetes.podCidr', cidr: parseCidr(lab.kubernetes.podCidr) },
    { path: 'kubernetes.serviceCidr', cidr: parseCidr(lab.kubernetes.serviceCidr) },
  ];
}

/** Host interfaces and routes (read with `ip -j addr` / `ip -j route`, nothing sent) overlapping the lab's networks. */
export async function overlapCheck(lab: ResolvedLab, runner: Runner): Promise<Check> {
  const name = 'host networks';
  const addr = await runner.run('ip', ['-j', 'addr', 'show']);
  const route = await runner.run('ip', ['-j', 'route', 'show']);
  if (addr.exitCode !== 0 || route.exitCode !== 0) return { name, status: 'skip', detail: `cannot read this host's interfaces (ip -j addr: ${firstLine(addr.exitCode !== 0 ? addr : route)}); check by hand that nothing uses ${lab.network.hostOnly.cidr}` };
  let ifaces: IpAddr[]; let routes: IpRoute[];
  try { ifaces = JSON.parse(addr.stdout) as IpAddr[]; routes = JSON.parse(route.stdout) as IpRoute[]; } catch { return { name, status: 'skip', detail: 'ip -j printed no JSON' }; }
  const nets = labNetworks(lab);
  const hostOnly = nets[0]!.cidr;
  const ours = new Set<string>();
  const problems: string[] = [];
  const bad = new Set<string>();
  for (const i of ifaces) for (const a of i.addr_info ?? []) {
    if (a.family !== 'inet') continue;
    // The lab's own host-side adapter from an earlier run (its address is network.hostOnly.hostAddress).
    if (a.local === lab.network.hostOnly.hostAddress && a.prefixlen === hostOnly.prefix) { ours.add(i.ifname); continue; }
    const c = parseCidr(`${a.local}/${a.prefixlen}`);
    for (const n of nets) if (overlaps(c, n.cidr)) { bad.add(i.ifname); problems.push(`interface ${i.ifname} has ${a.local}/${a.prefixlen}, inside ${n.path} ${n.cidr.text}`); }
  }
  for (const r of routes) {
    if (r.dst === 'default' || (r.dev && (ours.has(r.dev) || bad.has(r.dev))) || !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(r.dst)) continue;
    const c = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    for (const n of nets) if (overlaps(c, n.cidr)) problems.push(`route ${r.dst}${r.dev ? ` via ${r.dev}` : ''} overlaps ${n.path} ${n.cidr.text}`);
  }
  if (problems.length) return { name, status: 'fail', detail: problems.join('; '), fix: 'pick lab networks this host does not use (network.hostOnly.cidr, kubernetes.podCidr, kubernetes.serviceCidr in the lab file), or remove the conflicting interface/route' };
  return { name, status: 'pass', detail: `no interface or route overlaps ${nets.map((n) => n.cidr.text).join(', ')}${ours.size ? ` (${[...ours].join(', ')} is this lab's own host adapter)` : ''}` };
}

/** kubectl on the host, which create uses to wait for Ready. */
export async function kubectlCheck(runner: Runner): Promise<Check> {
  const r = await runner.run('kubectl', ['version', '--client', '-o', 'json']);
  if (r.exitCode !== 0) return { name: 'kubectl', status: 'fail', detail: r.notFound ? 'kubectl is not on PATH (labgen waits for Ready with it)' : `kubectl version failed: ${firstLine(r)}`, fix: 'install kubectl: https://kubernetes.io/docs/tasks/tools/' };
  let v = '';
  try { v = (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? ''; } catch { /* older kubectl */ }
  return { name: 'kubectl', status: 'pass', detail: `kubectl ${v || 'present'}` };
}
