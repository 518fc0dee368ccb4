// doctor finds another lab holding this lab's VM names or host-only network: a second copy of a lab (--out other-copy)
// while the first one runs, on the fake vagrant/VBoxManage/virsh (which register VMs and networks as the real ones do).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Check } from '../../src/doctor/check.js';
import { parseDomainXml } from '../../src/providers/libvirt/inventory.js';
import { parseHostOnly, parseVmList, parseVmNetworks } from '../../src/providers/virtualbox/inventory.js';
import { fakeHost, type FakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { writeFileSync } from 'node:fs';

const FAST = ['--poll-interval=50ms'];
const QUICK = { FAKE_VAGRANT_MS: JSON.stringify({ default: { import: 0, clone: 0, boot: 0, step: 0 } }) };

async function doctorJson(h: FakeHost, argv: string[]): Promise<{ code: number; check: Check }> {
  const r = await runLabgen(h, ['doctor', ...argv, '--json'], { env: QUICK });
  const doc = JSON.parse(r.out) as { checks?: Check[]; error?: { checks?: Check[]; data?: { checks?: Check[] } } };
  const checks = doc.checks ?? doc.error?.checks ?? doc.error?.data?.checks ?? [];
  const check = checks.find((c) => c.name === 'other labs');
  assert.ok(check, `no "other labs" check in ${r.out}`);
  return { code: r.code, check };
}

/** A printed `labgen ...` fix line split into words by bash itself, so the test runs it exactly as a user would. */
function labgenWords(line: string): string[] {
  const r = spawnSync('bash', ['-c', `set -- ${line}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  const words = r.stdout.split('\0').filter((w) => w !== '');
  assert.equal(words[0], 'labgen', line);
  return words.slice(1);
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('a second copy of a running VirtualBox lab fails doctor, naming the first lab; its fix runs as printed', async () => {
  const h = fakeHost();
  const first = join(h.work, 'first lab');
  const c = await runLabgen(h, ['create', 'flannel-4node', '--out', first, ...FAST], { env: QUICK });
  assert.equal(c.code, 0, c.err);
  // The first lab's own directory still passes: its VMs are its own (their ids are in its .vagrant).
  const self = await doctorJson(h, [first]);
  assert.equal(self.check.status, 'pass', self.check.detail);
  const other = join(h.work, 'other-copy');
  const d = await doctorJson(h, ['flannel-4node', '--out', other]);
  assert.equal(d.code, 1);
  assert.equal(d.check.status, 'fail');
  assert.match(d.check.detail, new RegExp(`the lab flannel-4node in ${esc(first)} already has the VM names flannel-4node-master, flannel-4node-worker1, flannel-4node-worker2, flannel-4node-worker3 this lab gives its VMs`));
  assert.match(d.check.detail, /VMs on the host-only network vboxnet0 \(10\.0\.0\.0\/24\), which holds this lab's 10\.0\.0\.0\/24: both labs' VMs would share one network with the same addresses/);
  const fix = d.check.fix!.split('\n');
  assert.equal(fix[0], `labgen destroy '${first}'   (removes that lab's VMs; its files stay)`);
  // create refuses the copy before writing anything.
  const cc = await runLabgen(h, ['create', 'flannel-4node', '--out', other, ...FAST], { env: QUICK });
  assert.equal(cc.code, 1);
  assert.match(cc.err, /other labs failed/);
  // The fix, run as printed, frees the names and the network: the copy passes.
  const destroy = await runLabgen(h, labgenWords(fix[0]!.split('   (')[0]!), { env: QUICK });
  assert.equal(destroy.code, 0, destroy.err);
  const after = await doctorJson(h, ['flannel-4node', '--out', other]);
  assert.equal(after.check.status, 'pass', after.check.detail);
});

test('libvirt: the copy clashes on the domain names and on the libvirt network labgen-<lab>; own domains pass', async () => {
  const h = fakeHost();
  const first = join(h.work, 'first');
  const c = await runLabgen(h, ['create', 'libvirt-calico-vxlan', '--out', first, ...FAST], { env: QUICK });
  assert.equal(c.code, 0, c.err);
  assert.equal((await doctorJson(h, [first])).check.status, 'pass');
  const d = await doctorJson(h, ['libvirt-calico-vxlan', '--out', join(h.work, 'copy')]);
  assert.equal(d.check.status, 'fail');
  assert.match(d.check.detail, new RegExp(`the lab libvirt-calico-vxlan in ${esc(first)} already has the VM names libvirt-calico-vxlan-master, `));
  assert.match(d.check.detail, /host-only network labgen-libvirt-calico-vxlan \(10\.0\.0\.0\/24\)/);
  assert.equal(d.check.fix!.split('\n')[0], `labgen destroy ${first}   (removes that lab's VMs; its files stay)`);
});

test('a VM no Vagrant project claims, or another Vagrant project, is named with the command that removes it', async () => {
  const h = fakeHost();
  // A VirtualBox VM with the article master's name and a foreign project's VM on vboxnet0 (10.0.0.0/24).
  const foreign = join(h.work, 'someone-else');
  writeFileSync(join(h.state, 'hypervisor.json'), JSON.stringify({
    vms: [
      { name: 'flannel-4node-master', uuid: '0b6c6f7a-1111-4222-8333-444455556666', provider: 'virtualbox', network: 'vboxnet9' },
      { name: 'web', uuid: '0b6c6f7a-aaaa-4bbb-8ccc-ddddeeeeffff', provider: 'virtualbox', network: 'vboxnet0' },
    ],
    hostOnly: [{ name: 'vboxnet0', ip: '10.0.0.254', netmask: '255.255.255.0' }],
    networks: [],
  }));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(foreign, '.vagrant/machines/web/virtualbox'), { recursive: true });
  writeFileSync(join(foreign, '.vagrant/machines/web/virtualbox/id'), '0b6c6f7a-aaaa-4bbb-8ccc-ddddeeeeffff\n');
  mkdirSync(join(h.root, '.vagrant.d/data/machine-index'), { recursive: true });
  writeFileSync(join(h.root, '.vagrant.d/data/machine-index/index'), JSON.stringify({ version: 1, machines: { abc: { local_data_path: join(foreign, '.vagrant'), name: 'web', provider: 'virtualbox', state: 'running', vagrantfile_path: foreign } } }));
  const d = await doctorJson(h, ['flannel-4node', '--out', join(h.work, 'lab')]);
  assert.equal(d.check.status, 'fail');
  assert.match(d.check.detail, /VM flannel-4node-master, which no Vagrant project on this host claims already has the VM name flannel-4node-master/);
  assert.match(d.check.detail, new RegExp(`the Vagrant project in ${esc(foreign)} has VMs on the host-only network vboxnet0`));
  assert.match(d.check.fix!, /^VBoxManage unregistervm 0b6c6f7a-1111-4222-8333-444455556666 --delete   \(deletes VM flannel-4node-master and its disks/m);
  assert.match(d.check.fix!, new RegExp(`^\\(cd ${esc(foreign)} && vagrant destroy -f\\)`, 'm'));
});

test('VBoxManage and virsh output is read as VirtualBox 7 and libvirt print it', () => {
  assert.deepEqual(parseVmList('"flannel-4node-master" {0B6C6F7A-1111-4222-8333-444455556666}\n"a \\"q\\"" {0b6c6f7a-aaaa-4bbb-8ccc-ddddeeeeffff}\ngarbage\n'), [
    { name: 'flannel-4node-master', id: '0b6c6f7a-1111-4222-8333-444455556666' }, { name: 'a \\"q\\"', id: '0b6c6f7a-aaaa-4bbb-8ccc-ddddeeeeffff' }]);
  assert.deepEqual(parseHostOnly('Name:            vboxnet0\nIPAddress:       10.0.0.254\nNetworkMask:     255.255.255.0\n\nName:            vboxnet1\nIPAddress:       192.168.56.1\nNetworkMask:     255.255.255.0\n'), [{ name: 'vboxnet0', cidr: '10.0.0.0/24' }, { name: 'vboxnet1', cidr: '192.168.56.0/24' }]);
  assert.deepEqual(parseHostOnly('Name:         HostNetwork\nGUID:         x\nState:        Enabled\nNetworkMask:  255.255.255.0\nLowerIP:      10.0.0.2\nUpperIP:      10.0.0.199\n'), [{ name: 'HostNetwork', cidr: '10.0.0.0/24' }]);
  assert.deepEqual(parseVmNetworks('nic1="nat"\nhostonlyadapter2="vboxnet0"\nhostonly-network3="HostNetwork"\n'), ['vboxnet0', 'HostNetwork']);
  assert.deepEqual(parseDomainXml("<domain><uuid>0B6C6F7A-1111-4222-8333-444455556666</uuid><interface type='network'><source network='vagrant-libvirt'/></interface><interface type=\"network\"><source network=\"labgen-x\" bridge='virbr9'/></interface></domain>"), { id: '0b6c6f7a-1111-4222-8333-444455556666', networks: ['vagrant-libvirt', 'labgen-x'] });
});
