// Refuses to create a lab over a lab directory whose VMs exist with another CNI: create keeps existing nodes as they
// are ("already up", never re-provisioned), so labgen.json would describe a CNI the cluster does not run.
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.js';
import { isProvisioned } from '../create/node-state.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Registries } from '../registries.js';
import type { Runner } from '../host/process.js';
import { vagrantStatus } from '../vagrant/vagrant.js';

/** The part of a lab a running cluster cannot change by re-provisioning: its CNI (plugin, version, options, NIC). */
function cniOf(lab: ResolvedLab): unknown {
  const { plugin, version, options, interface: nic } = lab.cni;
  return { plugin, version, options, nic };
}

/** Throws (exit 2) when dir holds a lab with another CNI whose VMs exist (vagrant status, or labgen's own records). */
export async function refuseCniChange(dir: string, next: ResolvedLab, reg: Registries, runner: Runner): Promise<void> {
  if (!isLabDir(dir)) return;
  const { lab: old } = readLabDir(dir, reg);
  if (isDeepStrictEqual(cniOf(old), cniOf(next))) return;
  const st = await vagrantStatus(runner, dir);
  const exists = (n: string) => isProvisioned(dir, n) || (st.result.exitCode === 0 && (st.states.get(n)?.state ?? 'not_created') !== 'not_created');
  const nodes = old.nodes.map((n) => n.name).filter(exists);
  if (!nodes.length) return;
  throw new UsageError(`${dir} holds ${old.name} with ${old.cni.summary}, and its VMs exist (${nodes.join(', ')}): create keeps existing VMs as they are, so the cluster would not run ${next.cni.summary}`,
    `destroy that lab first (labgen destroy ${dir}), or create this one in another directory (--out DIR)`);
}
