// labgen stop / start on the fake vagrant and kubectl: halting in parallel, booting without provisioning, the Ready
// report shared with create, a node that fails to boot or to halt, refusing an unfinished lab, --json, Ctrl-C.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { defaultRegistries } from '../../src/registries.js';
import { Registry } from '../../src/registry.js';
import type { Provider } from '../../src/providers/types.js';
import { virtualbox } from '../../src/providers/virtualbox/index.js';
import { libvirt } from '../../src/providers/libvirt/index.js';
import { createdLab, FAST, interruptLabgen, labgenOnPath, lineAfter, shell, upCalls } from './helpers.js';

const NODES = ['master', 'worker1', 'worker2', 'worker3'];

function machineState(state: string, node: string): { state: string; provider?: string; provisioned: boolean } {
  return JSON.parse(readFileSync(join(state, 'machines', `${node}.json`), 'utf8')) as { state: string; provider?: string; provisioned: boolean };
}

test('stop halts every node in its own vagrant process; start boots them without provisioning and prints create\'s Ready report', async () => {
  const { h, dir } = await createdLab();
  const before = h.calls().length;
  const s = await runLabgen(h, ['stop', dir]);
  assert.equal(s.code, 0, s.err);
  const halts = h.calls().slice(before).filter((c) => c.startsWith('vagrant halt'));
  assert.deepEqual(halts.map((c) => c.split(' ').at(-1)).sort(), NODES, 'one `vagrant halt <node>` per node (the provider allows concurrent processes)');
  assert.ok(halts.every((c) => c.split(' ').length === 5), `each halt names one machine: ${halts.join('; ')}`);
  for (const n of NODES) assert.equal(machineState(h.state, n).state, 'poweroff', n);
  assert.match(s.out, /^\[ *\d+s\] worker2 +stopped$/m);
  assert.match(s.out, /4 nodes stopped in \S+\. Start again: labgen start \S+\/lab$/m);

  const again = await runLabgen(h, ['stop', dir, '--json']);
  assert.equal(again.code, 0, again.err);
  const j = JSON.parse(again.out) as { nodes: { name: string; status: string; before: string }[] };
  assert.deepEqual(j.nodes.map((n) => `${n.name}:${n.status}:${n.before}`), NODES.map((n) => `${n}:already-stopped:poweroff`));

  const mark = h.calls().length;
  const st = await runLabgen(h, ['start', dir, FAST]);
  assert.equal(st.code, 0, st.err);
  const ups = h.calls().slice(mark).filter((c) => c.startsWith('vagrant up '));
  assert.deepEqual(ups.map((c) => c.split(' ').at(-1)).sort(), NODES);
  for (const c of ups) assert.match(c, /^vagrant up --no-color --provider=virtualbox --no-provision -- \w+$/);
  // The same report as create: node table, pod table, times.
  assert.match(st.out, /flannel-4node is Ready: 4 nodes/);
  assert.match(st.out, /^master\.lab\.com\s+Ready\s+control-plane\s+\S+\s+v1\.36\.0\s+10\.0\.0\.1$/m);
  assert.match(st.out, /^kube-flannel\s+kube-flannel-ds-\d+\s+1\/1\s+Running/m);
  assert.match(st.out, /^Times: boot \S+, kubeconfig \S+, ready \S+, total \S+$/m);
  // Each row says what start did: the machine is up, never "provisioned" (start runs vagrant up --no-provision).
  for (const n of NODES) assert.match(st.out, new RegExp(`^\\[ *\\d+s\\] ${n} +up \\(\\d+s\\)$`, 'm'), `${n}'s row: ${st.out}`);
  assert.doesNotMatch(st.out, /provisioned/);
  assert.match(st.out, /all 4 nodes running in \S+/);
  // Nothing was provisioned again: no step ran in start's section of any node's log.
  for (const n of NODES) {
    const log = readFileSync(join(dir, 'logs', `${n}.log`), 'utf8');
    const section = log.slice(log.lastIndexOf('===== labgen start'));
    assert.match(section, /vagrant up --no-provision/);
    assert.match(section, /Machine booted and ready!/);
    assert.doesNotMatch(section, /LABGEN-STEP|Running provisioner/);
  }
  // Running nodes are left alone by a second start.
  const m2 = h.calls().length;
  const st2 = await runLabgen(h, ['start', dir, FAST, '--json']);
  assert.equal(st2.code, 0, st2.err);
  assert.deepEqual(h.calls().slice(m2).filter((c) => c.startsWith('vagrant up ')), [], 'nothing to boot');
  const sj = JSON.parse(st2.out) as { ready: boolean; nodes: { status: string }[]; cluster: { nodes: { internalIP: string }[] } };
  assert.equal(sj.ready, true);
  assert.deepEqual(sj.nodes.map((n) => n.status), ['skipped', 'skipped', 'skipped', 'skipped']);
  assert.deepEqual(sj.cluster.nodes.map((n) => n.internalIP).sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
});

test('start: a node that fails to boot is named with its log; the others boot; the printed logs command runs as printed', async () => {
  const { h, dir } = await createdLab('flannel-4node', 'my lab');
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  const r = await runLabgen(h, ['start', dir, FAST], { env: { FAKE_VAGRANT_FAIL: 'worker2:boot' } });
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, new RegExp(`labgen: boot failed on worker2 \\(full log: ${dir}/logs/worker2\\.log\\)`));
  assert.match(r.err, /\| Timed out while waiting for the machine to boot/);
  assert.match(r.err, /^start again: labgen start '.*\/my lab'$/m);
  for (const n of ['master', 'worker1', 'worker3']) assert.equal(machineState(h.state, n).state, 'running', n);
  assert.equal(machineState(h.state, 'worker2').state, 'poweroff');
  // The logs command, pasted into a shell as printed (the directory has a space), writes the archive.
  labgenOnPath(h);
  const printed = lineAfter(r.err, 'collect logs:');
  assert.match(printed, /^labgen logs '.*\/my lab'$/);
  const ran = shell(h, printed);
  assert.equal(ran.code, 0, ran.out + ran.err);
  assert.match(ran.out, /not collected: worker2: not collected from the guest: the VM is poweroff/);
  assert.match(ran.out, new RegExp(`Wrote ${dir}/logs/labgen-logs-\\d{8}T\\d{6}Z\\.tar\\.gz`));
  // Once the node boots, start finishes the job and the cluster is Ready.
  const again = await runLabgen(h, ['start', dir, FAST]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /master: already running/);
});

