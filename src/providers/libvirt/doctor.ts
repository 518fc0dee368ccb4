// Doctor's checks for libvirt: vagrant-libvirt plugin, the connection answering, KVM, the lab's libvirt networks free.
import { InvalidInputError } from '../../errors.js';
import type { ResolvedLab } from '../../lab/types.js';
import type { ProviderDoctorInput, ProviderDoctorResult } from '../types.js';
import { DEFAULT_LIBVIRT_URI, isLocalLibvirtUri, libvirtUriProblem, parseLibvirtUri, URI_FIX } from './uri.js';
import { overlaps, parseCidr, ipToInt, intToIp } from '../../lab/net.js';
import type { Runner } from '../../host/process.js';
import { firstLine } from '../../host/process.js';
import type { Check } from '../../doctor/check.js';
import type { HostProbe } from '../../doctor/probe.js';
import { vagrantCheck } from '../../doctor/vagrant-check.js';

/** Whether a libvirt URI is on this machine (no host part); a URI labgen refuses counts as not local. */
export function isLocalUri(uri: string): boolean {
  const u = parseLibvirtUri(uri);
  return !('problem' in u) && isLocalLibvirtUri(u);
}

/** Refuses (exit 2, before any program runs) a URI off the allow-list: libvirt runs programs named in a URI. */
export function assertSafeUri(uri: string): void {
  const problem = libvirtUriProblem(uri);
  if (problem) throw new InvalidInputError('provider.libvirt.uri', [{ path: 'provider.libvirt.uri', message: `${JSON.stringify(uri.length > 80 ? `${uri.slice(0, 77)}...` : uri)} ${problem}`, fix: URI_FIX }]);
}

