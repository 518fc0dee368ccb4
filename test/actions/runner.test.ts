// The one action runner: order, timing from the injected clock only, the first failure named, Ctrl-C as exit 130.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionInterrupted, ActionRunner, type Action } from '../../src/actions/runner.js';
import { InterruptedError, LabgenError, StepFailedError } from '../../src/errors.js';

/** A clock that moves only when an action says so. */
function manualClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

interface Ctx { ran: string[]; clock: ReturnType<typeof manualClock> }

function act(name: string, ms: number, extra: Partial<Action<Ctx>> = {}): Action<Ctx> {
  return { name, timesKey: name, async execute(c) { c.ran.push(name); c.clock.advance(ms); }, ...extra };
}

test('actions run in order over one shared context, each timed by the runner from the injected clock', async () => {
  const clock = manualClock();
  const ctx: Ctx = { ran: [], clock };
  const runner = new ActionRunner({ now: clock.now, interrupted: () => false });
  await runner.run([act('doctor', 1500), act('render', 250), { name: 'quiet', async execute(c) { c.ran.push('quiet'); c.clock.advance(7); } }, act('bring-up', 90_000)], ctx);
  assert.deepEqual(ctx.ran, ['doctor', 'render', 'quiet', 'bring-up']);
  assert.deepEqual(runner.records.map((r) => [r.name, r.start, r.end, r.ms, r.outcome]), [
    ['doctor', 1000, 2500, 1500, 'done'], ['render', 2500, 2750, 250, 'done'], ['quiet', 2750, 2757, 7, 'done'], ['bring-up', 2757, 92_757, 90_000, 'done'],
  ]);
  // Only actions with a times key reach the report, in the order they ran (the `Times:` line and --json `times`).
  assert.deepEqual(Object.entries(runner.times()), [['doctor', 1500], ['render', 250], ['bring-up', 90_000]]);
});

test('the run stops at the first failure, which names the action and its node; later actions never start', async () => {
  const clock = manualClock();
  const ctx: Ctx = { ran: [], clock };
  const runner = new ActionRunner({ now: clock.now, interrupted: () => false, stepPrefix: 'verify: ' });
  const boom: Action<Ctx> = { name: 'install tcpdump', node: 'worker1', async execute(c) { c.ran.push('boom'); c.clock.advance(40); throw new Error('apt-get: no network'); } };
  const e = await runner.run([act('first', 10), boom, act('never', 5)], ctx).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof StepFailedError, String(e));
  assert.equal(e.message, 'verify: install tcpdump failed on worker1');
  assert.equal(e.exitCode, 1);
  assert.equal(e.detail, 'apt-get: no network');
  assert.deepEqual(ctx.ran, ['first', 'boom']);
  assert.deepEqual(runner.records.map((r) => [r.name, r.outcome, r.ms]), [['first', 'done', 10], ['install tcpdump', 'failed', 40]]);
  assert.equal(runner.failed()?.name, 'install tcpdump');
  assert.equal(runner.failed()?.error, 'apt-get: no network');
});

test('a labgen error thrown by an action keeps its own message and exit code (the action already named what failed)', async () => {
  const clock = manualClock();
  const runner = new ActionRunner({ now: clock.now, interrupted: () => false });
  const typed = new LabgenError('this host is not ready for the lab: vagrant failed', 1, 'fix it');
  const e = await runner.run([{ name: 'doctor', async execute() { throw typed; } }], { ran: [], clock }).then(() => undefined, (x: unknown) => x);
  assert.equal(e, typed);
  assert.equal(runner.records[0]!.outcome, 'failed');
});

test('named steps inside an action are timed, named on failure with their node, and recorded under the action', async () => {
  const clock = manualClock(0);
  const runner = new ActionRunner({ now: clock.now, interrupted: () => false, stepPrefix: 'verify: ' });
  const find: Action<Ctx> = {
    name: 'find the capture interfaces',
    async execute(c) {
      const veth = await runner.step('find the pod\'s veth', 'worker1', async () => { c.clock.advance(3); return 'veth1'; });
      assert.equal(veth, 'veth1');
      await runner.step('find the host-only NIC', 'worker2', async () => { c.clock.advance(2); throw new Error('no NIC carries 10.0.0.3'); });
    },
  };
  const e = await runner.run([find], { ran: [], clock }).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof StepFailedError);
  assert.equal(e.message, 'verify: find the host-only NIC failed on worker2', 'the innermost named step is the one the error names');
  assert.deepEqual(runner.records.map((r) => [r.name, r.depth, r.outcome, r.ms]), [
    ['find the capture interfaces', 0, 'failed', 5], ['find the pod\'s veth', 1, 'done', 3], ['find the host-only NIC', 1, 'failed', 2],
  ]);
});

