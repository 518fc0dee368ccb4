// The node phase state machine: every allowed and every refused transition, and the typed error a refused one throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, FINAL_PHASES, NODE_PHASES, PhaseMachine, PhaseTransitionError, TRANSITIONS, type NodePhase } from '../../src/nodes/phase.js';
import { LabgenError } from '../../src/errors.js';
import { NodeTracker } from '../../src/create/node-tracker.js';
import { silentReporter } from '../../src/ui/reporter.js';
import type { ResolvedNode } from '../../src/lab/types.js';

/** The whole table, written out: from -> the phases it may move to (besides staying, for a phase that is not final). */
const ALLOWED: Record<NodePhase, NodePhase[]> = {
  waiting: ['starting', 'skipped', 'ready-wait', 'halt', 'stopped', 'snapshot', 'restore', 'delete', 'failed', 'interrupted'],
  starting: ['import', 'boot', 'booted', 'provision', 'join', 'up', 'failed', 'interrupted'],
  import: ['boot', 'booted', 'failed', 'interrupted'],
  boot: ['booted', 'up', 'failed', 'interrupted'],
  booted: ['provision', 'join', 'done', 'up', 'failed', 'interrupted'],
  provision: ['join', 'done', 'failed', 'interrupted'],
  join: ['provision', 'done', 'failed', 'interrupted'],
  'ready-wait': ['ready', 'failed', 'interrupted'],
  halt: ['stopped', 'failed', 'interrupted'],
  snapshot: ['saved', 'skipped', 'failed', 'interrupted'],
  restore: ['restored', 'skipped', 'failed', 'interrupted'],
  delete: ['deleted', 'skipped', 'failed', 'interrupted'],
  done: [], up: [], failed: [], interrupted: [], skipped: [], ready: [], stopped: [], saved: [], restored: [], deleted: [],
};

test('the table of allowed transitions, and every other pair refused', () => {
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...NODE_PHASES].sort());
  let allowed = 0; let refused = 0;
  for (const from of NODE_PHASES) {
    for (const to of NODE_PHASES) {
      const want = from === to ? !FINAL_PHASES.has(from) : ALLOWED[from].includes(to);
      assert.equal(canTransition(from, to), want, `${from} -> ${to} should be ${want ? 'allowed' : 'refused'}`);
      if (want) allowed++; else refused++;
    }
  }
  assert.equal(allowed + refused, NODE_PHASES.length ** 2);
  assert.ok(refused > allowed, `${refused} refused, ${allowed} allowed`);
});

test('impossible transitions are refused: provisioned before booted, a Ready cluster without waiting, anything out of a final phase', () => {
  for (const [from, to] of [['waiting', 'done'], ['starting', 'done'], ['import', 'done'], ['boot', 'done'], ['import', 'provision'], ['boot', 'provision'],
    ['waiting', 'ready'], ['provision', 'boot'], ['done', 'provision'], ['done', 'failed'], ['failed', 'done'], ['skipped', 'starting'], ['stopped', 'halt'], ['done', 'done']] as [NodePhase, NodePhase][]) {
    assert.equal(canTransition(from, to), false, `${from} -> ${to}`);
  }
  for (const final of FINAL_PHASES) assert.deepEqual(TRANSITIONS[final], [], `${final} is final`);
});

test('a refused transition throws a typed internal error naming the node and both phases; the phase stays', () => {
  const m = new PhaseMachine('worker1');
  m.to('starting'); m.to('import');
  const e = (() => { try { m.to('done'); return undefined; } catch (x) { return x; } })();
  assert.ok(e instanceof PhaseTransitionError, String(e));
  assert.ok(e instanceof LabgenError, 'a LabgenError: the CLI prints it without a stack trace');
  assert.equal(e.exitCode, 1);
  assert.equal(e.message, 'internal error: worker1 cannot go from import to done');
  assert.deepEqual([e.node, e.from, e.to], ['worker1', 'import', 'done']);
  assert.equal(m.phase, 'import');
  m.to('boot'); m.to('booted'); m.to('provision'); m.to('provision'); m.to('done');
  assert.throws(() => m.to('failed'), (x: unknown) => x instanceof PhaseTransitionError && /cannot go from done to failed \(done is final\)/.test(x.message));
  assert.equal(m.tryTo('provision'), false);
  assert.equal(m.phase, 'done');
});

test('the bring-up tracker moves along the table: a vagrant line out of order is ignored, labgen finishing a node that never booted is refused', () => {
  const node = { name: 'worker1', role: 'worker' } as ResolvedNode;
  let t = 0;
  const seen: NodePhase[] = [];
  const reporter = { ...silentReporter(), node: (s: { phase: NodePhase }) => { seen.push(s.phase); } };
  const tr = new NodeTracker(node, reporter, () => t);
  tr.start();
  tr.event({ kind: 'phase', phase: 'import' }); t += 5;
  tr.event({ kind: 'phase', phase: 'boot' }); t += 7;
  tr.event({ kind: 'phase', phase: 'import' }); // out of order: input, ignored
  tr.event({ kind: 'booted' }); t += 1;
  tr.event({ kind: 'step', n: 1, total: 2, name: 'swap' }); t += 3;
  tr.event({ kind: 'step', n: 2, total: 2, name: 'kubeadm-join' }); t += 2;
  tr.finish('done');
  assert.deepEqual(seen, ['starting', 'import', 'boot', 'booted', 'provision', 'join', 'done']);
  assert.deepEqual(tr.times, { import: 5, boot: 8, provision: 3, join: 2 });
  const early = new NodeTracker({ name: 'worker2', role: 'worker' } as ResolvedNode, silentReporter(), () => 0);
  early.start();
  early.event({ kind: 'phase', phase: 'boot' });
  assert.throws(() => early.finish('done'), PhaseTransitionError, 'provisioned before booted');
  early.finish('failed', 'at boot');
  assert.throws(() => early.finish('interrupted'), PhaseTransitionError, 'nothing leaves a final phase');
});
