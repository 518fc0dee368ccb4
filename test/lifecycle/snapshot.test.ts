// labgen snapshot save / restore / list / delete and create --snapshot on the fake vagrant (which prints what Vagrant
// 2.3.4 prints with VirtualBox or vagrant-libvirt 0.11.2): one process per node, restore then create's Ready report,
// names refused before anything runs, a snapshot missing on one node, a restore failing on one node, Ctrl-C, --json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost, repoRoot, type FakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { lockPathFor } from '../../src/io/lock.js';
import { parseSnapshotList } from '../../src/vagrant/snapshot-list.js';
import { createdLab, FAST, interruptLabgen, labgenOnPath, lineAfter, shell } from './helpers.js';

const NODES = ['master', 'worker1', 'worker2', 'worker3'];

function machine(h: FakeHost, node: string): { state: string; provisioned: boolean; snapshots?: { name: string }[]; mark?: string } {
  return JSON.parse(readFileSync(join(h.state, 'machines', `${node}.json`), 'utf8')) as { state: string; provisioned: boolean; snapshots?: { name: string }[] };
}

function snapshotCalls(h: FakeHost, from = 0): string[] { return h.calls().slice(from).filter((c) => c.startsWith('vagrant snapshot ')); }

/** The fake vagrant run directly in the lab directory, as a user would run vagrant there. */
function vagrant(h: FakeHost, dir: string, args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(join(h.bin, 'vagrant'), args, { cwd: dir, env: h.env(), encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('create --snapshot saves labgen-fresh on every node after Ready; the printed restore brings a stopped lab back with create\'s report', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'my lab');
  const c = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, FAST, '--snapshot']);
  assert.equal(c.code, 0, c.err);
  const saves = snapshotCalls(h).filter((x) => x.startsWith('vagrant snapshot save'));
  assert.deepEqual(saves.map((x) => x.split(' ').at(-2)).sort(), NODES, 'one `vagrant snapshot save` per node');
  for (const s of saves) assert.match(s, /^vagrant snapshot save --no-color --force -- \w+ labgen-fresh$/);
  // Taken after Ready: the report's times list it after the Ready wait.
  assert.match(c.out, /^Times: .*ready \S+, snapshot \S+, total \S+$/m);
  for (const n of NODES) assert.deepEqual(machine(h, n).snapshots?.map((s) => s.name), ['labgen-fresh'], n);
  const restore = lineAfter(c.out, "Snapshot: 'labgen-fresh' saved on every node; back to this state in seconds:");
  assert.equal(restore, `labgen snapshot restore labgen-fresh '${dir}'`);

  // Change the lab, then run the printed command exactly as printed (the directory has a space).
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  for (const n of NODES) assert.equal(machine(h, n).state, 'poweroff');
  labgenOnPath(h);
  const mark = h.calls().length;
  const r = shell(h, `${restore} ${FAST}`);
  assert.equal(r.code, 0, r.out + r.err);
  const restores = snapshotCalls(h, mark).filter((x) => x.startsWith('vagrant snapshot restore'));
  assert.deepEqual(restores.map((x) => x.split(' ').at(-2)).sort(), NODES);
  for (const x of restores) assert.match(x, /^vagrant snapshot restore --no-color --no-provision -- \w+ labgen-fresh$/);
  // VirtualBox starts each VM again itself: labgen boots nothing.
  assert.deepEqual(h.calls().slice(mark).filter((c) => c.startsWith('vagrant up ')), []);
  for (const n of NODES) assert.equal(machine(h, n).state, 'running', n);
  // create's report: node table, pod table, times, per node.
  assert.match(r.out, /flannel-4node is Ready: 4 nodes/);
  assert.match(r.out, /^master\.lab\.com\s+Ready\s+control-plane/m);
  assert.match(r.out, /^Times: restore \S+, kubeconfig \S+, ready \S+, total \S+$/m);
  assert.match(r.out, /^ {2}worker2: \S+ \(restore \S+\)$/m);
  assert.match(r.out, /^Restored: snapshot 'labgen-fresh' on every node$/m);
  assert.match(r.out, /^\[ *\d+s\] worker3 +restored \(\d+s\)$/m, 'progress per node');
  // Nothing was provisioned again; each node's log has vagrant's own restore lines.
  for (const n of NODES) {
    const log = readFileSync(join(dir, 'logs', `${n}.log`), 'utf8');
    const section = log.slice(log.lastIndexOf('===== labgen snapshot restore'));
    assert.match(section, new RegExp(`==> ${n}: Restoring the snapshot 'labgen-fresh'\\.\\.\\.`));
    assert.match(section, /Machine not provisioned because `--no-provision` is specified\./);
    assert.doesNotMatch(section, /LABGEN-STEP|Running provisioner/);
  }

  // From inside the lab directory NAME and DIR both default: labgen-fresh of `.`.
  const m2 = h.calls().length;
  const here = shell(h, `cd '${dir}' && labgen snapshot restore ${FAST} --json`);
  assert.equal(here.code, 0, here.err);
  const j = JSON.parse(here.out) as { ready: boolean; snapshot: { name: string; action: string }; nodes: { name: string; status: string; phases: { restore?: number } }[]; times: Record<string, number> };
  assert.equal(j.ready, true);
  assert.deepEqual(j.snapshot, { name: 'labgen-fresh', action: 'restored' });
  assert.deepEqual(j.nodes.map((n) => n.status), ['done', 'done', 'done', 'done']);
  assert.ok(j.nodes.every((n) => typeof n.phases.restore === 'number'));
  assert.ok(typeof j.times.restore === 'number' && typeof j.times.ready === 'number');
  assert.equal(snapshotCalls(h, m2).filter((x) => x.startsWith('vagrant snapshot restore')).length, 4);
  // --json progress is JSON lines on stderr.
  assert.ok(here.err.split('\n').filter(Boolean).every((l) => JSON.parse(l) as unknown), here.err);
});

