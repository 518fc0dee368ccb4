// labgen's snapshot code against real Vagrant 2.3.4 (Debian's package): its snapshot commands, option parsing, list
// format, errors and exit codes, with vagrant-libvirt 0.11.2's own snapshot actions over a stub driver
// (test/fixtures/snapshot-stub/Vagrantfile; no VM, no network). Also checks that the fake vagrant the other snapshot
// tests use prints what real Vagrant prints. Needs `vagrant` and the vagrant-libvirt plugin; skipped without them
// (a failure under CI=true).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { realClock } from '../../src/host/clock.js';
import { prepareLab } from '../../src/pipeline/prepare.js';
import { labSnapshots, runSnapshots, type SnapshotInput } from '../../src/lifecycle/snapshots.js';
import { libvirt } from '../../src/providers/libvirt/index.js';
import { defaultRegistries } from '../../src/registries.js';
import { silentReporter } from '../../src/ui/reporter.js';
import { execaRunner } from '../../src/host/real-process.js';
import { parseSnapshotList } from '../../src/vagrant/snapshot-list.js';
import { vagrantSnapshot, vagrantSnapshotList } from '../../src/vagrant/vagrant.js';
import { fixturePath } from '../helpers/paths.js';
import { requireTool, toolsAreMandatory } from '../helpers/tools.js';
import { run, vagrantEnv } from '../helpers/exec.js';
import { createdLab } from './helpers.js';

/** A scratch Vagrant project over the stub provider where master, worker1 and worker2 exist and worker3 does not. */
function project(): { dir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'labgen-snapshot-real-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'lab');
  mkdirSync(join(root, 'state'), { recursive: true });
  mkdirSync(dir);
  copyFileSync(fixturePath('snapshot-stub', 'Vagrantfile'), join(dir, 'Vagrantfile'));
  for (const m of ['master', 'worker1', 'worker2']) {
    mkdirSync(join(dir, '.vagrant', 'machines', m, 'stub'), { recursive: true });
    writeFileSync(join(dir, '.vagrant', 'machines', m, 'stub', 'id'), `stub-${m}`);
  }
  return { dir, env: vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: 'stub', VAGRANT_HOME: join(root, 'vagrant-home'), STUB_STATE: join(root, 'state') }) };
}

function hasLibvirtPlugin(): boolean {
  const r = run('ruby', ['-e', 'require "vagrant-libvirt/action"'], { env: { ...process.env, RUBYLIB: '/usr/share/rubygems-integration/all/gems/vagrant-libvirt-0.11.2/lib' } });
  return r.code === 0 || run('gem', ['list', '-i', 'vagrant-libvirt']).code === 0;
}

/** Lines without the machine-readable timestamp, so two runs compare. */
const untimed = (text: string) => text.trim().split('\n').map((l) => l.replace(/^\d+,/, 'T,'));

