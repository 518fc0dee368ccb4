// labgen doctor on fabricated host states: fake tools on PATH, a fabricated probe, fake ip/virsh output.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { findTool } from '../helpers/tools.js';
import { test } from 'node:test';
import type { Check } from '../../src/doctor/check.js';
import { networkCidr } from '../../src/providers/libvirt/doctor.js';
import { pairProblem } from '../../src/providers/virtualbox/versions.js';
import { allowedRanges } from '../../src/providers/virtualbox/doctor.js';
import { fakeHost, FAKE_TOOLS, repoRoot } from '../fakes/fake-bin.js';
import { fakeProbe, runLabgen } from '../fakes/run-labgen.js';
import type { HostProbe } from '../../src/doctor/probe.js';

type Tool = keyof typeof FAKE_TOOLS;

async function doctor(argv: string[], o: { tools?: Tool[]; env?: NodeJS.ProcessEnv; probe?: HostProbe } = {}): Promise<{ code: number; checks: Record<string, Check>; err: string }> {
  const h = fakeHost(o.tools);
  const r = await runLabgen(h, ['doctor', ...argv, '--json'], { env: o.env, probe: o.probe });
  const j = JSON.parse(r.out) as { checks: Check[] };
  return { code: r.code, checks: Object.fromEntries(j.checks.map((c) => [c.name, c])), err: r.err };
}

test('a host with everything passes every check', async () => {
  const d = await doctor(['flannel-4node']);
  assert.equal(d.code, 0, d.err);
  assert.deepEqual(Object.entries(d.checks).filter(([, c]) => c.status !== 'pass').map(([n]) => n), []);
  assert.deepEqual(Object.keys(d.checks), ['vagrant', 'VirtualBox', 'versions', 'host-only range', 'kubectl', 'box', 'other labs', 'memory', 'CPUs', 'disk', 'host networks']);
  assert.equal(d.checks.box!.detail, 'bento/rockylinux-9 202510.26.0 (virtualbox) is already downloaded');
});