test('libvirt: a snapshot of shut-off domains restores them shut off, and labgen boots them (no provisioning); a running one restores running', async () => {
  const { h, dir } = await createdLab('libvirt-calico-vxlan');
  // Running: vagrant-libvirt reverts each domain to its running state and starts nothing, so labgen boots nothing.
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'warm', dir])).code, 0);
  assert.equal((await runLabgen(h, ['stop', dir])).code, 0);
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'cold', dir])).code, 0);
  let mark = h.calls().length;
  const warm = await runLabgen(h, ['snapshot', 'restore', 'warm', dir, FAST]);
  assert.equal(warm.code, 0, warm.err);
  assert.deepEqual(h.calls().slice(mark).filter((c) => c.startsWith('vagrant up ')), []);
  assert.match(warm.out, /libvirt-calico-vxlan is Ready/);
  // Shut off: restored shut off, then one `vagrant up --no-provision --parallel` boots them, then Ready.
  mark = h.calls().length;
  const cold = await runLabgen(h, ['snapshot', 'restore', 'cold', dir, FAST]);
  assert.equal(cold.code, 0, cold.err);
  assert.deepEqual(h.calls().slice(mark).filter((c) => c.startsWith('vagrant up ')), ['vagrant up --no-color --provider=libvirt --no-provision --parallel -- master worker1 worker2 worker3']);
  assert.match(cold.out, /^Times: restore \S+, boot \S+, kubeconfig \S+, ready \S+, total \S+$/m);
  assert.match(cold.out, /^ {2}master: \S+ \(restore \S+, boot \S+\)$/m);
  // list: vagrant-libvirt lists in the domain's order, VirtualBox sorted; both are every node's.
  const l = await runLabgen(h, ['snapshot', 'list', dir]);
  assert.equal(l.code, 0, l.err);
  assert.match(l.out, /^ {2}warm +all 4 +yes$/m);
  assert.match(l.out, /^ {2}cold +all 4 +yes$/m);
});

