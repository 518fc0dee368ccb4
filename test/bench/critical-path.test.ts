// The bench's critical-path walk (scripts/bench-critical-path.ts) on hand-made timelines: which waits bind, what the
// model charges. Synthetic marks only: nothing is timed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { criticalPath, phaseOf, type Mark } from '../../scripts/bench-critical-path.js';

const COSTS = { import: 400, clone: 50, boot: 300, step: 40 };

function lane(name: string, node: string, marks: [number, string][]): Mark[] {
  return marks.map(([t, label]) => ({ lane: name, node, label, t }));
}

test('a worker that waits for the API puts the control plane\'s path up to kubeadm-init on the critical path', () => {
  const marks = [
    ...lane('status', 'labgen', [[0, 'vagrant status'], [10, 'end']]),
    ...lane('cp', 'master', [[0, 'vagrant start (process)'], [5, 'box import'], [405, 'clone'], [455, 'boot'], [755, 'step kubeadm-init'], [1000, 'step cleanup'], [1040, 'end']]),
    // Started on the master's boot line; its join wait ends 2 ms after kubeadm-init ended.
    ...lane('w', 'worker1', [[456, 'vagrant start (process)'], [470, 'clone'], [520, 'boot'], [820, 'join wait'], [1002, 'step wait-api'], [1042, 'step kubeadm-join'], [1082, 'end']]),
  ];
  const p = criticalPath(marks, ['master'], COSTS);
  assert.equal(p.measured, 1082);
  assert.deepEqual(p.phases.map((x) => `${x.node} ${x.phase}`), [
    'master vagrant start (process)', 'master box import', 'master clone', 'master boot', 'master step kubeadm-init',
    "worker1 join wait: the API answered after master's kubeadm-init", 'worker1 step wait-api', 'worker1 step kubeadm-join',
  ]);
  // In the model the worker starts on the master's boot (450), clones and boots (800) and reaches its wait after
  // kubeadm-init ended (790): its own path binds there, then wait-api and kubeadm-join cost 40 each.
  assert.equal(p.modelled, 450 + 50 + 300 + 40 + 40);
});

test('a join wait that did not wait (the API was up) stays on the worker\'s own path; lanes start after what released them', () => {
  const marks = [
    ...lane('cp', 'master', [[0, 'vagrant start (process)'], [10, 'step kubeadm-init'], [50, 'end']]),
    ...lane('w', 'worker1', [[51, 'vagrant start (process)'], [60, 'boot'], [360, 'join wait'], [361, 'step wait-api'], [401, 'end']]),
  ];
  const p = criticalPath(marks, ['master'], COSTS);
  assert.deepEqual(p.phases.map((x) => `${x.node} ${x.phase}`), [
    'master vagrant start (process)', 'master step kubeadm-init', 'worker1 started after master: step kubeadm-init ended',
    'worker1 vagrant start (process)', 'worker1 boot', 'worker1 join wait', 'worker1 step wait-api',
  ]);
  assert.equal(p.modelled, 40 + 300 + 40);
});

test('the phases come from the lines Vagrant and the provisioning scripts print', () => {
  assert.equal(phaseOf("Importing base box 'bento/rockylinux-9'..."), 'box import');
  assert.equal(phaseOf('Cloning VM...'), 'clone');
  assert.equal(phaseOf('Booting VM...'), 'boot');
  assert.equal(phaseOf('LABGEN-STEP node=worker1 n=13 total=15 name=wait-api'), 'join wait');
  assert.equal(phaseOf('labgen: API server answers after 3s'), 'step wait-api');
  assert.equal(phaseOf('LABGEN-STEP node=master n=14 total=17 name=kubeadm-init'), 'step kubeadm-init');
  assert.equal(phaseOf('Machine booted and ready!'), 'provisioner setup');
  assert.equal(phaseOf('Preparing network interfaces based on configuration...'), undefined);
});
