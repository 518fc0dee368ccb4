// The order of bring-up against the fake vagrant, made deterministic by holding a machine at a step until the test
// releases it (FAKE_VAGRANT_HOLD): workers boot and provision their OS while the control plane is still provisioning,
// join only after its API is up, stop cleanly when it fails, and `vagrant status` is off the control plane's path.
// No timing is asserted: the holds make every ordering causal.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderToDisk } from '../../src/pipeline/render-to-disk.js';
import { bringUp, type BringUpResult } from '../../src/create/bring-up.js';
import { realClock } from '../../src/host/clock.js';
import { StepFailedError } from '../../src/errors.js';
import { defaultRegistries } from '../../src/registries.js';
import type { NodeStatus, Reporter } from '../../src/ui/reporter.js';
import { execaRunner } from '../../src/host/real-process.js';
import { fakeHost, repoRoot, type FakeHost } from '../fakes/fake-bin.js';

const WORKERS = ['worker1', 'worker2', 'worker3'];
/** A deadlock guard only: when labgen never reaches the awaited state, the test releases anyway and its assertions fail. */
const GUARD_MS = 30_000;

interface Run { events: string[]; result?: BringUpResult; error?: unknown; releasedBy?: string }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * Brings flannel-4node up on the fake; `when(last, events)` is asked after every node event and returns a reason to
 * release the held step (the file the fake waits for), which is recorded in the event list as `RELEASE`.
 */
async function run(h: FakeHost, env: NodeJS.ProcessEnv, hold: string, when: (last: Map<string, NodeStatus>) => string | undefined): Promise<Run> {
  const reg = defaultRegistries();
  const dir = join(h.work, 'lab');
  const { prepared } = renderToDisk({ lab: join(repoRoot(), 'labs/flannel-4node.yaml'), out: dir }, reg);
  const lab = prepared.lab;
  const out: Run = { events: [] };
  const last = new Map<string, NodeStatus>();
  const release = (why: string) => {
    if (out.releasedBy !== undefined) return;
    out.releasedBy = why;
    out.events.push('RELEASE');
    writeFileSync(join(h.state, `release-${hold}`), 'go');
  };
  const guard = setTimeout(() => release('guard'), GUARD_MS);
  const reporter: Reporter = {
    begin() {}, note() {}, end() {},
    node(s) {
      out.events.push(`${s.name} ${s.phase} ${s.detail}`.trim());
      last.set(s.name, s);
      const why = when(last);
      if (why) release(why);
    },
  };
  try {
    out.result = await bringUp({ dir, lab, provider: reg.providers.require(lab.provider.name), runner: execaRunner(h.env(env)), clock: realClock, reporter, signal: new AbortController().signal, secrets: [] });
  } catch (e) {
    out.error = e;
  } finally {
    clearTimeout(guard);
  }
  return out;
}

const at = (events: string[], re: RegExp): number => events.findIndex((e) => re.test(e));
const allWaiting = (last: Map<string, NodeStatus>) => (WORKERS.every((w) => last.get(w)?.phase === 'join' && /wait-api/.test(last.get(w)!.detail)) ? 'workers wait for the API' : undefined);

test('workers boot and run their OS-level steps while the control plane is held in kubeadm-init, and join only after it', async () => {
  const h = fakeHost(['vagrant']);
  const r = await run(h, { FAKE_VAGRANT_HOLD: 'master:kubeadm-init' }, 'master-kubeadm-init', allWaiting);
  assert.equal(r.error, undefined);
  assert.equal(r.releasedBy, 'workers wait for the API', `every worker reached wait-api while the control plane was held:\n${r.events.join('\n')}`);
  assert.deepEqual(r.result!.nodes.map((n) => `${n.name} ${n.status}`), ['master done', ...WORKERS.map((w) => `${w} done`)]);
  const release = r.events.indexOf('RELEASE');
  const cpInit = at(r.events, /^master provision step \d+\/\d+ kubeadm-init$/);
  assert.ok(cpInit >= 0 && cpInit < release, 'the control plane was in kubeadm-init when the workers were all waiting');
  for (const w of WORKERS) {
    const booted = at(r.events, new RegExp(`^${w} booted`));
    const lastBase = at(r.events, new RegExp(`^${w} provision step \\d+/\\d+ pod-network-nic$`));
    const join = at(r.events, new RegExp(`^${w} join step \\d+/\\d+ kubeadm-join$`));
    assert.ok(booted >= 0 && booted < release, `${w} booted before the control plane finished provisioning`);
    assert.ok(lastBase > booted && lastBase < release, `${w} ran its OS-level steps before the control plane's API was up`);
    assert.ok(join > release, `${w} joined only after the control plane's kubeadm-init`);
  }
  const cpDone = at(r.events, /^master done/);
  assert.ok(cpDone > release);
});