test('box not downloaded yet: warn, with a vagrant box add that runs as printed and the alternative publisher', async () => {
  const h = fakeHost();
  const env = { FAKE_VAGRANT_BOXES: JSON.stringify([{ name: 'bento/rockylinux-9', provider: 'virtualbox', version: '202407.22.0' }]) };
  const r = await runLabgen(h, ['doctor', 'flannel-4node', '--json'], { env });
  const box = (JSON.parse(r.out) as { checks: Check[] }).checks.find((c) => c.name === 'box')!;
  assert.equal(r.code, 0, 'a missing box does not stop create: vagrant up downloads it');
  assert.equal(box.status, 'warn');
  assert.equal(box.detail, 'bento/rockylinux-9 202510.26.0 (virtualbox) is not downloaded yet (installed: 202407.22.0)');
  const lines = box.fix!.split('\n');
  assert.equal(lines[0], 'vagrant up downloads it; if that download fails, run: vagrant box add bento/rockylinux-9 --box-version 202510.26.0 --provider virtualbox');
  assert.match(lines[1]!, /^or use another publisher's build: set os\.box: rockylinux\/9 in the lab file \(vagrant box add rockylinux\/9 --provider virtualbox\)$/);
  // The printed command runs as printed (against the fake vagrant), and reaches vagrant with exactly these arguments.
  const cmd = lines[0]!.split('run: ')[1]!;
  const ran = spawnSync(findTool('bash')!, ['-c', cmd], { env: h.env(), encoding: 'utf8' });
  assert.equal(ran.status, 0, ran.stderr);
  assert.match(ran.stdout, /Successfully added box 'bento\/rockylinux-9' \(v202510\.26\.0\) for 'virtualbox'/);
  assert.ok(h.calls().includes('vagrant box add bento/rockylinux-9 --box-version 202510.26.0 --provider virtualbox'), h.calls().join('\n'));
});

test('no vagrant and no VirtualBox: each named with what to install, exit 1', async () => {
  const d = await doctor(['flannel-4node'], { tools: ['kubectl', 'ip'] });
  assert.equal(d.code, 1);
  assert.equal(d.checks.vagrant!.status, 'fail');
  assert.match(d.checks.vagrant!.fix!, /developer\.hashicorp\.com\/vagrant\/install/);
  assert.match(d.checks.VirtualBox!.detail, /VBoxManage is not on PATH/);
  assert.match(d.checks.VirtualBox!.fix!, /virtualbox\.org/);
  assert.match(d.err, /vagrant, VirtualBox failed/);
});

test('VirtualBox 7.2 needs Vagrant 2.4.9+, 7.1 needs 2.4.2+', async () => {
  const bad = await doctor(['flannel-4node'], { env: { FAKE_VBOX_VERSION: '7.2.0r170228', FAKE_VAGRANT_VERSION: '2.4.3' } });
  assert.equal(bad.code, 1);
  assert.match(bad.checks.versions!.detail, /VirtualBox 7\.2\.0 needs Vagrant 2\.4\.9 or newer; this is Vagrant 2\.4\.3/);
  const ok = await doctor(['flannel-4node'], { env: { FAKE_VBOX_VERSION: '7.1.6r167084', FAKE_VAGRANT_VERSION: '2.4.2' } });
  assert.equal(ok.checks.versions!.status, 'pass');
  assert.ok(pairProblem([7, 1, 0], [2, 4, 1]));
  assert.equal(pairProblem([7, 2, 4], [2, 4, 9]), undefined);
  assert.match(pairProblem([7, 3, 0], [2, 4, 9])!.message, /newer than any Vagrant labgen knows/);
});

test('networks.conf: the default range refuses 10.0.0.0/24 and doctor prints the line to add; a covering line passes', async () => {
  const none = await doctor(['flannel-4node'], { probe: fakeProbe({}, {}) });
  assert.equal(none.code, 1);
  assert.match(none.checks['host-only range']!.detail, /only allows host-only addresses in 192\.168\.56\.0\/21/);
  assert.match(none.checks['host-only range']!.fix!, /echo '\* 10\.0\.0\.0\/24' \| sudo tee -a \/etc\/vbox\/networks\.conf/);
  const mac = await doctor(['flannel-4node'], { probe: fakeProbe({ platform: 'darwin' }, {}) });
  assert.equal(mac.checks['host-only range']!.status, 'pass', 'VirtualBox 7 on macOS does not enforce it');
  assert.deepEqual(allowedRanges('# comment\n* 10.0.0.0/8 192.168.0.0/16\n* 2001:db8::/64\n'), ['10.0.0.0/8', '192.168.0.0/16']);
});

test('memory, CPUs and disk short for the lab fail with the numbers', async () => {
  const d = await doctor(['flannel-4node'], { probe: fakeProbe({ availableMemoryMiB: () => 8000, cpus: () => 1, freeDiskMiB: () => 4000 }) });
  assert.equal(d.code, 1);
  assert.match(d.checks.memory!.detail, /need 12288 MiB; 8000 MiB is available/);
  assert.match(d.checks.CPUs!.detail, /a VM has 2 vCPUs; this host has 1 CPUs/);
  assert.match(d.checks.disk!.detail, /GiB free/);
  assert.equal(d.checks.disk!.status, 'fail');
});

test('a host interface or route inside the lab networks fails; the lab\'s own host adapter does not', async () => {
  const addr = (extra: object[]) => JSON.stringify([{ ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] }, ...extra]);
  const clash = await doctor(['flannel-4node'], { env: { FAKE_IP_ADDR: addr([{ ifname: 'eth1', addr_info: [{ family: 'inet', local: '10.0.0.7', prefixlen: 24 }] }]) } });
  assert.equal(clash.checks['host networks']!.status, 'fail');
  assert.match(clash.checks['host networks']!.detail, /interface eth1 has 10\.0\.0\.7\/24, inside network\.hostOnly\.cidr 10\.0\.0\.0\/24/);
  const route = await doctor(['flannel-4node'], { env: { FAKE_IP_ROUTE: JSON.stringify([{ dst: '10.244.8.0/22', dev: 'wg0' }]) } });
  assert.match(route.checks['host networks']!.detail, /route 10\.244\.8\.0\/22 via wg0 overlaps kubernetes\.podCidr 10\.244\.0\.0\/16/);
  const ours = await doctor(['flannel-4node'], { env: { FAKE_IP_ADDR: addr([{ ifname: 'vboxnet0', addr_info: [{ family: 'inet', local: '10.0.0.254', prefixlen: 24 }] }]), FAKE_IP_ROUTE: JSON.stringify([{ dst: '10.0.0.0/24', dev: 'vboxnet0' }]) } });
  assert.equal(ours.checks['host networks']!.status, 'pass');
  assert.match(ours.checks['host networks']!.detail, /vboxnet0 is this lab's own host adapter/);
});

test('libvirt: plugin, connection, KVM and networks pass on a good host', async () => {
  const d = await doctor(['libvirt-calico-vxlan']);
  assert.equal(d.code, 0, d.err);
  assert.match(d.checks['vagrant-libvirt']!.detail, /vagrant-libvirt 0\.12\.2 installed/);
  assert.match(d.checks['libvirt connection']!.detail, /qemu:\/\/\/system answers \(QEMU 8\.2\.2\)/);
  assert.equal(d.checks.KVM!.status, 'pass');
  assert.equal(d.checks['libvirt networks']!.status, 'pass');
});

test('libvirt: missing plugin, dead connection, missing /dev/kvm and a clashing network each fail with the fix', async () => {
  const plugin = await doctor(['libvirt-calico-vxlan'], { env: { FAKE_VAGRANT_PLUGINS: 'vagrant-share (2.0.0, global)' } });
  assert.equal(plugin.checks['vagrant-libvirt']!.status, 'fail');
  assert.match(plugin.checks['vagrant-libvirt']!.fix!, /^vagrant plugin install vagrant-libvirt/);
  const down = await doctor(['libvirt-calico-vxlan'], { env: { FAKE_VIRSH_DOWN: '1' } });
  assert.match(down.checks['libvirt connection']!.detail, /qemu:\/\/\/system does not answer: error: failed to connect to the hypervisor/);
  assert.match(down.checks['libvirt connection']!.fix!, /usermod -aG libvirt/);
  const kvm = await doctor(['libvirt-calico-vxlan'], { probe: fakeProbe({ exists: () => false }) });
  assert.match(kvm.checks.KVM!.detail, /\/dev\/kvm does not exist/);
  const nets = await doctor(['libvirt-calico-vxlan'], { env: { FAKE_VIRSH_NETWORKS: JSON.stringify([{ name: 'old-lab', cidr: '10.0.0.0/24' }, { name: 'vagrant-libvirt', cidr: '192.168.200.0/24' }]) } });
  assert.equal(nets.code, 1);
  assert.match(nets.checks['libvirt networks']!.detail, /libvirt network old-lab \(10\.0\.0\.0\/24\) overlaps labgen-libvirt-calico-vxlan/);
  assert.match(nets.checks['libvirt networks']!.detail, /libvirt network vagrant-libvirt exists with 192\.168\.200\.0\/24, not 192\.168\.121\.0\/24/);
  assert.match(nets.checks['libvirt networks']!.fix!, /net-destroy old-lab; virsh -c qemu:\/\/\/system net-undefine old-lab/);
  assert.equal(networkCidr("<network><ip address='192.168.122.1' netmask='255.255.255.0'/></network>"), '192.168.122.0/24');
});

test('libvirt on a remote URI asks virsh domcapabilities for KVM and skips local host checks', async () => {
  const h = fakeHost();
  const file = join(h.work, 'remote.yaml');
  writeFileSync(file, readFileSync(join(repoRoot(), 'labs/libvirt-calico-vxlan.yaml'), 'utf8').replace('uri: qemu:///system', 'uri: qemu+ssh://lab@kvm-host.example/system'));
  const r = await runLabgen(h, ['doctor', file, '--json'], { env: { FAKE_VIRSH_NO_KVM: '1' }, probe: fakeProbe({ exists: () => false }) });
  const checks = Object.fromEntries((JSON.parse(r.out) as { checks: Check[] }).checks.map((c) => [c.name, c]));
  assert.equal(r.code, 1);
  assert.match(checks.KVM!.detail, /offers no KVM: error: failed to get emulator capabilities/);
  assert.ok(h.calls().includes('virsh -c qemu+ssh://lab@kvm-host.example/system domcapabilities --virttype kvm'));
  assert.equal(checks['host resources']!.status, 'skip');
  assert.equal(checks.memory, undefined);
});