test('after an interrupt no further action starts and the run ends with exit 130 naming where it stopped', async () => {
  const clock = manualClock();
  let stop = false;
  const ctx: Ctx = { ran: [], clock };
  const runner = new ActionRunner({ now: clock.now, interrupted: () => stop, interruptedHint: 'nothing was written' });
  const ctrlC: Action<Ctx> = { name: 'doctor', timesKey: 'doctor', async execute(c) { c.ran.push('doctor'); stop = true; } };
  const e = await runner.run([ctrlC, act('render', 1), act('bring-up', 1)], ctx).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof ActionInterrupted, String(e));
  assert.ok(e instanceof InterruptedError);
  assert.equal(e.exitCode, 130);
  assert.equal(e.at, 'render');
  assert.equal(e.detail, 'nothing was written');
  assert.deepEqual(ctx.ran, ['doctor']);
});

test('a plain error thrown because of an interrupt is an interrupt (130), not a failure; the caller may choose the error', async () => {
  const clock = manualClock();
  let stop = false;
  class Mine extends Error {}
  const runner = new ActionRunner({ now: clock.now, interrupted: () => stop, interruptError: () => new Mine('stopped') });
  const killed: Action<Ctx> = { name: 'wait for the test pods', async execute() { stop = true; throw new Error('kubectl: signal: interrupt'); } };
  const e = await runner.run([killed], { ran: [], clock }).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof Mine, String(e));
  assert.equal(runner.records[0]!.outcome, 'interrupted');
  // An InterruptedError an action throws itself (with its own resume hint) passes through as it is.
  const own = new InterruptedError('every vagrant process was stopped and waited for.');
  const r2 = new ActionRunner({ now: clock.now, interrupted: () => false });
  const e2 = await r2.run([{ name: 'bring-up', async execute() { throw own; } }], { ran: [], clock }).then(() => undefined, (x: unknown) => x);
  assert.equal(e2, own);
  assert.equal(r2.records[0]!.outcome, 'interrupted');
});

test('create\'s actions, in order, with the times keys its report prints (doctor, render, bring-up, kubeconfig, ready)', async () => {
  const { prepareActions, upActions } = await import('../../src/actions/create.js');
  const list = (xs: readonly Action<never>[]) => xs.map((a) => [a.name, a.timesKey]);
  assert.deepEqual(list(prepareActions({ skipDoctor: false, render: true })), [['doctor', 'doctor'], ['render', 'render']]);
  // --skip-doctor still checks vagrant, untimed; a lab directory is used as it is, with no render time.
  assert.deepEqual(list(prepareActions({ skipDoctor: true, render: false })), [['vagrant check', undefined], ['use the lab directory', undefined]]);
  assert.deepEqual(list(upActions()), [['bring-up', 'bring-up'], ['fetch the kubeconfig', 'kubeconfig'], ['wait for Ready', 'ready']]);
});

test('an `always` action runs after a failure, in order, and the run still ends with the first failure', async () => {
  const clock = manualClock(0);
  const ctx: Ctx = { ran: [], clock };
  const runner = new ActionRunner({ now: clock.now, interrupted: () => false, stepPrefix: 'verify: ' });
  const boom: Action<Ctx> = { name: 'ping', async execute(c) { c.ran.push('ping'); c.clock.advance(4); throw new Error('kubectl exec: pod gone'); } };
  const cleanup = act('clean up', 2, { always: true, timesKey: undefined });
  const failingCleanup: Action<Ctx> = { name: 'remove the workload', always: true, async execute(c) { c.ran.push('remove'); throw new Error('kubectl delete: refused'); } };
  const e = await runner.run([act('deploy', 1), boom, act('judge', 1), cleanup, failingCleanup], ctx).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof StepFailedError, String(e));
  assert.equal(e.message, 'verify: ping failed', 'the first failure, not the clean-up\'s');
  assert.deepEqual(ctx.ran, ['deploy', 'ping', 'clean up', 'remove'], 'judge (not always) never started; both always actions ran');
  assert.deepEqual(runner.records.map((r) => [r.name, r.outcome]), [['deploy', 'done'], ['ping', 'failed'], ['clean up', 'done'], ['remove the workload', 'failed']]);
  assert.equal(runner.failed()?.name, 'ping');
  // Without an earlier failure, an always action is an ordinary one: its failure ends the run.
  const r2 = new ActionRunner({ now: clock.now, interrupted: () => false });
  const e2 = await r2.run([act('a', 1), failingCleanup], { ran: [], clock }).then(() => undefined, (x: unknown) => x);
  assert.ok(e2 instanceof StepFailedError && e2.message === 'remove the workload failed', String(e2));
});

test('an `always` action runs after Ctrl-C (the others are refused) and the run ends with the interrupt (exit 130)', async () => {
  const clock = manualClock();
  let stop = false;
  const ctx: Ctx = { ran: [], clock };
  const runner = new ActionRunner({ now: clock.now, interrupted: () => stop, interruptedHint: 'run it again' });
  const ctrlC: Action<Ctx> = { name: 'start the captures', async execute(c) { c.ran.push('captures'); stop = true; } };
  const e = await runner.run([ctrlC, act('ping', 1), act('clean up', 1, { always: true })], ctx).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof ActionInterrupted, String(e));
  assert.equal(e.exitCode, 130);
  assert.equal(e.at, 'ping');
  assert.deepEqual(ctx.ran, ['captures', 'clean up']);
  assert.deepEqual(runner.records.map((r) => [r.name, r.outcome]), [['start the captures', 'done'], ['clean up', 'done']]);
});
