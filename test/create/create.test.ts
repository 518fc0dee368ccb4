// labgen create against fake vagrant/kubectl: full bring-up with readiness, failures, timeout, resume, libvirt.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { fakeProbe, runLabgen } from '../fakes/run-labgen.js';
import { graphReadyHook } from '../../src/commands/graph.js';
import { graphFiles } from '../../src/graph/files.js';

const FAST = '--poll-interval=50ms';

function logs(dir: string): string {
  const d = join(dir, 'logs');
  return readdirSync(d).map((f) => readFileSync(join(d, f), 'utf8')).join('\n');
}

function upCalls(calls: string[]): string[] { return calls.filter((c) => c.startsWith('vagrant up')); }

test('create brings a 4-node VirtualBox lab up, waits for Ready and prints the node and pod tables', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { env: { FAKE_KUBECTL_READY_AFTER: '2' } });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Host checks passed/);
  assert.match(r.out, /flannel-4node is Ready: 4 nodes/);
  assert.match(r.out, /^master\.lab\.com\s+Ready\s+control-plane\s+\S+\s+v1\.35\.0\s+10\.0\.0\.1$/m);
  assert.match(r.out, /^worker3\.lab\.com\s+Ready\s+<none>\s+\S+\s+v1\.35\.0\s+10\.0\.0\.4$/m);
  assert.match(r.out, /^kube-flannel\s+kube-flannel-ds-\d+\s+1\/1\s+Running/m);
  assert.match(r.out, /^kube-system\s+etcd-master\.lab\.com\s+1\/1\s+Running/m);
  assert.match(r.out, /not ready yet: /, 'the first probes saw NotReady nodes and kept polling');
  assert.match(r.out, /Times: doctor \S+, render \S+, bring-up \S+, kubeconfig \S+, ready \S+, total/);
  assert.match(r.out, new RegExp(`kubectl --kubeconfig ${dir}/kubeconfig get nodes`));
  // Per-step progress came from the LABGEN-STEP lines.
  assert.match(r.out, /worker2\s+joining step 14\/15 kubeadm-join/);
  assert.match(r.out, /master\s+provisioning step 14\/17 kubeadm-init/);
  // One `vagrant up <node>` each; the control plane alone first (the fake fails a second concurrent box import).
  const ups = upCalls(h.calls());
  assert.deepEqual(ups.map((c) => c.split(' ').at(-1)).sort(), ['master', 'worker1', 'worker2', 'worker3']);
  assert.equal(ups[0], 'vagrant up --no-color --provider=virtualbox --provision -- master');
  // The kubeconfig: 0600, server on the host-only address, never printed.
  const kc = readFileSync(join(dir, 'kubeconfig'), 'utf8');
  assert.equal(statSync(join(dir, 'kubeconfig')).mode & 0o777, 0o600);
  assert.match(kc, /server: https:\/\/10\.0\.0\.1:6443/);
  const key = /client-key-data: (\S+)/.exec(kc)![1]!;
  assert.ok(!r.out.includes(key) && !r.err.includes(key) && !logs(dir).includes(key));
});

test('log files hold the full vagrant output with the bootstrap token and PEM keys redacted', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST]);
  assert.equal(r.code, 0, r.err);
  const token = readFileSync(join(dir, 'secrets/bootstrap-token'), 'utf8').trim();
  const master = readFileSync(join(dir, 'logs/master.log'), 'utf8');
  assert.match(master, /Using token: <redacted>/, 'the fake printed the token where kubeadm does');
  assert.match(master, /<redacted PEM block>/);
  assert.match(master, /LABGEN-STEP node=master n=14 total=17 name=kubeadm-init/);
  assert.ok(!logs(dir).includes(token));
  assert.ok(!logs(dir).includes('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7fakefakefake'));
  assert.equal(statSync(join(dir, 'logs/master.log')).mode & 0o777, 0o600);
  assert.ok(!r.out.includes(token) && !r.err.includes(token));
});

test('a failing worker is named with its step and log; the others finish; a re-run resumes only that node', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { env: { FAKE_VAGRANT_FAIL: 'worker2:kubeadm-join' } });
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`kubeadm-join failed on worker2 \\(full log: ${dir}/logs/worker2\\.log\\)`));
  assert.match(r.err, /\| .*LABGEN-FAIL node=worker2 step=kubeadm-join/);
  assert.match(r.err, /resume: +labgen create flannel-4node --out/);
  for (const n of ['master', 'worker1', 'worker3']) assert.ok(existsSync(join(dir, '.labgen/nodes', `${n}.done`)), n);
  assert.ok(!existsSync(join(dir, '.labgen/nodes/worker2.done')));
  const before = upCalls(h.calls()).length;
  const again = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST]);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(upCalls(h.calls()).slice(before), ['vagrant up --no-color --provider=virtualbox --provision -- worker2']);
  assert.match(again.out, /master\s+already up/);
});