test('snapshot names are refused before anything runs: exit 2 naming NAME and the fix', async () => {
  const { h, dir } = await createdLab();
  const before = h.calls().length;
  for (const bad of ['', '-rf', '--force', '../x', 'a/b', 'a b', 'x;rm -rf ~', '$(id)', '<name>', 'a'.repeat(33), '.hidden', 'é', 'line\nbreak']) {
    for (const verb of ['save', 'restore', 'delete']) {
      // After `--` so that yargs hands a leading dash to labgen as NAME (before it, `-rf` is an unknown option: exit 2
      // too). delete's NAME is a required positional, which yargs never fills from after `--`: it takes NAME first.
      const r = await runLabgen(h, verb === 'delete' ? ['snapshot', verb, bad, dir] : ['snapshot', verb, '--', bad, dir]);
      if (verb === 'delete' && bad.startsWith('-')) {
        assert.equal(r.code, 2, `${verb} ${JSON.stringify(bad)}: ${r.out}${r.err}`);
        assert.match(r.err, /Unknown arguments|Not enough non-option arguments|NAME:/, `${verb} ${JSON.stringify(bad)}`);
        continue;
      }
      assert.equal(r.code, 2, `${verb} ${JSON.stringify(bad)}: ${r.out}${r.err}`);
      assert.match(r.err, /NAME: the snapshot name /, `${verb} ${JSON.stringify(bad)}`);
      assert.match(r.err, /fix: use 1-32 letters, digits, "\.", "_" or "-", starting with a letter or digit/);
    }
  }
  const flag = await runLabgen(h, ['snapshot', 'save', '-rf', dir]);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /Unknown arguments: r, f/);
  const j = await runLabgen(h, ['snapshot', 'save', 'a b', dir, '--json']);
  assert.equal(j.code, 2);
  const doc = JSON.parse(j.out) as { ok: boolean; error: { exitCode: number; problems: { path: string }[] } };
  assert.deepEqual([doc.ok, doc.error.exitCode, doc.error.problems[0]!.path], [false, 2, 'NAME']);
  assert.deepEqual(h.calls().slice(before), [], 'nothing was run, not even vagrant status');
  // A lab directory where NAME goes: say how to write the command.
  const swapped = await runLabgen(h, ['snapshot', 'save', dir]);
  assert.equal(swapped.code, 2);
  assert.match(swapped.err, /is a lab directory, but NAME comes first/);
  assert.match(swapped.err, /run: labgen snapshot save labgen-fresh \S+\/lab/);
  // A lab whose VMs were never created has nothing to snapshot.
  const r2 = await runLabgen(h, ['render', 'flannel-4node', '--out', join(h.work, 'bare')]);
  assert.equal(r2.code, 0, r2.err);
  const bare = await runLabgen(h, ['snapshot', 'save', 'x', join(h.work, 'bare')]);
  assert.equal(bare.code, 2);
  assert.match(bare.err, /master, worker1, worker2, worker3 of flannel-4node were never created or never finished provisioning: there is nothing to snapshot there, and nothing was run/);
  assert.deepEqual(snapshotCalls(h).filter((c) => !c.startsWith('vagrant snapshot list')), []);
});

