// Doctor's checks for the VirtualBox provider: vagrant, VBoxManage, their version pair, /etc/vbox/networks.conf.
import type { ResolvedLab } from '../../lab/types.js';
import { parseCidr, within } from '../../lab/net.js';
import type { Runner } from '../../host/process.js';
import { firstLine } from '../../host/process.js';
import { parseVersion } from '../../vagrant/vagrant.js';
import type { Check } from '../../doctor/check.js';
import type { HostProbe } from '../../doctor/probe.js';
import type { ProviderDoctorInput, ProviderDoctorResult } from '../types.js';
import { enforcesNetworksConf, installVirtualboxFix, pairProblem } from './versions.js';
import { vagrantCheck } from '../../doctor/vagrant-check.js';

/** VirtualBox's built-in host-only range when networks.conf does not exist. */
export const VBOX_DEFAULT_HOST_ONLY = '192.168.56.0/21';
/** Where VirtualBox reads the allowed host-only ranges. */
export const NETWORKS_CONF = '/etc/vbox/networks.conf';

/** Ranges allowed by networks.conf text (`* 10.0.0.0/8 192.168.0.0/16` lines), IPv4 only. */
export function allowedRanges(text: string | undefined): string[] {
  if (text === undefined) return [VBOX_DEFAULT_HOST_ONLY];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.replace(/#.*/, '').trim();
    if (!t.startsWith('*')) continue;
    for (const w of t.slice(1).trim().split(/\s+/)) if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(w)) out.push(w);
  }
  return out;
}

/** Whether a host-only CIDR may be used, and the networks.conf line that allows it. */
export function networksConfCheck(lab: ResolvedLab, vbox: [number, number, number] | undefined, probe: HostProbe): Check {
  const name = 'host-only range';
  const cidr = lab.network.hostOnly.cidr;
  if (!vbox) return { name, status: 'skip', detail: 'VirtualBox version unknown' };
  if (!enforcesNetworksConf(probe.platform, vbox)) return { name, status: 'pass', detail: `VirtualBox ${vbox.join('.')} on ${probe.platform} does not restrict host-only ranges` };
  const text = probe.readFile(NETWORKS_CONF);
  const ranges = allowedRanges(text);
  const lab_ = parseCidr(cidr);
  const ok = ranges.find((r) => { try { return within(lab_, parseCidr(r)); } catch { return false; } });
  if (ok) return { name, status: 'pass', detail: `${cidr} is allowed by ${text === undefined ? `VirtualBox's default ${VBOX_DEFAULT_HOST_ONLY}` : `${NETWORKS_CONF} (${ok})`}` };
  return {
    name, status: 'fail',
    detail: `VirtualBox only allows host-only addresses in ${ranges.join(' ') || 'no range'} (${text === undefined ? `no ${NETWORKS_CONF}` : NETWORKS_CONF}); the lab uses ${cidr}`,
    fix: `add the line "* ${cidr}" to ${NETWORKS_CONF}:\nsudo mkdir -p /etc/vbox && echo '* ${cidr}' | sudo tee -a ${NETWORKS_CONF}`,
  };
}

/** The VirtualBox provider's doctor: its VMs always run on this machine. */
export async function virtualboxDoctor(input: ProviderDoctorInput): Promise<ProviderDoctorResult> {
  return { checks: await virtualboxChecks(input.lab, input.runner, input.probe) };
}

/** The VirtualBox provider's checks. */
export async function virtualboxChecks(lab: ResolvedLab | undefined, runner: Runner, probe: HostProbe): Promise<Check[]> {
  const checks: Check[] = [];
  const vagrant = await vagrantCheck(runner);
  checks.push(vagrant.check);
  const vb = await runner.run('VBoxManage', ['--version']);
  const vbox = vb.exitCode === 0 ? parseVersion(vb.stdout) : undefined;
  checks.push(vbox
    ? { name: 'VirtualBox', status: 'pass', detail: `VirtualBox ${vb.stdout.trim()}` }
    : { name: 'VirtualBox', status: 'fail', detail: vb.notFound ? 'VBoxManage is not on PATH: VirtualBox is not installed' : `VBoxManage --version failed: ${firstLine(vb)}`, fix: installVirtualboxFix(vagrant.version) });
  if (vbox && vagrant.version) {
    const p = pairProblem(vbox, vagrant.version);
    checks.push(p ? { name: 'versions', status: 'fail', detail: p.message, fix: p.fix } : { name: 'versions', status: 'pass', detail: `Vagrant ${vagrant.version.join('.')} supports VirtualBox ${vbox[0]}.${vbox[1]}` });
  } else {
    checks.push({ name: 'versions', status: 'skip', detail: 'needs both vagrant and VirtualBox' });
  }
  if (lab) checks.push(networksConfCheck(lab, vbox, probe));
  return checks;
}
