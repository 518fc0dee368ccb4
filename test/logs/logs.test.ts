// labgen logs on the fake vagrant and kubectl: what the archive holds, a node that is down or hangs, no secret inside
// (every member decompressed and scanned), --out checks, --json, the default path.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runLabgen } from '../fakes/run-labgen.js';
import { requireTool } from '../helpers/tools.js';
import { execaRunner } from '../../src/host/real-process.js';
import { createdLab, interruptLabgen } from '../lifecycle/helpers.js';
import { member, readTarGz } from './archive.js';

function alive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch { return false; } }

/** Every secret of the lab directory that must not leave it: token, CA key lines, kubeconfig credentials. */
function secretsOf(dir: string): string[] {
  const token = readFileSync(join(dir, 'secrets/bootstrap-token'), 'utf8').trim();
  const key = readFileSync(join(dir, 'secrets/ca.key'), 'utf8').split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
  const kc = [...readFileSync(join(dir, 'kubeconfig'), 'utf8').matchAll(/(?:client-key-data|client-certificate-data): (\S+)/g)].map((m) => m[1]!);
  assert.ok(token.length === 23 && key.length > 10 && kc.length === 2);
  return [token, ...key, ...kc];
}

test('logs: one archive with every node\'s logs, journals, addresses, routes, FDB, the cluster, host versions and the lab; a down node is noted; no secret inside', async (t) => {
  const { h, dir } = await createdLab();
  // worker3 is down.
  const halt = await execaRunner(h.env()).run('vagrant', ['halt', 'worker3'], { cwd: dir });
  assert.equal(halt.exitCode, 0, halt.stderr);
  const out = join(h.work, 'lab-logs.tar.gz');
  const r = await runLabgen(h, ['logs', dir, '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /not collected: worker3: not collected from the guest: the VM is poweroff/);
  assert.match(r.out, new RegExp(`Wrote ${out} \\(\\d+ files, secrets redacted; 1 not collected`));
  assert.equal(statSync(out).mode & 0o777, 0o600);

  const m = readTarGz(out);
  const roots = new Set([...m.keys()].map((k) => k.split('/')[0]));
  assert.equal(roots.size, 1);
  assert.match([...roots][0]!, /^labgen-logs-flannel-4node-\d{8}T\d{6}Z$/);
  // GNU tar reads it too, with the same members.
  if (requireTool(t, 'tar')) {
    const list = spawnSync('tar', ['-tzf', out], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n').sort(), [...m.keys()].sort());
  }
  for (const n of ['master', 'worker1', 'worker2']) {
    assert.match(member(m, `nodes/${n}/journal-kubelet.txt`), new RegExp(`${n} kubelet\\[812\\]: I1201 Starting kubelet`));
    assert.match(member(m, `nodes/${n}/journal-containerd.txt`), /starting containerd/);
    assert.match(member(m, `nodes/${n}/ip-addr.txt`), /vxlan id 1 local 10\.0\.0\.\d dev enp0s8/);
    assert.match(member(m, `nodes/${n}/ip-route.txt`), /^10\.0\.0\.0\/24 dev enp0s8/m);
    assert.match(member(m, `nodes/${n}/bridge-fdb.txt`), /dev flannel\.1 dst 10\.0\.0\.2/);
    assert.match(member(m, `host/logs/${n}.log`), /LABGEN-DONE node=/);
  }
  assert.match(member(m, 'nodes/master/labgen/kubeadm-init.log'), /\[bootstrap-token\] Using token: <redacted>/);
  assert.match(member(m, 'nodes/worker1/labgen/kubeadm-join.log'), /joined the cluster/);
  assert.match(member(m, 'nodes/worker3/NOT-COLLECTED.txt'), /worker3: .*the VM is poweroff/);
  assert.ok(![...m.keys()].some((k) => k.includes('nodes/worker3/journal')), 'nothing is invented for the down node');
  assert.match(member(m, 'host/logs/worker3.log'), /LABGEN-DONE node=worker3/, 'its host-side log is still there');
  assert.match(member(m, 'cluster/nodes-pods.txt'), /node\/worker3\.lab\.com +NotReady/);
  assert.match(member(m, 'cluster/events.txt'), /RegisteredNode/);
  assert.match(member(m, 'cluster/cni/kube-flannel/pods.txt'), /kube-flannel-ds-20000/);
  assert.match(member(m, 'cluster/cni/kube-flannel/kube-flannel-ds-20001.log'), /--iface=enp0s8/);
  assert.ok(h.calls().some((c) => /kubectl .* get pods -n kube-flannel -l app=flannel -o json/.test(c)), 'the CNI\'s pods by the plugin\'s own selector');
  const versions = member(m, 'host/versions.txt');
  for (const re of [/^labgen \d+\.\d+\.\d+, node v\d+/m, /^Vagrant 2\.4\.3$/m, /^\$ VBoxManage --version\n7\.1\.4r165100$/m, /vagrant-libvirt \(0\.12\.2/, /gitVersion/]) assert.match(versions, re);
  assert.match(member(m, 'host/boxes.txt'), /bento\/rockylinux-9 \(virtualbox, 202510\.26\.0\)/);
  assert.equal((JSON.parse(member(m, 'lab/labgen.json')) as { lab: { name: string } }).lab.name, 'flannel-4node');
  assert.match(member(m, 'lab/vagrant-status.txt'), /^worker3\tpoweroff\tvirtualbox$/m);
  assert.match(member(m, 'README.txt'), /Not collected:\n {2}- worker3: /);

  // The fakes did print the secrets where real nodes do (so the scan below is not vacuous) ...
  assert.match(member(m, 'nodes/master/journal-kubelet.txt'), /using token <redacted>/);
  assert.match(member(m, 'nodes/master/journal-containerd.txt'), /<redacted PEM block>/);
  assert.match(member(m, 'nodes/master/journal-containerd.txt'), /stray <redacted>/);
  assert.match(member(m, 'cluster/cni/kube-flannel/kube-flannel-ds-20000.log'), /leaked join token <redacted>/);
  // ... and not one of them is in any member.
  const secrets = secretsOf(dir);
  for (const [name, content] of m) {
    const text = content.toString('utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${name} holds a secret (${s.slice(0, 6)}...)`);
    assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, name);
  }
});

test('logs: a node that does not answer is noted after --timeout, its ssh is stopped, and the archive is still written', async () => {
  const { h, dir } = await createdLab();
  const out = join(h.work, 'x.tar.gz');
  const r = await runLabgen(h, ['logs', dir, '--out', out, '--timeout', '1s', '--json'], { env: { FAKE_VAGRANT_HANG: 'worker1:ssh' } });
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { archive: string; members: number; notCollected: string[] };
  assert.equal(j.archive, out);
  assert.deepEqual(j.notCollected, ['worker1: did not answer within 1s']);
  const m = readTarGz(out);
  assert.equal(m.size, j.members);
  assert.match(member(m, 'nodes/worker1/NOT-COLLECTED.txt'), /did not answer within 1s/);
  assert.match(member(m, 'nodes/worker2/journal-kubelet.txt'), /Starting kubelet/);
  assert.deepEqual(h.pids().filter(alive), [], 'the hanging vagrant ssh was stopped');
});

test('logs: with the whole lab down every node and the API are noted, not fatal; the default archive goes to <dir>/logs/', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  const r = await runLabgen(h, ['logs', dir]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /not collected: cluster: the API did not answer: The connection to the server 10\.0\.0\.1:6443 was refused/);
  const archives = readdirSync(join(dir, 'logs')).filter((f) => f.endsWith('.tar.gz'));
  assert.equal(archives.length, 1);
  assert.match(archives[0]!, /^labgen-logs-\d{8}T\d{6}Z\.tar\.gz$/);
  const m = readTarGz(join(dir, 'logs', archives[0]!));
  for (const n of ['master', 'worker1', 'worker2', 'worker3']) assert.match(member(m, `nodes/${n}/NOT-COLLECTED.txt`), /poweroff/);
  assert.match(member(m, 'README.txt'), /cluster: the API did not answer/);
  assert.ok(!h.calls().some((c) => c.startsWith('vagrant ssh') && c.includes('LABGEN-LOGS')), 'no ssh to a VM that is off');
});

test('logs: an --out that exists or lies in no directory is exit 2 with nothing run', async () => {
  const { h, dir } = await createdLab();
  const mark = h.calls().length;
  const taken = join(h.work, 'taken.tar.gz');
  writeFileSync(taken, 'mine');
  for (const [out, re] of [[taken, /already exists/], [h.work, /already exists and is a directory/], [join(h.work, 'nope', 'x.tar.gz'), /is not a directory/], [join(taken, 'x.tar.gz'), /is not a directory/]] as const) {
    const r = await runLabgen(h, ['logs', dir, '--out', out]);
    assert.equal(r.code, 2, `${out}: ${r.err}`);
    assert.match(r.err, re);
    assert.match(r.err, /pass --out with a new file name/);
  }
  assert.equal(readFileSync(taken, 'utf8'), 'mine');
  assert.deepEqual(h.calls().slice(mark), []);
  assert.equal(existsSync(join(h.work, 'nope')), false);
});

test('logs: Ctrl-C stops every vagrant ssh, writes no archive, exits 130', async () => {
  const { h, dir } = await createdLab();
  const out = join(h.work, 'never.tar.gz');
  const sshAlive = () => h.pids().filter((p) => alive(p) && /^vagrant ssh .*LABGEN-LOGS-/.test(readFileSync(join(h.state, 'pids', String(p)), 'utf8'))).length;
  const r = await interruptLabgen(h, ['logs', dir, '--out', out], { FAKE_VAGRANT_HANG: 'master:ssh,worker1:ssh,worker2:ssh,worker3:ssh' }, () => sshAlive() === 4);
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /labgen: interrupted/);
  assert.match(r.err, /no archive was written/);
  assert.deepEqual(r.left, [], 'no fake process is left running');
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(h.work).filter((f) => f.includes('.tmp')), []);
});