test('a snapshot missing on one node: nothing is restored, the message names the node and the snapshot', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'before-upgrade', dir])).code, 0);
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'base', dir])).code, 0);
  // Someone removed it from one VM with vagrant itself.
  const d = vagrant(h, dir, ['snapshot', 'delete', '--', 'worker2', 'before-upgrade']);
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /^==> worker2: Snapshot deleted!$/m);
  const mark = h.calls().length;
  const r = await runLabgen(h, ['snapshot', 'restore', 'before-upgrade', dir, FAST]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /labgen: snapshot 'before-upgrade' is missing on worker2 of flannel-4node \(only master, worker1, worker3 have it\); nothing was restored/);
  assert.match(r.err, /snapshots every node has: base \(restore one: labgen snapshot restore base \S+\)/);
  assert.deepEqual(snapshotCalls(h, mark).filter((c) => !c.startsWith('vagrant snapshot list')), [], 'no restore ran');
  const l = await runLabgen(h, ['snapshot', 'list', dir]);
  assert.match(l.out, /^ {2}before-upgrade +master, worker1, worker3 \(missing on worker2\) +no$/m);
  const lj = JSON.parse((await runLabgen(h, ['snapshot', 'list', dir, '--json'])).out) as { snapshots: { name: string; complete: boolean; missing: string[] }[] };
  assert.deepEqual(lj.snapshots.map((s) => [s.name, s.complete, s.missing]), [['base', true, []], ['before-upgrade', false, ['worker2']]]);
  const none = await runLabgen(h, ['snapshot', 'restore', 'nope', dir]);
  assert.equal(none.code, 2);
  assert.match(none.err, /snapshot 'nope' is missing on master, worker1, worker2, worker3 of flannel-4node; nothing was restored/);
  // delete takes it from the nodes that have it.
  const del = await runLabgen(h, ['snapshot', 'delete', 'before-upgrade', dir]);
  assert.equal(del.code, 0, del.err);
  assert.match(del.out, /snapshot 'before-upgrade' deleted on 3 nodes in \S+ \(worker2 had none\)/);
  for (const n of NODES) assert.deepEqual(machine(h, n).snapshots?.map((s) => s.name), ['base'], n);
  const again = await runLabgen(h, ['snapshot', 'delete', 'before-upgrade', dir]);
  assert.equal(again.code, 2);
  assert.match(again.err, /no node of flannel-4node has a snapshot 'before-upgrade'; nothing was deleted/);
});

test('saving over an existing snapshot needs --force (the printed command runs as printed)', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'one', dir])).code, 0);
  const r = await runLabgen(h, ['snapshot', 'save', 'one', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /snapshot 'one' already exists on master, worker1, worker2, worker3 of flannel-4node; nothing was saved/);
  const fix = lineAfter(r.err, 'replace it:');
  labgenOnPath(h);
  const mark = h.calls().length;
  const f = shell(h, fix);
  assert.equal(f.code, 0, f.out + f.err);
  assert.match(f.out, /flannel-4node: snapshot 'one' saved on 4 nodes in \S+\. Back to it: (labgen|node \S+\/bin\/labgen\.js) snapshot restore one \S+/);
  assert.equal(snapshotCalls(h, mark).filter((c) => /^vagrant snapshot save --no-color --force -- \w+ one$/.test(c)).length, 4);
  // Hints name labgen the way it was run.
  const npx = await runLabgen(h, ['snapshot', 'save', 'one', dir], { ctx: { invocation: { here: 'npx labgen', anywhere: 'labgen' } } });
  assert.match(npx.err, /^replace it: npx labgen snapshot save one \S+ --force$/m);
});

test('a restore that fails on one node: exit 1 naming the node, the step and its log; the others are restored', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'one', dir])).code, 0);
  const r = await runLabgen(h, ['snapshot', 'restore', 'one', dir, FAST], { env: { FAKE_VAGRANT_FAIL: 'worker2:snapshot-restore' } });
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, new RegExp(`^labgen: vagrant snapshot restore one failed on worker2 \\(full log: ${dir}/logs/worker2\\.log\\)$`, 'm'));
  assert.match(r.err, /\| Stderr: VBoxManage: error: Could not restore the snapshot of machine 'worker2'/);
  assert.match(r.err, /^ {2}master: restored \(log: \S+\/master\.log\)$/m);
  assert.match(r.err, /^restore again: labgen snapshot restore one \S+$/m);
  assert.match(r.err, /^collect logs: labgen logs \S+$/m);
  assert.match(readFileSync(join(dir, 'logs', 'worker2.log'), 'utf8'), /Could not restore the snapshot/);
  const j = await runLabgen(h, ['snapshot', 'restore', 'one', dir, FAST, '--json'], { env: { FAKE_VAGRANT_FAIL: 'worker2:snapshot-restore' } });
  assert.equal(j.code, 1);
  const doc = JSON.parse(j.out) as { ok: boolean; error: { code: string; node: string; step: string; log: string } };
  assert.deepEqual([doc.ok, doc.error.code, doc.error.node, doc.error.step, doc.error.log], [false, 'step-failed', 'worker2', 'vagrant snapshot restore one', join(dir, 'logs', 'worker2.log')]);
  // Saving can fail on one node too (libvirt's message), named the same way.
  const s = await runLabgen(h, ['snapshot', 'save', 'two', dir], { env: { FAKE_VAGRANT_FAIL: 'master:snapshot-save' } });
  assert.equal(s.code, 1);
  assert.match(s.err, /labgen: vagrant snapshot save two failed on master \(full log: \S+\/master\.log\)/);
  assert.match(s.err, /^save it again: labgen snapshot save two \S+ --force$/m);
});

