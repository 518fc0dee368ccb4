// What VirtualBox holds on this host, read with VBoxManage only (list, showvminfo: nothing is changed): VM names and
// ids, host-only networks and which VM uses which. Formats are VBoxManage 7's (`list vms`: `"name" {uuid}`; `list
// hostonlyifs` blocks of `Key: value`; `list hostonlynets` on macOS; showvminfo --machinereadable `key="value"`).
import { intToIp, ipToInt } from '../../lab/net.js';
import type { Runner } from '../../host/process.js';
import { firstLine } from '../../host/process.js';
import type { HostInventory, HostMachine, HostNetwork } from '../types.js';

/** At most this many VMs are looked into (one showvminfo each). */
export const MAX_VMS = 200;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `"name" {uuid}` lines of `VBoxManage list vms`. */
export function parseVmList(text: string): { name: string; id: string }[] {
  const out: { name: string; id: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^"(.*)" \{([0-9a-fA-F-]{36})\}\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, id: m[2]!.toLowerCase() });
  }
  return out;
}

function cidrOf(ip: string, mask: string): string | undefined {
  if (!IPV4.test(ip) || !IPV4.test(mask)) return undefined;
  const m = ipToInt(mask);
  const prefix = 32 - Math.log2(2 ** 32 - m);
  if (!Number.isInteger(prefix)) return undefined;
  return `${intToIp((ipToInt(ip) & m) >>> 0)}/${prefix}`;
}

/** Host-only networks from `list hostonlyifs` (Name, IPAddress, NetworkMask) or `list hostonlynets` (Name, LowerIP, NetworkMask). */
export function parseHostOnly(text: string): HostNetwork[] {
  const out: HostNetwork[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const kv = new Map<string, string>();
    for (const line of block.split('\n')) { const m = /^([A-Za-z0-9]+):\s*(.*?)\s*$/.exec(line); if (m) kv.set(m[1]!, m[2]!); }
    const name = kv.get('Name') ?? kv.get('NetworkName');
    const cidr = cidrOf(kv.get('IPAddress') ?? kv.get('LowerIP') ?? '', kv.get('NetworkMask') ?? '');
    if (name && cidr) out.push({ name, cidr });
  }
  return out;
}

/** The host-only networks a VM's adapters are attached to (`hostonlyadapterN="vboxnet0"`, `hostonly-networkN="..."`). */
export function parseVmNetworks(text: string): string[] {
  return [...text.matchAll(/^(?:hostonlyadapter|hostonly-network)\d+="([^"]*)"\s*$/gm)].map((m) => m[1]!);
}

/** VirtualBox's VMs and host-only networks. */
export async function virtualboxInventory(runner: Runner): Promise<HostInventory> {
  const list = await runner.run('VBoxManage', ['list', 'vms']);
  if (list.exitCode !== 0) return { error: `VBoxManage list vms failed: ${firstLine(list)}` };
  const networks: HostNetwork[] = [];
  for (const what of ['hostonlyifs', 'hostonlynets']) {
    const r = await runner.run('VBoxManage', ['list', what]);
    // hostonlynets exists on macOS's VirtualBox 7 only; hostonlyifs everywhere else.
    if (r.exitCode === 0) networks.push(...parseHostOnly(r.stdout));
  }
  const machines: HostMachine[] = [];
  for (const vm of parseVmList(list.stdout).slice(0, MAX_VMS)) {
    const info = networks.length ? await runner.run('VBoxManage', ['showvminfo', vm.id, '--machinereadable']) : undefined;
    machines.push({ ...vm, networks: info?.exitCode === 0 ? parseVmNetworks(info.stdout) : [] });
  }
  return { machines, networks };
}
