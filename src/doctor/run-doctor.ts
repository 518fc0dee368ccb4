// Runs every check that applies to a lab (or, without one, to the provider's tools) and returns them in order.
import type { ResolvedLab } from '../lab/types.js';
import type { Runner } from '../host/process.js';
import type { Check } from './check.js';
import { boxCheck } from './box-check.js';
import type { Registries } from '../registries.js';
import { diskCheck, kubectlCheck, overlapCheck, resourceChecks } from './host-checks.js';
import { isLocalUri, libvirtChecks } from './libvirt-checks.js';
import type { HostProbe } from './probe.js';
import { virtualboxChecks } from './virtualbox-checks.js';
import { otherLabsCheck } from './other-labs-check.js';

/** What doctor checks against. */
export interface DoctorInput {
  provider: string; lab?: ResolvedLab; dir: string; runner: Runner; probe: HostProbe; uri?: string; reg: Registries;
  /** Vagrant's home (its machine index tells which directory holds another lab's VMs); absent: owners are not named. */
  vagrantHome?: string;
}

/** All checks for the provider, then the host checks for the lab. */
export async function runDoctor(d: DoctorInput): Promise<Check[]> {
  const checks: Check[] = [];
  let local = true;
  if (d.provider === 'libvirt') {
    const uri = d.uri ?? String(d.lab?.provider.options.uri ?? 'qemu:///system');
    local = isLocalUri(uri);
    checks.push(...await libvirtChecks(d.lab, uri, d.runner, d.probe));
  } else {
    checks.push(...await virtualboxChecks(d.lab, d.runner, d.probe));
  }
  checks.push(await kubectlCheck(d.runner));
  if (!d.lab) return checks;
  checks.push(await boxCheck(d.lab, d.reg, d.runner));
  checks.push(await otherLabsCheck({ lab: d.lab, dir: d.dir, provider: d.reg.providers.require(d.lab.provider.name), runner: d.runner, reg: d.reg, vagrantHome: d.vagrantHome }));
  if (!local) {
    checks.push({ name: 'host resources', status: 'skip', detail: 'the VMs run on the remote libvirt host; memory, CPUs, disk and interfaces there are not checked from here' });
    return checks;
  }
  checks.push(...resourceChecks(d.lab, d.probe), diskCheck(d.lab, d.dir, d.probe), await overlapCheck(d.lab, d.runner));
  return checks;
}