test('restore runs through the action runner: times per action as start reports them; a node failing Ready names the Ready wait and the node', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'one', dir])).code, 0);
  // --json: the runner's times, in the order its actions ran, and each node's restore time.
  const ok = await runLabgen(h, ['snapshot', 'restore', 'one', dir, FAST, '--json']);
  assert.equal(ok.code, 0, ok.err);
  const j = JSON.parse(ok.out) as { ready: boolean; times: Record<string, number>; snapshot: { name: string; action: string }; nodes: { name: string; status: string; phases: Record<string, number> }[] };
  assert.deepEqual(Object.keys(j.times), ['restore', 'kubeconfig', 'ready', 'total']);
  assert.deepEqual(j.snapshot, { name: 'one', action: 'restored' });
  assert.deepEqual(j.nodes.map((n) => `${n.name}:${n.status}:${Object.keys(n.phases).join('+')}`), NODES.map((n) => `${n}:done:restore`));
  // worker1 never becomes Ready: exit 1 after the restore, naming the Ready wait, the node, its condition and the way on.
  const r = await runLabgen(h, ['snapshot', 'restore', 'one', dir, FAST, '--timeout', '300ms'], { env: { FAKE_KUBECTL_NOT_READY: 'worker1' } });
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^\[ *\d+s\] worker1 +restored \(\d+s\)$/m, 'the restore itself finished');
  assert.match(r.err, /^labgen: the cluster was not Ready within 0s: \d+ not ready$/m);
  assert.match(r.err, /Node worker1\.lab\.com: Ready=False/);
  assert.doesNotMatch(r.err, /Node (master|worker2|worker3)\.lab\.com: Ready=False/);
  assert.match(r.err, /^wait longer: labgen start \S+ --timeout 20m$/m);
  assert.match(r.err, /^collect logs: labgen logs \S+$/m);
  assert.doesNotMatch(r.out, /is Ready:/);
  const jr = await runLabgen(h, ['snapshot', 'restore', 'one', dir, FAST, '--timeout', '300ms', '--json'], { env: { FAKE_KUBECTL_NOT_READY: 'worker1' } });
  assert.equal(jr.code, 1);
  const doc = JSON.parse(jr.out) as { ok: boolean; error: { exitCode: number; message: string; detail: string } };
  assert.deepEqual([doc.ok, doc.error.exitCode], [false, 1]);
  assert.match(doc.error.message, /the cluster was not Ready within/);
  assert.match(doc.error.detail, /Node worker1\.lab\.com: Ready=False/);
});

test('Ctrl-C during a restore stops every vagrant child and exits 130; the lab lock is held while it runs', async () => {
  const { h, dir } = await createdLab();
  assert.equal((await runLabgen(h, ['snapshot', 'save', 'one', dir])).code, 0);
  let holder: { command: string } | undefined;
  const r = await interruptLabgen(h, ['snapshot', 'restore', 'one', dir, FAST], { FAKE_VAGRANT_HANG: NODES.map((n) => `${n}:snapshot-restore`).join(',') }, (out) => {
    const ready = NODES.every((n) => new RegExp(`${n} +restoring snapshot reverting`).test(out));
    if (ready) holder = JSON.parse(readFileSync(lockPathFor(dir), 'utf8')) as { command: string };
    return ready;
  });
  assert.equal(r.code, 130, r.err);
  assert.equal(holder?.command, 'snapshot restore');
  assert.match(r.err, /labgen: interrupted/);
  assert.match(r.err, /restore again: (labgen|node \S+\/bin\/labgen\.js) snapshot restore one /);
  assert.deepEqual(r.left, [], 'no fake process is left running');
});

