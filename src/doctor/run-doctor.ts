// Runs every check that applies to a lab (or, without one, to the provider's tools) and returns them in order.
import type { ResolvedLab } from '../lab/types.js';
import type { Runner } from '../host/process.js';
import type { Check } from './check.js';
import { boxCheck } from './box-check.js';
import type { Registries } from '../registries.js';
import { diskCheck, kubectlCheck, overlapCheck, resourceChecks } from './host-checks.js';
import type { HostProbe } from './probe.js';
import { otherLabsCheck } from './other-labs-check.js';

/** What doctor checks against. */
export interface DoctorInput {
  provider: string; lab?: ResolvedLab; dir: string; runner: Runner; probe: HostProbe; reg: Registries;
  /** Vagrant's home (its machine index tells which directory holds another lab's VMs); absent: owners are not named. */
  vagrantHome?: string;
}

/** The provider's own checks, then the host checks for the lab (on this machine, unless the provider's VMs run elsewhere). */
export async function runDoctor(d: DoctorInput): Promise<Check[]> {
  const provider = d.reg.providers.require(d.provider);
  const own = await provider.doctor({ ...(d.lab ? { lab: d.lab } : {}), runner: d.runner, probe: d.probe });
  const checks: Check[] = [...own.checks];
  checks.push(await kubectlCheck(d.runner));
  if (!d.lab) return checks;
  checks.push(await boxCheck(d.lab, d.reg, d.runner));
  checks.push(await otherLabsCheck({ lab: d.lab, dir: d.dir, provider: d.reg.providers.require(d.lab.provider.name), runner: d.runner, reg: d.reg, vagrantHome: d.vagrantHome }));
  if (own.remoteHost) {
    checks.push({ name: 'host resources', status: 'skip', detail: `the VMs run on ${own.remoteHost}; memory, CPUs, disk and interfaces there are not checked from here` });
    return checks;
  }
  checks.push(...resourceChecks(d.lab, d.probe), diskCheck(d.lab, d.dir, d.probe), await overlapCheck(d.lab, d.runner));
  return checks;
}