test('start: a cluster that is not Ready again in time names what is not ready, how to wait longer and the logs command', async () => {
  const { h, dir } = await createdLab('flannel-4node', "it's a lab");
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  const r = await runLabgen(h, ['start', dir, FAST, '--timeout', '300ms'], { env: { FAKE_KUBECTL_NOT_READY: 'worker1' } });
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /the cluster was not Ready within/);
  assert.match(r.err, /Node worker1\.lab\.com: Ready=False/);
  const q = `'${dir.replace(/'/g, `'\\''`)}'`;
  assert.equal(lineAfter(r.err, 'wait longer:'), `labgen start ${q} --timeout 20m`);
  assert.equal(lineAfter(r.err, 'collect logs:'), `labgen logs ${q}`);
});

test('create prints the logs command when it fails, and it runs as printed', async () => {
  const h = fakeHost();
  const dir = join(h.work, "it's a lab");
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST], { env: { FAKE_VAGRANT_FAIL: 'worker3:kubeadm-join' } });
  assert.equal(r.code, 1);
  assert.match(r.err, /kubeadm-join failed on worker3/);
  const printed = lineAfter(r.err, 'collect logs:');
  labgenOnPath(h);
  const out = join(h.work, 'x.tar.gz');
  const ran = shell(h, `${printed} --out ${out}`);
  assert.equal(ran.code, 0, ran.out + ran.err);
  assert.match(ran.out, /Wrote .*x\.tar\.gz/);
  // A timeout waiting for Ready names it too.
  const t = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST, '--timeout', '300ms'], { env: { FAKE_KUBECTL_NOT_READY: 'worker1' } });
  assert.equal(t.code, 1);
  assert.match(t.err, /not Ready within/);
  assert.equal(lineAfter(t.err, 'collect logs:'), printed);
});

test('stop: a node that does not halt is named with its log, exit 1; the others stop', async () => {
  const { h, dir } = await createdLab();
  const r = await runLabgen(h, ['stop', dir], { env: { FAKE_VAGRANT_FAIL: 'worker1:halt' } });
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, new RegExp(`labgen: vagrant halt failed on worker1 \\(full log: ${dir}/logs/worker1\\.log\\)`));
  assert.match(r.err, /worker1: still running/);
  assert.match(r.err, /did not shut down/);
  for (const n of ['master', 'worker2', 'worker3']) assert.equal(machineState(h.state, n).state, 'poweroff', n);
  assert.equal(machineState(h.state, 'worker1').state, 'running');
});

test('start refuses a lab that create has not finished (exit 2, nothing booted)', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  assert.equal((await runLabgen(h, ['render', 'flannel-4node', '--out', dir])).code, 0);
  const r = await runLabgen(h, ['start', dir, FAST]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /master, worker1, worker2, worker3 of flannel-4node were never created or never finished provisioning/);
  assert.match(r.err, /labgen create <the lab file or name> --out /);
  assert.deepEqual(upCalls(h), []);
  const bad = await runLabgen(h, ['start', dir, '--timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.equal((await runLabgen(h, ['stop', h.work])).code, 2, 'not a lab directory');
});

test('how stop halts is the provider plugin\'s answer: one process for all when it says so', async () => {
  const { h, dir } = await createdLab();
  const reg = defaultRegistries();
  const oneProcess: Provider = { ...virtualbox, halt: 'one-process' };
  const mark = h.calls().length;
  const r = await runLabgen(h, ['stop', dir], { ctx: { reg: { ...reg, providers: new Registry<Provider>('provider', [oneProcess, libvirt]) } } });
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.calls().slice(mark).filter((c) => c.startsWith('vagrant halt')), ['vagrant halt --no-color -- master worker1 worker2 worker3']);
  for (const n of NODES) assert.equal(machineState(h.state, n).state, 'poweroff', n);
});

test('libvirt: stop and start in parallel (one `vagrant up --parallel --no-provision`), Ready again with Calico', async () => {
  const { h, dir } = await createdLab('libvirt-calico-vxlan');
  const s = await runLabgen(h, ['stop', dir, '--json']);
  assert.equal(s.code, 0, s.err);
  assert.deepEqual((JSON.parse(s.out) as { nodes: { after: string }[] }).nodes.map((n) => n.after), ['shutoff', 'shutoff', 'shutoff', 'shutoff']);
  const mark = h.calls().length;
  const st = await runLabgen(h, ['start', dir, FAST]);
  assert.equal(st.code, 0, st.err);
  assert.deepEqual(h.calls().slice(mark).filter((c) => c.startsWith('vagrant up ')), ['vagrant up --no-color --provider=libvirt --no-provision --parallel -- master worker1 worker2 worker3']);
  assert.match(st.out, /libvirt-calico-vxlan is Ready/);
});

test('Ctrl-C during start stops every vagrant child and exits 130; during stop too', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  const r = await interruptLabgen(h, ['start', dir, FAST], { FAKE_VAGRANT_HANG: 'master:boot,worker1:boot,worker2:boot,worker3:boot' }, (out) => NODES.every((n) => new RegExp(`${n} +booting\\s*$`, 'm').test(out)));
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /labgen: interrupted/);
  assert.match(r.err, /start again: (labgen|node \S+\/bin\/labgen\.js) start /);
  assert.deepEqual(r.left, [], 'no fake process is left running');
  // Bring it back, then interrupt a stop.
  assert.equal((await runLabgen(h, ['start', dir, FAST])).code, 0);
  const s = await interruptLabgen(h, ['stop', dir], { FAKE_VAGRANT_HANG: 'master:halt,worker1:halt,worker2:halt,worker3:halt' }, (out) => NODES.every((n) => new RegExp(`${n} +stopping Attempting graceful shutdown`).test(out)));
  assert.equal(s.code, 130, s.err);
  assert.match(s.err, /some VMs may still be running/);
  assert.match(s.err, /stop them: (labgen|node \S+\/bin\/labgen\.js) stop /);
  assert.deepEqual(s.left, []);
});
