// Survive every restart: on each boot (vagrant up, reload, halt + up, after a host reboot) Vagrant re-runs the
// guest's `configure_networks`, which writes the host-only address onto the device at index 1 of the guest's sorted
// NIC list. This test runs VAGRANT'S OWN code for that (Debian's vagrant package: guest detection over every guest
// plugin, linux `network_interfaces`, redhat / debian(+ubuntu) `configure_networks`; test/restart/vagrant-next-boot.rb)
// against the NIC layout a node has on its next boot, derived from what labgen's rendered provisioning really did
// (base.sh run on a fake node: the .link files it wrote rename NICs by MAC at boot). Table-driven from the registries:
// every OS family x provider x NIC name labgen accepts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, type TestContext } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { checkLab } from '../../src/lab/parse.js';
import { resolveLab } from '../../src/lab/resolve.js';
import type { LabDefinition, ResolvedLab, ResolvedNode } from '../../src/lab/types.js';
import type { BoxChoice } from '../../src/os/types.js';
import { writeProject } from '../../src/io/write-project.js';
import { defaultRegistries } from '../../src/registries.js';
import { createEngine } from '../../src/render/engine.js';
import { renderLab } from '../../src/render/render.js';
import { FakeNode } from '../provision/harness.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir, testSecrets } from '../helpers/render.js';
import { requireTool, toolsAreMandatory } from '../helpers/tools.js';

const HARNESS = join(ROOT, 'test', 'restart', 'vagrant-next-boot.rb');
/** MACs FakeNode gives NIC1 and NIC2. */
const MACS = ['08:00:27:00:00:03', '08:00:27:00:00:04'] as const;

interface Link { name: string; mac: string }
interface NextBoot { guest: string; chain: string[]; interfaces: string[]; commands: string[]; detectionCommands: number; files: Record<string, string> }

let vagrantChecked: boolean | undefined;
/** ruby with Debian's vagrant gem loadable; fails under CI=true when missing, else skips. */
function requireVagrantRuby(t: TestContext): boolean {
  if (!requireTool(t, 'ruby')) return false;
  vagrantChecked ??= spawnSync('ruby', ['-e', 'require "vagrant"'], { encoding: 'utf8' }).status === 0;
  if (vagrantChecked) return true;
  if (toolsAreMandatory()) assert.fail('ruby cannot load Vagrant (require "vagrant"); install Debian\'s vagrant package in the CI image');
  t.skip('ruby cannot load Vagrant; apt-get install vagrant to run this test (it fails instead when CI=true)');
  return false;
}