/** The CIDR of a network from `virsh net-dumpxml` (first IPv4 <ip address= netmask=|prefix=>). */
export function networkCidr(xml: string): string | undefined {
  const m = /<ip\b[^>]*>/.exec(xml.replace(/<ip\b[^>]*family=['"]ipv6['"][^>]*>/g, ''));
  if (!m) return undefined;
  const address = /address=['"]([\d.]+)['"]/.exec(m[0])?.[1];
  const mask = /netmask=['"]([\d.]+)['"]/.exec(m[0])?.[1];
  const prefixAttr = /prefix=['"](\d+)['"]/.exec(m[0])?.[1];
  if (!address) return undefined;
  const prefix = prefixAttr !== undefined ? Number(prefixAttr) : mask ? 32 - Math.log2(2 ** 32 - ipToInt(mask)) : 24;
  const base = ipToInt(address) & (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);
  return `${intToIp(base >>> 0)}/${prefix}`;
}

function fixConnection(uri: string): string {
  return isLocalUri(uri)
    ? 'start libvirt and allow your user: sudo systemctl enable --now libvirtd (or virtqemud.socket); sudo usermod -aG libvirt $USER; then log in again'
    : `check that ssh to the host works without a password and that its user may use libvirt (libvirt group): virsh -c ${uri} uri`;
}

/** The libvirt provider's doctor: its checks, and the remote host when the URI names one (its resources are not checked here). */
export async function libvirtDoctor(input: ProviderDoctorInput): Promise<ProviderDoctorResult> {
  const uri = String(input.lab?.provider.options.uri ?? DEFAULT_LIBVIRT_URI);
  const checks = await libvirtChecks(input.lab, uri, input.runner, input.probe);
  return isLocalUri(uri) ? { checks } : { checks, remoteHost: `the remote libvirt host of ${uri}` };
}

/** The libvirt provider's checks. */
export async function libvirtChecks(lab: ResolvedLab | undefined, uri: string, runner: Runner, probe: HostProbe): Promise<Check[]> {
  // Checked again here, whatever path the URI came by (lab file, labgen.json, a flag): nothing runs before it.
  assertSafeUri(uri);
  const checks: Check[] = [];
  const vagrant = await vagrantCheck(runner);
  checks.push(vagrant.check);
  if (vagrant.version) {
    const p = await runner.run('vagrant', ['plugin', 'list']);
    const m = /^vagrant-libvirt \(([^,)]+)/m.exec(p.stdout);
    checks.push(m
      ? { name: 'vagrant-libvirt', status: 'pass', detail: `vagrant-libvirt ${m[1]} installed` }
      : { name: 'vagrant-libvirt', status: 'fail', detail: p.exitCode !== 0 ? `vagrant plugin list failed: ${firstLine(p)}` : 'the vagrant-libvirt plugin is not installed', fix: 'vagrant plugin install vagrant-libvirt   (it builds against libvirt: see https://vagrant-libvirt.github.io/vagrant-libvirt/installation.html for the packages)' });
  } else checks.push({ name: 'vagrant-libvirt', status: 'skip', detail: 'needs vagrant' });
  const u = await runner.run('virsh', ['-c', uri, 'uri']);
  if (u.notFound) {
    checks.push({ name: 'libvirt connection', status: 'fail', detail: 'virsh is not on PATH', fix: 'install the libvirt client: sudo apt install libvirt-clients (apt hosts) or sudo dnf install libvirt-client (dnf hosts)' });
    return checks;
  }
  const v = u.exitCode === 0 ? await runner.run('virsh', ['-c', uri, 'version']) : u;
  if (v.exitCode !== 0) {
    checks.push({ name: 'libvirt connection', status: 'fail', detail: `${uri} does not answer: ${firstLine(v)}`, fix: fixConnection(uri) });
    return checks;
  }
  const running = /Running hypervisor: (.*)/.exec(v.stdout)?.[1]?.trim();
  checks.push({ name: 'libvirt connection', status: 'pass', detail: `${u.stdout.trim() || uri} answers${running ? ` (${running})` : ''}` });
  const driver = String(lab?.provider.options.driver ?? 'kvm');
  if (driver !== 'kvm') checks.push({ name: 'KVM', status: 'skip', detail: `driver ${driver}: emulation, no KVM needed (slow)` });
  else if (isLocalUri(uri)) {
    checks.push(!probe.exists('/dev/kvm')
      ? { name: 'KVM', status: 'fail', detail: '/dev/kvm does not exist: no hardware virtualisation here', fix: 'enable VT-x/AMD-V in the firmware and load the module (sudo modprobe kvm_intel or kvm_amd), or set provider.libvirt.driver: qemu (slow)' }
      : !probe.accessible('/dev/kvm')
        ? { name: 'KVM', status: 'fail', detail: '/dev/kvm exists but this user cannot open it', fix: 'sudo usermod -aG kvm $USER, then log in again' }
        : { name: 'KVM', status: 'pass', detail: '/dev/kvm is usable' });
  } else {
    const d = await runner.run('virsh', ['-c', uri, 'domcapabilities', '--virttype', 'kvm']);
    checks.push(d.exitCode === 0
      ? { name: 'KVM', status: 'pass', detail: `${uri} offers KVM domains` }
      : { name: 'KVM', status: 'fail', detail: `${uri} offers no KVM: ${firstLine(d)}`, fix: 'enable hardware virtualisation and the kvm module on the remote host, or set provider.libvirt.driver: qemu (slow)' });
  }
  if (lab) checks.push(await networksCheck(lab, uri, runner));
  return checks;
}

async function networksCheck(lab: ResolvedLab, uri: string, runner: Runner): Promise<Check> {
  const name = 'libvirt networks';
  const list = await runner.run('virsh', ['-c', uri, 'net-list', '--all', '--name']);
  if (list.exitCode !== 0) return { name, status: 'fail', detail: `virsh net-list failed: ${firstLine(list)}`, fix: fixConnection(uri) };
  const own = `labgen-${lab.name}`;
  const mgmt = lab.provider.options.managementNetwork as { name: string; cidr: string };
  const wanted = [
    { label: `${own} (network.hostOnly.cidr)`, cidr: parseCidr(lab.network.hostOnly.cidr), owner: own },
    { label: `${mgmt.name} (managementNetwork)`, cidr: parseCidr(mgmt.cidr), owner: mgmt.name },
    { label: 'kubernetes.podCidr', cidr: parseCidr(lab.kubernetes.podCidr), owner: '' },
    { label: 'kubernetes.serviceCidr', cidr: parseCidr(lab.kubernetes.serviceCidr), owner: '' },
  ];
  const problems: string[] = [];
  const fixes: string[] = [];
  const reused: string[] = [];
  for (const net of list.stdout.split('\n').map((s) => s.trim()).filter(Boolean)) {
    const x = await runner.run('virsh', ['-c', uri, 'net-dumpxml', net]);
    const cidr = x.exitCode === 0 ? networkCidr(x.stdout) : undefined;
    if (!cidr) continue;
    const c = parseCidr(cidr);
    for (const w of wanted) {
      if (net === w.owner) {
        if (c.first === w.cidr.first && c.prefix === w.cidr.prefix) reused.push(net);
        else { problems.push(`libvirt network ${net} exists with ${cidr}, not ${w.cidr.text}`); fixes.push(`virsh -c ${uri} net-destroy ${net}; virsh -c ${uri} net-undefine ${net}`); }
        continue;
      }
      if (overlaps(c, w.cidr)) { problems.push(`libvirt network ${net} (${cidr}) overlaps ${w.label} ${w.cidr.text}`); fixes.push(`virsh -c ${uri} net-destroy ${net}; virsh -c ${uri} net-undefine ${net}   (or choose other networks in the lab file)`); }
    }
  }
  if (problems.length) return { name, status: 'fail', detail: problems.join('; '), fix: [...new Set(fixes)].join('\n') };
  return { name, status: 'pass', detail: `no libvirt network overlaps the lab's networks${reused.length ? ` (${[...new Set(reused)].join(', ')} already defined with this range: Vagrant reuses it; the other-labs check says whether another lab is on it)` : ''}` };
}