test('real Vagrant 2.3.4: labgen lists, saves, restores and deletes snapshots and reads every answer right', async (t) => {
  if (!requireTool(t, 'vagrant')) return;
  if (!hasLibvirtPlugin()) {
    if (toolsAreMandatory()) assert.fail('the vagrant-libvirt plugin is not installed, and CI=true requires it (apt-get install vagrant-libvirt)');
    t.skip('the vagrant-libvirt plugin is not installed (apt-get install vagrant-libvirt); it fails instead when CI=true');
    return;
  }
  const { dir, env } = project();
  const runner = execaRunner(env);
  const lab = prepareLab('flannel-4node', {}, defaultRegistries()).lab;
  // One vagrant process after another: each costs seconds of CPU on a small machine (and exercises the sequential path).
  const provider = { ...libvirt, snapshot: 'sequential' as const };
  const inp: SnapshotInput = { dir, lab, provider, runner, clock: realClock, reporter: silentReporter(), signal: new AbortController().signal, secrets: [] };

  // Every real vagrant run costs seconds of CPU: each call below checks something the fake-based tests rely on.
  const snaps = await labSnapshots(inp);
  assert.deepEqual([...snaps.states], [['master', 'running'], ['worker1', 'running'], ['worker2', 'running'], ['worker3', 'not_created']]);
  assert.deepEqual([...snaps.snapshots], [['master', []], ['worker1', []], ['worker2', []]]);

  const saved = await runSnapshots(inp, 'save', 'labgen-fresh', ['master', 'worker1']);
  assert.deepEqual(saved.nodes.map((n) => `${n.name}:${n.status}`), ['master:done', 'worker1:done', 'worker2:skipped', 'worker3:skipped']);
  const masterLog = readFileSync(join(dir, 'logs', 'master.log'), 'utf8').split('\n').filter((l) => l.startsWith('==> master: '));
  assert.match(masterLog.join('\n'), /==> master: Snapshot saved! You can restore the snapshot at any time by/);
  // Vagrant only warns about a machine that does not exist, and exits 0: labgen does not take that for saved.
  const ghost = await runSnapshots(inp, 'save', 'labgen-fresh', ['worker3']);
  assert.equal(ghost.nodes[3]!.status, 'failed');
  assert.equal(ghost.nodes[3]!.detail, 'vagrant exited 0 but never said the snapshot was saved');
  assert.match(ghost.nodes[3]!.tail.join('\n'), /Machine 'worker3' has not been created yet, and therefore cannot save snapshots\. Skipping\.\.\./);
  // Saving over it without --force is Vagrant's error.
  const conflict = await vagrantSnapshot(runner, dir, 'save', 'master', 'labgen-fresh', {});
  assert.equal(conflict.exitCode, 1);
  assert.match(conflict.stderr, /You must include the `--force` option to replace an existing snapshot\./);
  const restored = await runSnapshots(inp, 'restore', 'labgen-fresh', ['master']);
  assert.equal(restored.nodes[0]!.status, 'done');
  assert.match(readFileSync(join(dir, 'logs', 'master.log'), 'utf8'), /==> master: Restoring the snapshot 'labgen-fresh'\.\.\./);
  // A machine without it: Vagrant's not-found error, which labgen reports as that node's failure.
  const missing = await runSnapshots(inp, 'restore', 'labgen-fresh', ['worker2']);
  assert.equal(missing.nodes[2]!.status, 'failed');
  assert.match(missing.nodes[2]!.tail.join('\n'), /The snapshot name `labgen-fresh` was not found for the/);
  const deleted = await runSnapshots(inp, 'delete', 'labgen-fresh', ['worker1']);
  assert.equal(deleted.nodes[1]!.status, 'done');
  const realList = await vagrantSnapshotList(runner, dir, 'master');
  assert.deepEqual(parseSnapshotList(realList.stdout).get('master'), { created: true, names: ['labgen-fresh'] });
  const realNone = await vagrantSnapshotList(runner, dir, 'worker1');
  assert.deepEqual(parseSnapshotList(realNone.stdout).get('worker1'), { created: true, names: [] });
  // A name is never read as an option: labgen passes machine and name after `--`.
  const dashed = await runner.run('vagrant', ['snapshot', 'list', '--machine-readable', '--', '--help'], { cwd: dir });
  assert.match(dashed.stderr + dashed.stdout, /The machine with the name '--help' was not found configured for/);

  // The fake vagrant prints the same lines (libvirt lab): a save, a list with and without snapshots, a missing one.
  const fake = await createdLab('libvirt-calico-vxlan');
  const fakeRunner = execaRunner(fake.h.env());
  const fakeSave = await vagrantSnapshot(fakeRunner, fake.dir, 'save', 'master', 'labgen-fresh', {});
  assert.deepEqual(fakeSave.stdout.trim().split('\n'), masterLog.slice(0, 4));
  const fakeList = await vagrantSnapshotList(fakeRunner, fake.dir, 'master');
  assert.deepEqual(untimed(fakeList.stdout).map((l) => l.replace(',libvirt', ',P')), untimed(realList.stdout).map((l) => l.replace(',stub', ',P')));
  const fakeNone = await vagrantSnapshotList(fakeRunner, fake.dir, 'worker1');
  assert.deepEqual(untimed(fakeNone.stdout).map((l) => l.replace(',libvirt', ',P')), untimed(realNone.stdout).map((l) => l.replace(',stub', ',P')));
  const fakeMissing = await vagrantSnapshot(fakeRunner, fake.dir, 'restore', 'worker2', 'labgen-fresh', {});
  assert.deepEqual([fakeMissing.exitCode, fakeMissing.stderr.trim()], [1, missing.nodes[2]!.tail.join('\n').trim()]);
});
