// Doctor's check that no other lab (or other VM) already holds what this lab's VMs will take: their names (Vagrant
// stops with VMNameExists / DomainNameExists) and the host-only network (Vagrant would attach this lab's VMs to the
// other lab's network, with the same addresses on both). The provider plugin lists the hypervisor's VMs and networks;
// this finds whose they are: Vagrant's machine index and each project's .vagrant/machines/<m>/<provider>/id, or, for a
// labgen lab, the VM names labgen gives (provider.machineName of the lab in that directory's labgen.json).
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLabFile } from '../io/lab-dir.js';
import { machineId, readMachineIndex, type IndexedMachine } from '../io/vagrant-index.js';
import { labgenCommand, shellArg } from '../lifecycle/hints.js';
import { overlaps, parseCidr } from '../lab/net.js';
import type { ResolvedLab } from '../lab/types.js';
import type { HostMachine, Provider } from '../providers/types.js';
import type { Registries } from '../registries.js';
import type { Runner } from '../host/process.js';
import type { Check } from './check.js';

/** What the check needs; vagrantHome absent: owners are looked for among labgen labs only through the index, so none. */
export interface OtherLabsInput { lab: ResolvedLab; dir: string; provider: Provider; runner: Runner; reg: Registries; vagrantHome?: string }

/** Who holds a VM: a labgen lab, another Vagrant project, or nobody Vagrant knows of. */
type Owner = { kind: 'labgen'; dir: string; lab: string } | { kind: 'vagrant'; dir: string; machine: string } | { kind: 'unknown' };

const real = (p: string): string => { try { return realpathSync(p); } catch { return resolve(p); } };

function ownerOf(m: HostMachine, index: IndexedMachine[], i: OtherLabsInput, labOf: (dir: string) => string | undefined): Owner {
  const mine = index.filter((e) => e.provider === i.provider.vagrantName);
  const byId = m.id ? mine.find((e) => machineId(e.dataPath, e.name, e.provider) === m.id) : undefined;
  // Without a matching id file (a copied or damaged project), a labgen lab is still known by the names labgen gives.
  const byName = byId ?? mine.find((e) => { const l = labOf(e.dir); return l !== undefined && i.provider.machineName(l, e.name) === m.name; });
  if (!byName) return { kind: 'unknown' };
  const lab = labOf(byName.dir);
  return lab !== undefined ? { kind: 'labgen', dir: byName.dir, lab } : { kind: 'vagrant', dir: byName.dir, machine: byName.name };
}

/** The check: fail when another lab's or VM's names or host-only network are where this lab's would go. */
export async function otherLabsCheck(i: OtherLabsInput): Promise<Check> {
  const name = 'other labs';
  const { lab, provider } = i;
  const inv = await provider.inventory(lab, i.runner);
  if ('error' in inv) return { name, status: 'skip', detail: `cannot list the hypervisor's VMs (${inv.error}); check by hand that no other lab uses the names ${provider.machineName(lab.name, lab.nodes[0]!.name)}... or ${lab.network.hostOnly.cidr}` };
  const own = new Set(lab.nodes.map((n) => machineId(join(i.dir, '.vagrant'), n.name, provider.vagrantName)).filter((x): x is string => x !== undefined));
  const wanted = new Set(lab.nodes.map((n) => provider.machineName(lab.name, n.name)));
  const hostOnly = parseCidr(lab.network.hostOnly.cidr);
  const nets = inv.networks.filter((n) => { try { return overlaps(parseCidr(n.cidr), hostOnly); } catch { return false; } });
  const netNames = new Set(nets.map((n) => n.name));
  const index = i.vagrantHome ? readMachineIndex(i.vagrantHome) : [];
  const labs = new Map<string, string | undefined>();
  const labOf = (dir: string): string | undefined => {
    if (!labs.has(dir)) { let l: string | undefined; try { l = readLabFile(join(dir, 'labgen.json'), i.reg).name; } catch { l = undefined; } labs.set(dir, l); }
    return labs.get(dir);
  };
  const here = real(i.dir);
  // Each clashing VM with what it holds, grouped by its owner.
  const groups = new Map<string, { owner: Owner; names: string[]; onNet: string[]; machines: HostMachine[] }>();
  for (const m of inv.machines) {
    if (m.id && own.has(m.id)) continue;
    const takesName = wanted.has(m.name);
    const onNet = m.networks.filter((n) => netNames.has(n));
    if (!takesName && onNet.length === 0) continue;
    const owner = ownerOf(m, index, i, labOf);
    if (owner.kind !== 'unknown' && real(owner.dir) === here) continue;
    const key = owner.kind === 'unknown' ? `?${m.name}` : owner.dir;
    const g = groups.get(key) ?? { owner, names: [], onNet: [], machines: [] };
    if (takesName) g.names.push(m.name);
    for (const n of onNet) if (!g.onNet.includes(n)) g.onNet.push(n);
    g.machines.push(m);
    groups.set(key, g);
  }
  if (groups.size === 0) {
    return { name, status: 'pass', detail: `no other VM has this lab's VM names (${[...wanted].slice(0, 2).join(', ')}${wanted.size > 2 ? ', ...' : ''}) or is on ${lab.network.hostOnly.cidr}` };
  }
  const details: string[] = [];
  const fixes: string[] = [];
  for (const g of groups.values()) {
    const who = g.owner.kind === 'labgen' ? `the lab ${g.owner.lab} in ${g.owner.dir}` : g.owner.kind === 'vagrant' ? `the Vagrant project in ${g.owner.dir}` : `VM ${g.machines[0]!.name}, which no Vagrant project on this host claims`;
    const what: string[] = [];
    if (g.names.length) what.push(`already has the VM name${g.names.length > 1 ? 's' : ''} ${g.names.sort().join(', ')} this lab gives its VMs (vagrant up would stop: the name is taken)`);
    if (g.onNet.length) {
      const n = nets.filter((x) => g.onNet.includes(x.name)).map((x) => `${x.name} (${x.cidr})`).join(', ');
      what.push(`has VMs on the host-only network ${n}, which holds this lab's ${lab.network.hostOnly.cidr}: both labs' VMs would share one network with the same addresses`);
    }
    details.push(`${who} ${what.join(', and ')}`);
    if (g.owner.kind === 'labgen') fixes.push(`${labgenCommand('destroy', g.owner.dir)}   (removes that lab's VMs; its files stay)`);
    else if (g.owner.kind === 'vagrant') fixes.push(`(cd ${shellArg(g.owner.dir)} && vagrant destroy -f)   (removes that project's VMs)`);
    else for (const m of g.machines) fixes.push(`${provider.removeMachineCommand(lab, m)}   (deletes VM ${m.name} and its disks: first check nothing in it is needed)`);
  }
  fixes.push('or, to keep both labs: copy the lab file, give the copy another name and network.hostOnly.cidr (with node IPs inside it), and create that');
  return { name, status: 'fail', detail: details.join('; '), fix: fixes.join('\n') };
}
