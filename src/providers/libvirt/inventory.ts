// What libvirt holds at the lab's URI, read with virsh only (list, dumpxml, net-list, net-dumpxml: nothing is changed):
// domain names and UUIDs, the networks each domain's interfaces use, and the networks' IPv4 ranges.
import { networkCidr } from './doctor.js';
import type { Runner } from '../../host/process.js';
import { firstLine } from '../../host/process.js';
import type { HostInventory, HostMachine, HostNetwork } from '../types.js';

/** At most this many domains and networks are looked into (one dumpxml each). */
export const MAX_DOMAINS = 200;

const names = (text: string): string[] => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** A domain's UUID and the networks its interfaces' `<source network='...'/>` name, from `virsh dumpxml`. */
export function parseDomainXml(xml: string): { id?: string; networks: string[] } {
  const id = /<uuid>\s*([0-9a-fA-F-]{36})\s*<\/uuid>/.exec(xml)?.[1]?.toLowerCase();
  return { ...(id ? { id } : {}), networks: [...xml.matchAll(/<source\b[^>]*\bnetwork=['"]([^'"]+)['"]/g)].map((m) => m[1]!) };
}

/** libvirt's domains and networks at a URI (checked against the allow-list before doctor runs anything). */
export async function libvirtInventory(uri: string, runner: Runner): Promise<HostInventory> {
  const list = await runner.run('virsh', ['-c', uri, 'list', '--all', '--name']);
  if (list.exitCode !== 0) return { error: `virsh list failed: ${firstLine(list)}` };
  const machines: HostMachine[] = [];
  for (const name of names(list.stdout).slice(0, MAX_DOMAINS)) {
    const x = await runner.run('virsh', ['-c', uri, 'dumpxml', name]);
    const d = x.exitCode === 0 ? parseDomainXml(x.stdout) : { networks: [] };
    machines.push({ name, id: d.id ?? '', networks: d.networks });
  }
  const networks: HostNetwork[] = [];
  const nets = await runner.run('virsh', ['-c', uri, 'net-list', '--all', '--name']);
  if (nets.exitCode === 0) {
    for (const name of names(nets.stdout).slice(0, MAX_DOMAINS)) {
      const x = await runner.run('virsh', ['-c', uri, 'net-dumpxml', name]);
      const cidr = x.exitCode === 0 ? networkCidr(x.stdout) : undefined;
      if (cidr) networks.push({ name, cidr });
    }
  }
  return { machines, networks };
}