test('a failing control plane stops the workers instead of letting them wait for its API', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { env: { FAKE_VAGRANT_FAIL: 'master:kubeadm-init', FAKE_VAGRANT_MS: '{"default":{"step":20}}' } });
  assert.equal(r.code, 1);
  assert.match(r.err, /kubeadm-init failed on master/);
  assert.match(r.err, /worker\d: stopped/);
});

test('a failing box import on the first machine starts no other machine', async () => {
  const h = fakeHost();
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', join(h.work, 'lab'), FAST], { env: { FAKE_VAGRANT_FAIL: 'master:import' } });
  assert.equal(r.code, 1);
  assert.match(r.err, /box import failed on master/);
  assert.deepEqual(upCalls(h.calls()), ['vagrant up --no-color --provider=virtualbox --provision -- master']);
});

test('a cluster that does not become Ready times out naming the node, its condition and events', async () => {
  const h = fakeHost();
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', join(h.work, 'lab'), FAST, '--timeout', '300ms'], { env: { FAKE_KUBECTL_NOT_READY: 'worker3' } });
  assert.equal(r.code, 1);
  assert.match(r.err, /not Ready within/);
  assert.match(r.err, /Node worker3\.lab\.com: Ready=False \(KubeletNotReady\): container runtime network not ready/);
  assert.match(r.err, /event Normal NodeNotReady: Node worker3 status is now: NodeNotReady/);
  assert.match(r.err, /DaemonSet kube-flannel\/kube-flannel-ds: 3 of 4 pods ready/);
  assert.doesNotMatch(r.err, /worker1\.lab\.com:/);
});

test('libvirt: one `vagrant up --parallel`, progress demultiplexed per machine, calico readiness, --json summary', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'libvirt-calico-vxlan', '--out', dir, FAST, '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { ready: boolean; nodes: { name: string; status: string; phases: Record<string, number> }[]; cluster: { nodes: { internalIP: string }[] } };
  assert.equal(j.ready, true);
  assert.deepEqual(j.nodes.map((n) => n.status), ['done', 'done', 'done', 'done']);
  assert.ok(j.nodes.every((n) => n.phases.provision !== undefined));
  assert.deepEqual(j.cluster.nodes.map((n) => n.internalIP).sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
  assert.deepEqual(upCalls(h.calls()), ['vagrant up --no-color --provider=libvirt --provision --parallel -- master worker1 worker2 worker3']);
  assert.ok(h.calls().some((c) => /kubectl .* get tigerastatus calico -o json/.test(c)));
  assert.ok(h.calls().some((c) => /kubectl .* get tigerastatus apiserver -o json/.test(c)), "the operator's API server status is waited for too");
  for (const n of ['master', 'worker1', 'worker2', 'worker3']) {
    const log = readFileSync(join(dir, 'logs', `${n}.log`), 'utf8');
    assert.match(log, new RegExp(`LABGEN-DONE node=${n}`));
    const other = n === 'master' ? 'worker1' : 'master';
    assert.doesNotMatch(log, new RegExp(`LABGEN-STEP node=${other} `));
  }
});

test('a failed host check stops create before anything is written or started', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir], { probe: fakeProbe({ availableMemoryMiB: () => 2048 }) });
  assert.equal(r.code, 1);
  assert.match(r.err, /memory failed/);
  assert.match(r.err, /nothing was written/);
  assert.ok(!existsSync(dir));
  assert.deepEqual(upCalls(h.calls()), []);
});

test('bad input exits 2 with nothing run and nothing written', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  for (const argv of [['create', 'no-such-lab', '--out', dir], ['create', 'flannel-4node', '--out', dir, '--timeout', 'soon']]) {
    const r = await runLabgen(h, argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.ok(!existsSync(dir));
  }
  assert.deepEqual(h.calls(), []);
});

test('--skip-doctor still refuses to write anything when vagrant is missing (exit 1, the fix named)', async () => {
  const h = fakeHost(['kubectl', 'VBoxManage', 'ip']);
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, '--skip-doctor', FAST]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /vagrant/i);
  assert.match(r.err, /nothing was written/);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(h.calls().filter((c) => c.startsWith('vagrant')), []);
});

test('once Ready, the lab\'s picture shows each node\'s pod slice, and a second create still resumes without --force', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const ctx = { extraRenderers: [graphFiles], readyHooks: [graphReadyHook] };
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { ctx });
  assert.equal(r.code, 0, r.err);
  const svg = readFileSync(join(dir, 'topology.svg'), 'utf8');
  for (const slice of ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']) assert.ok(svg.includes(slice), `topology.svg shows ${slice}`);
  const again = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { ctx });
  assert.equal(again.code, 0, again.err);
  assert.doesNotMatch(again.err, /changed since labgen wrote them/);
});