test('a control plane failing in kubeadm-init stops the waiting workers cleanly, naming its step; no vagrant survives', async () => {
  const h = fakeHost(['vagrant']);
  const r = await run(h, { FAKE_VAGRANT_HOLD: 'master:kubeadm-init', FAKE_VAGRANT_FAIL: 'master:kubeadm-init' }, 'master-kubeadm-init', allWaiting);
  assert.equal(r.error, undefined);
  assert.equal(r.releasedBy, 'workers wait for the API');
  const byName = new Map(r.result!.nodes.map((n) => [n.name, n]));
  assert.equal(byName.get('master')!.status, 'failed');
  assert.equal(byName.get('master')!.step, 'kubeadm-init');
  assert.ok(byName.get('master')!.tail.some((l) => /LABGEN-FAIL node=master step=kubeadm-init/.test(l)), 'the failing step is in the tail shown to the user');
  for (const w of WORKERS) {
    assert.equal(byName.get(w)!.status, 'stopped', w);
    assert.equal(byName.get(w)!.step, 'wait-api', `${w} was stopped in its join wait`);
    assert.ok(r.events.includes(`${w} failed stopped: the control plane failed`), `${w} says why it stopped`);
    assert.ok(!existsSync(join(h.work, 'lab/.labgen/nodes', `${w}.done`)), `${w} is not recorded as provisioned`);
  }
  const left = h.pids().filter(alive);
  assert.deepEqual(left, [], 'every vagrant process labgen started has exited');
});

test('on a fresh lab the control plane\'s vagrant up starts before vagrant status answers; the workers wait for both', async () => {
  const h = fakeHost(['vagrant']);
  const r = await run(h, { FAKE_VAGRANT_HOLD: ':status' }, '-status', (last) => (last.get('master')?.phase === 'import' ? 'control plane importing' : undefined));
  assert.equal(r.error, undefined);
  assert.equal(r.releasedBy, 'control plane importing', `the control plane started while status was held:\n${r.events.join('\n')}`);
  assert.ok(r.result!.firstAlone, 'status said no machine exists: the control plane went first alone');
  assert.ok(r.result!.nodes.every((n) => n.status === 'done'));
  const release = r.events.indexOf('RELEASE');
  for (const w of WORKERS) assert.ok(at(r.events, new RegExp(`^${w} starting`)) > release, `${w} started only once status had answered`);
  const ups = h.calls().filter((c) => c.startsWith('vagrant up'));
  assert.equal(ups[0], 'vagrant up --no-color --provider=virtualbox --provision -- master');
});

test('a failing vagrant status stops the control plane started beside it and fails bring-up naming vagrant status', async () => {
  const h = fakeHost(['vagrant']);
  const r = await run(h, { FAKE_VAGRANT_HOLD: ':status', FAKE_VAGRANT_FAIL: ':status' }, '-status', (last) => (last.get('master')?.phase === 'import' ? 'control plane importing' : undefined));
  assert.ok(r.error instanceof StepFailedError, String(r.error));
  assert.match((r.error as Error).message, /vagrant status/);
  assert.match(String((r.error as StepFailedError).detail), /syntax error/, "vagrant's own message is kept");
  assert.ok(r.events.includes('master failed stopped: vagrant status failed'), r.events.join('\n'));
  assert.deepEqual(h.calls().filter((c) => c.startsWith('vagrant up')).map((c) => c.split(' ').at(-1)), ['master'], 'no worker was started');
  assert.deepEqual(h.pids().filter(alive), []);
});