/** Runs Vagrant's own next-boot network configuration against a guest layout. */
function nextBoot(box: BoxChoice, links: Link[], node: ResolvedNode, netmask: string, configuredGuest?: string): NextBoot {
  const sandbox = join(tempDir('labgen-restart-'), 'guest');
  mkdirSync(sandbox);
  const input = {
    sandbox,
    configuredGuest: configuredGuest ?? null,
    osRelease: box.guest.osRelease,
    redhatRelease: box.guest.redhatRelease ?? null,
    network: box.guest.network,
    links,
    // What virtualbox/action/network.rb and vagrant-libvirt pass: the private network at adapter 2, interface 1.
    networks: [{ interface: 1, type: 'static', ip: node.ip, netmask }],
    vmNetworks: [['forwarded_port', { id: 'ssh', guest: 22, host: 2222 }], ['private_network', { ip: node.ip, netmask }]],
  };
  const r = spawnSync('ruby', [HARNESS], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `vagrant-next-boot.rb failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as NextBoot;
}

/** The device(s) Vagrant's files give the address to, read from what it wrote (ifcfg, netplan, networkd, ifupdown). */
function devicesWithAddress(files: Record<string, string>, ip: string): string[] {
  const out: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    if (!content.includes(ip)) continue;
    if (path.startsWith('/etc/sysconfig/network-scripts/ifcfg-')) {
      const dev = /^DEVICE=(.+)$/m.exec(content)?.[1];
      assert.ok(dev, `${path} names no DEVICE`);
      assert.equal(path, `/etc/sysconfig/network-scripts/ifcfg-${dev}`);
      out.push(dev);
    } else if (path.startsWith('/etc/netplan/')) {
      const ethernets = (parseYaml(content) as { network: { ethernets: Record<string, { addresses?: string[] }> } }).network.ethernets;
      for (const [dev, conf] of Object.entries(ethernets)) if (conf.addresses?.some((a) => a.startsWith(`${ip}/`))) out.push(dev);
    } else if (path.startsWith('/etc/systemd/network/')) {
      out.push(/^Name=(.+)$/m.exec(content)![1]!);
    } else if (path === '/etc/network/interfaces') {
      out.push(...[...content.matchAll(/^iface (\S+) inet static\n\s+address (\S+)/gm)].filter((m) => m[2] === ip).map((m) => m[1]!));
    } else {
      assert.fail(`Vagrant wrote ${ip} into a file this test does not know: ${path}`);
    }
  }
  return out;
}

/** The NICs' names at the next boot: the kernel's (the box's) names, renamed by MAC through labgen's .link files. */
function namesAtNextBoot(node: FakeNode, box: BoxChoice): Link[] {
  const dir = join(node.root, 'etc/systemd/network');
  const byMac = new Map<string, string>();
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.link'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const mac = /^MACAddress=(\S+)$/m.exec(text)?.[1];
      const name = /^Name=(\S+)$/m.exec(text)?.[1];
      assert.ok(mac && name, `${f} matches a MAC and sets a Name`);
      byMac.set(mac.toLowerCase(), name);
    }
  }
  return box.nics.map((kernelName, i) => ({ name: byMac.get(MACS[i]!) ?? kernelName, mac: MACS[i]! }));
}

/** Devices that exist once the cluster runs (kubelet starts at boot, before Vagrant's SSH is ready). */
function clusterDevices(lab: ResolvedLab): Link[] {
  const enc = lab.cni.encapsulation;
  const names = ['cni0', 'veth3e8a1b2c', ...('device' in enc ? [enc.device] : [])];
  return names.map((name, i) => ({ name, mac: `0a:58:0a:f4:01:${String(10 + i).padStart(2, '0')}` }));
}

function labFor(family: string, provider: string, iface: string): LabDefinition {
  return {
    name: `restart-${family}-${provider}`,
    os: { family },
    provider: { name: provider },
    network: { hostOnly: { cidr: '10.0.0.0/24', hostAddress: '10.0.0.254' } },
    kubernetes: { version: '1.35' },
    cni: { plugin: 'flannel', interface: iface },
    nodes: [
      { name: 'master', hostname: 'master.lab.com', role: 'control-plane', ip: '10.0.0.1' },
      { name: 'worker1', hostname: 'worker1.lab.com', role: 'worker', ip: '10.0.0.2' },
    ],
  } as LabDefinition;
}

const reg = defaultRegistries();
const cases: { family: string; provider: string; iface: string; box: BoxChoice }[] = [];
for (const family of reg.os.all()) {
  for (const provider of reg.providers.all()) {
    const box = family.boxes[provider.name];
    if (!box) continue;
    for (const iface of new Set(['auto', box.nics[1], ...(box.predictableNics ? [box.predictableNics[1]] : [])])) cases.push({ family: family.name, provider: provider.name, iface, box });
  }
}

describe('restart: Vagrant\'s own configure_networks on the next boot keeps NIC1 on NAT and NIC2 on the host-only address', () => {
  it('the table covers every registered OS family and provider, and the article\'s enp0s8', () => {
    for (const f of reg.os.all()) assert.ok(cases.some((c) => c.family === f.name), `${f.name} has a case`);
    for (const p of reg.providers.all()) assert.ok(cases.some((c) => c.provider === p.name), `${p.name} has a case`);
    assert.ok(cases.some((c) => c.iface === 'enp0s8'));
  });

  it('the harness sees the failure labgen had: NIC2 alone renamed to enp0s8 sorts as [enp0s8, eth0] and Vagrant puts the address on eth0', (t) => {
    if (!requireVagrantRuby(t)) return;
    const box = reg.os.require('el').boxes.virtualbox!;
    const node = { ip: '10.0.0.2' } as ResolvedNode;
    const r = nextBoot(box, [{ name: 'eth0', mac: MACS[0] }, { name: 'enp0s8', mac: MACS[1] }], node, '255.255.255.0');
    assert.equal(r.guest, 'rocky');
    assert.deepEqual(r.interfaces, ['enp0s8', 'eth0']);
    assert.deepEqual(devicesWithAddress(r.files, node.ip), ['eth0']);
  });

  it('a family that names its Vagrant guest names the one Vagrant detects on each of its boxes; configured, it skips detection and configures the same NICs', (t) => {
    if (!requireVagrantRuby(t)) return;
    let named = 0;
    for (const family of reg.os.all()) {
      if (!family.vagrantGuest) continue;
      for (const [provider, box] of Object.entries(family.boxes)) {
        named++;
        const node = { ip: '10.0.0.2' } as ResolvedNode;
        const links = box.nics.map((name, i) => ({ name, mac: MACS[i]! }));
        const detected = nextBoot(box, links, node, '255.255.255.0');
        assert.equal(detected.guest, family.vagrantGuest, `${family.name} on ${provider}: Vagrant's own detection on ${box.box}`);
        const configured = nextBoot(box, links, node, '255.255.255.0', family.vagrantGuest);
        assert.equal(configured.guest, family.vagrantGuest);
        assert.deepEqual(configured.chain, detected.chain, 'the same capability chain');
        assert.deepEqual(configured.interfaces, detected.interfaces);
        assert.deepEqual(configured.files, detected.files, 'Vagrant writes the same network files');
        assert.equal(configured.detectionCommands, 0, 'no detection command when the guest is configured');
        assert.ok(detected.detectionCommands > 0, 'detection ran commands on the guest');
        t.diagnostic(`${family.name} on ${provider}: detection ran ${detected.detectionCommands} guest commands; configured: 0`);
      }
    }
    assert.ok(named > 0, 'at least one family names its guest');
  });

  for (const c of cases) {
    it(`${c.family} on ${c.provider}, cni.interface ${c.iface}: first boot, labgen's steps, then every later boot`, (t) => {
      if (!requireVagrantRuby(t)) return;
      if (!requireTool(t, 'openssl')) return;
      const checked = checkLab(labFor(c.family, c.provider, c.iface), reg);
      if (!checked.lab) {
        // Only a provider rule may refuse a NIC name here (libvirt: NICs are found by address); labgen's own NIC rule
        // accepts every name of this table.
        assert.ok(checked.problems.every((p) => p.path === 'cni.interface' && !/sorted list/.test(p.message)), JSON.stringify(checked.problems));
        t.diagnostic(`refused by validation: ${checked.problems.map((p) => p.message).join('; ')}`);
        return;
      }
      const lab = resolveLab(checked.lab, reg);
      const dir = join(tempDir(), lab.name);
      writeProject(dir, renderLab(lab, reg, createEngine(), testSecrets()), false);
      const worker = lab.workers[0]!;
      const netmask = lab.network.hostOnly.netmask;

      // First boot: the box's own names, before any provisioning.
      const boxLinks = c.box.nics.map((name, i) => ({ name, mac: MACS[i]! }));
      const first = nextBoot(c.box, boxLinks, worker, netmask);
      assert.deepEqual(devicesWithAddress(first.files, worker.ip), [c.box.nics[1]], 'first boot: Vagrant configures the box\'s NIC2');

      // labgen's provisioning on that node, then the names each NIC has at the next boot.
      const fake = new FakeNode(dir, worker, { nic1Name: c.box.nics[0], nic2Name: c.box.nics[1] });
      fake.ok('base.sh');
      const links = namesAtNextBoot(fake, c.box);
      if (c.iface !== 'auto') assert.equal(links[1]!.name, c.iface, 'NIC2 carries the lab\'s name at the next boot');
      assert.equal(links[0]!.name, worker.nics[0].name, 'NIC1 carries the name labgen resolved for it');

      // Every later boot (reload, halt + up, host reboot): the same layout plus the cluster's own devices.
      const later = nextBoot(c.box, [...links, ...clusterDevices(lab)], worker, netmask);
      assert.deepEqual(devicesWithAddress(later.files, worker.ip), [links[1]!.name], `Vagrant's sorted list ${JSON.stringify(later.interfaces)} must put NIC2 second`);
      assert.equal(later.interfaces[0], links[0]!.name, 'NIC1 sorts first');
      assert.ok(!later.commands.some((cmd) => new RegExp(`\\b${links[0]!.name}\\b`).test(cmd) && !/^(\/sbin\/ip|cat \/proc)/.test(cmd)), `no command touches NIC1 ${links[0]!.name}:\n${later.commands.join('\n')}`);
      assert.ok(!Object.keys(later.files).some((p) => p.includes(links[0]!.name)), 'no file is written for NIC1');
    });
  }
});