test('vagrant snapshot list --machine-readable is read per machine as Vagrant 2.3.4 prints it', () => {
  // The fake's output and Vagrant's formats (list.rb): names after an empty prefixed output line, none, not created.
  const t = '1796149799';
  const text = [
    `${t},master,metadata,provider,libvirt`, `${t},master,ui,output,==> master: `, `${t},master,ui,detail,labgen-fresh`, `${t},master,ui,detail,before%!(VAGRANT_COMMA)x`,
    `${t},worker1,ui,output,==> worker1: No snapshots have been taken yet!`, `${t},worker1,ui,detail,    worker1: You can take a snapshot using \`vagrant snapshot save\`. Note that\\n    worker1: not all`,
    `${t},worker2,ui,info,==> worker2: VM not created. Moving on...`,
  ].join('\n');
  const m = parseSnapshotList(text);
  assert.deepEqual(m.get('master'), { created: true, names: ['labgen-fresh', 'before,x'] });
  assert.deepEqual(m.get('worker1'), { created: true, names: [] });
  assert.deepEqual(m.get('worker2'), { created: false, names: [] });
});

test('snapshot --help explains the subcommands, NAME and what restore does', async () => {
  // yargs prints help on the process's own stdout: run labgen as a child.
  const help = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot(), 'bin/labgen.js'), ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '200' } });
  const top = help('snapshot', '--help');
  assert.equal(top.status, 0, top.stderr);
  // delete's NAME is required and --help says so: `<name>` in the list and in its own help, marked [required] there.
  for (const s of ['snapshot save [name] [dir]', 'snapshot restore [name] [dir]', 'snapshot list [dir]', 'snapshot delete <name> [dir]']) assert.ok(top.stdout.includes(s), s);
  assert.ok(!top.stdout.includes('delete [name]'), top.stdout);
  const del = help('snapshot', 'delete', '--help');
  assert.equal(del.status, 0, del.stderr);
  assert.match(del.stdout, /^labgen snapshot delete <name> \[dir\]$/m);
  // yargs wraps the help at 100 columns in a pipe: the type and [required] may sit on the next line.
  assert.match(del.stdout, /^ {2}name {2}the snapshot [^\n]*\s+\[string\] \[required\]$/m);
  assert.match(del.stdout, /^ {2}dir {3}.*\[string\]$/m);
  assert.doesNotMatch(del.stdout, /^ {2}dir .*\[required\]/m);
  assert.match(top.stdout.replace(/\s+/g, ' '), /labgen create --snapshot saves labgen-fresh right after Ready/);
  const r = help('snapshot', 'restore', '--help');
  assert.match(r.stdout, /--no-provision/);
  assert.match(r.stdout.replace(/\s+/g, ' '), /waits for Ready and prints the same report as create/);
  assert.match(help('--help').stdout, /labgen snapshot <command>/);
  const h = fakeHost();
  assert.equal((await runLabgen(h, ['snapshot'])).code, 2);
  const noName = await runLabgen(h, ['snapshot', 'delete']);
  assert.equal(noName.code, 2);
  assert.match(noName.err, /NAME: labgen snapshot delete needs the NAME/);
  assert.match(noName.err, /fix: labgen snapshot list \[DIR\] shows the snapshots/);
  // A NAME after `--` is not read as NAME (yargs fills no required positional from there): refused the same way.
  const dashed = await runLabgen(h, ['snapshot', 'delete', '--', 'before-upgrade']);
  assert.equal(dashed.code, 2);
  assert.match(dashed.err, /NAME: labgen snapshot delete needs the NAME/);
  assert.equal(h.calls().filter((c) => c.startsWith('vagrant')).length, 0, 'nothing was run');
  const extra = await runLabgen(h, ['snapshot', 'list', '--', 'a', 'b']);
  assert.equal(extra.code, 2);
  assert.match(extra.err, /"b" is one too many/);
});
