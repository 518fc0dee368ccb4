// Brings every VM of a lab up and provisioned as fast as the provider allows: one `vagrant up <node>` per machine
// (the first alone while it creates shared resources, started beside `vagrant status`) or one `vagrant up --parallel`;
// resumes finished nodes. Workers wait for the control plane only in their join step (wait-api in worker.sh).
import { setMaxListeners } from 'node:events';
import { StepFailedError } from '../errors.js';
import type { ResolvedLab, ResolvedNode } from '../lab/types.js';
import type { NodeOutcomeStatus } from '../nodes/phase.js';
import type { Provider } from '../providers/types.js';
import { formatDuration, type Reporter } from '../ui/reporter.js';
import { parseVagrantLine } from '../vagrant/progress.js';
import { redactText } from '../vagrant/redact.js';
import type { RunResult, Runner } from '../host/process.js';
import { firstLine } from '../host/process.js';
import { vagrantStatus, vagrantUp, type UpProvision } from '../vagrant/vagrant.js';
import type { Clock } from '../host/clock.js';
import { openNodeLog, type NodeLog } from './node-log.js';
import { isProvisioned, markProvisioned } from './node-state.js';
import { NodeTracker, type PhaseTimes } from './node-tracker.js';
import { isRunning } from '../vagrant/machine-readable.js';

/** What bring-up needs. */
export interface BringUpInput {
  dir: string;
  lab: ResolvedLab;
  provider: Provider;
  runner: Runner;
  clock: Clock;
  reporter: Reporter;
  /** The user's interrupt. */
  signal: AbortSignal;
  /** Literal secrets (the bootstrap token) to redact from logs besides the patterns. */
  secrets: string[];
  /**
   * `create` (default): create and provision what is missing, resume what is not finished. `start`: boot machines
   * that exist and were provisioned, never provisioning again (`vagrant up --no-provision`) and never creating one.
   */
  mode?: 'create' | 'start';
}

/** How one node ended (its status in the one vocabulary of src/nodes/phase.ts). */
export interface NodeOutcome {
  name: string;
  status: NodeOutcomeStatus;
  step?: string;
  log: string;
  tail: string[];
  times: PhaseTimes;
  ms: number;
}

/** The result of bring-up. */
export interface BringUpResult { nodes: NodeOutcome[]; ms: number; mode: Provider['bringUp']; firstAlone: boolean }

interface Plan { node: ResolvedNode; provision: UpProvision }

/**
 * The machine whose `vagrant up` may start before `vagrant status` answers: with one process per machine, in create
 * mode, the control plane when labgen has no record of provisioning it (its plan is `up --provision` whatever its
 * state, and it goes first anyway). Vagrant runs `status` and `up` of one project side by side (status takes no
 * machine lock), so the status call leaves the critical path.
 */
function earlyFirst(input: BringUpInput): ResolvedNode | undefined {
  if (input.mode === 'start' || input.provider.bringUp !== 'process-per-machine' || input.lab.nodes.length < 2) return undefined;
  const cp = input.lab.nodes.find((n) => n.role === 'control-plane');
  return cp && !isProvisioned(input.dir, cp.name) ? cp : undefined;
}

/** Runs bring-up; throws only when vagrant itself cannot be asked for the machines' states. */
export async function bringUp(input: BringUpInput): Promise<BringUpResult> {
  const { dir, lab, provider, runner, clock, reporter } = input;
  const t0 = clock.now();
  const start = input.mode === 'start';
  const stop = new AbortController();
  // One listener per vagrant process: 16 nodes exceed Node's default warning threshold of 10.
  setMaxListeners(0, stop.signal);
  const onUser = () => stop.abort();
  input.signal.addEventListener('abort', onUser, { once: true });
  const trackers = new Map(lab.nodes.map((n) => [n.name, new NodeTracker(n, reporter, clock.now)]));
  const outcomes = new Map<string, NodeOutcome>();
  const ctx: Ctx = { input, trackers, stop, outcomes, why: 'the control plane failed' };
  const begin = () => reporter.begin(`${start ? 'Starting' : 'Bringing up'} ${lab.name}: ${lab.nodes.length} nodes on ${provider.name}`, lab.nodes.map((n) => n.name));
  try {
    const first = earlyFirst(input);
    if (first) begin();
    const early = first ? startFirst(ctx, { node: first, provision: 'force' }) : undefined;
    const status = await vagrantStatus(runner, dir);
    if (status.result.exitCode !== 0 && !input.signal.aborted) {
      if (early) {
        ctx.why = 'vagrant status failed';
        stop.abort();
        await early.run;
        reporter.end('vagrant status failed', false);
      }
      throw new StepFailedError('vagrant status', undefined, undefined, status.result.notFound ? 'vagrant is not on PATH: install it (https://developer.hashicorp.com/vagrant/install) or run labgen doctor' : redactText(status.result.stderr.trim() || firstLine(status.result)));
    }
    if (!first) begin();
    const states = status.states;
    const plans: Plan[] = [];
    const skipped: ResolvedNode[] = [];
    const missing: ResolvedNode[] = [];
    for (const node of lab.nodes) {
      if (node === first) continue;
      const state = states.get(node.name)?.state;
      const running = isRunning(state);
      const done = isProvisioned(dir, node.name);
      if (start && (state === undefined || state === 'not_created')) missing.push(node);
      else if (running && (done || start)) skipped.push(node);
      else plans.push({ node, provision: start ? 'never' : done ? 'default' : 'force' });
    }
    for (const n of skipped) {
      trackers.get(n.name)!.finish('skipped', start ? '(already running)' : '(running, provisioned earlier)');
      outcomes.set(n.name, { name: n.name, status: 'skipped', log: '', tail: [], times: {}, ms: 0 });
    }
    // `start` never creates a machine (`vagrant up` would create and provision it): the caller refuses such labs first.
    for (const n of missing) {
      trackers.get(n.name)!.finish('failed', 'not created: labgen create builds it');
      outcomes.set(n.name, { name: n.name, status: 'failed', step: 'not created', log: '', tail: [], times: {}, ms: 0 });
    }
    const noneCreated = lab.nodes.every((n) => ['not_created', 'unknown', undefined].includes(states.get(n.name)?.state));
    const firstAlone = !start && provider.bringUp === 'process-per-machine' && provider.firstMachineAlone && noneCreated && plans.length + (first ? 1 : 0) > 1;
    if (provider.bringUp === 'vagrant-parallel') await parallelUp(ctx, plans);
    else await perMachineUp(ctx, plans, firstAlone, early);
    const nodes = lab.nodes.map((n) => outcomes.get(n.name)!);
    const ok = nodes.every((n) => n.status === 'done' || n.status === 'skipped');
    const ms = clock.now() - t0;
    reporter.end(ok ? `all ${nodes.length} nodes ${start ? 'running' : 'up and provisioned'} in ${formatDuration(ms)}` : summarize(nodes), ok);
    return { nodes, ms, mode: provider.bringUp, firstAlone };
  } finally {
    input.signal.removeEventListener('abort', onUser);
  }
}

function summarize(nodes: NodeOutcome[]): string {
  return nodes.filter((n) => n.status !== 'done' && n.status !== 'skipped').map((n) => `${n.name}: ${n.status}${n.step ? ` at ${n.step}` : ''}`).join(', ');
}

interface Ctx {
  input: BringUpInput; trackers: Map<string, NodeTracker>; stop: AbortController; outcomes: Map<string, NodeOutcome>;
  /** Why labgen stopped the machines it stopped (shown on each). */
  why: string;
}

function header(input: BringUpInput, args: string): string {
  return `labgen ${input.mode ?? 'create'} ${input.lab.name}: vagrant up ${args} at ${new Date(input.clock.now()).toISOString()}`;
}

/** A machine's `vagrant up` under way, and the moment the resources it creates for the others exist. */
interface Started { plan: Plan; run: Promise<void>; shared: Promise<void> }

/** One `vagrant up <node>`; `onShared` fires once the machine is past the box import and host network setup. */
async function runOne(ctx: Ctx, plan: Plan, onShared?: () => void): Promise<void> {
  const { input, trackers, stop, outcomes } = ctx;
  const name = plan.node.name;
  const tracker = trackers.get(name)!;
  if (stop.signal.aborted) { onShared?.(); tracker.finish(input.signal.aborted ? 'interrupted' : 'failed', 'not started'); outcomes.set(name, outcome(tracker, input.signal.aborted ? 'interrupted' : 'stopped', '', [])); return; }
  const log = openNodeLog(input.dir, name, header(input, `${{ force: '--provision ', never: '--no-provision ', default: '' }[plan.provision]}${name}`), input.secrets);
  tracker.start();
  let r: RunResult;
  try {
    r = await vagrantUp(input.runner, input.dir, [name], { provider: input.provider.vagrantName, provision: plan.provision, parallel: false }, {
      signal: stop.signal,
      onLine: (line) => {
        log.write(line);
        const p = parseVagrantLine(line, input.provider.upPhases);
        if (p.event && (p.node === undefined || p.node === name)) tracker.event(p.event);
        // Once the first machine boots, the box is imported and the host-only interface exists.
        if (onShared && p.event?.kind === 'phase' && p.event.phase !== 'import') onShared();
      },
    });
  } finally {
    log.close();
  }
  onShared?.();
  settle(ctx, tracker, log, r, plan.provision === 'force');
}

/** Starts the first machine's `vagrant up` (before the others are planned, or alone while it creates shared resources). */
function startFirst(ctx: Ctx, plan: Plan): Started {
  let release!: () => void;
  const shared = new Promise<void>((resolve) => { release = resolve; });
  return { plan, shared, run: runOne(ctx, plan, () => release()) };
}

/**
 * One process per machine (for a provider that Vagrant registers without `parallel: true`: see the provider's
 * bringUp). With the first alone, the others start when it boots: Vagrant serialises the linked-clone
 * master import itself (import_master.rb: `env.lock(<box hash>, retry: true)`) but creates host-only interfaces with no
 * lock (action/network.rb), and its network action runs just before "Booting VM".
 */
async function perMachineUp(ctx: Ctx, plans: Plan[], firstAlone: boolean, early?: Started): Promise<void> {
  const { input, outcomes } = ctx;
  if (!firstAlone) { await Promise.all([early?.run, ...plans.map((p) => runOne(ctx, p))]); return; }
  const first = early ?? startFirst(ctx, plans.find((p) => p.node.role === 'control-plane') ?? plans[0]!);
  const rest = plans.filter((p) => p !== first.plan);
  input.reporter.note(`${first.plan.node.name} starts alone: it imports the box and creates the ${input.provider.name} host network the others share`);
  await first.shared;
  const others = Promise.all(rest.map((p) => runOne(ctx, p)));
  await Promise.all([first.run, others]);
  for (const p of rest) if (!outcomes.has(p.node.name)) throw new Error(`internal: ${p.node.name} has no outcome`);
}

async function parallelUp(ctx: Ctx, plans: Plan[]): Promise<void> {
  const { input, trackers, stop } = ctx;
  if (plans.length === 0) return;
  const names = plans.map((p) => p.node.name);
  const start = input.mode === 'start';
  const provision: UpProvision = start ? 'never' : 'force';
  const logs = new Map<string, NodeLog>(names.map((n) => [n, openNodeLog(input.dir, n, header(input, `--${start ? 'no-' : ''}provision --parallel ${names.join(' ')}`), input.secrets)]));
  for (const n of names) trackers.get(n)!.start();
  let r: RunResult;
  try {
    r = await vagrantUp(input.runner, input.dir, names, { provider: input.provider.vagrantName, provision, parallel: true }, {
      signal: stop.signal,
      onLine: (line) => {
        const p = parseVagrantLine(line, input.provider.upPhases);
        const log = p.node !== undefined ? logs.get(p.node) : undefined;
        if (!log) { for (const l of logs.values()) l.write(line); return; }
        log.write(line);
        if (p.event) trackers.get(p.node!)!.event(p.event);
      },
    });
  } finally {
    for (const l of logs.values()) l.close();
  }
  const anyAttributed = names.some((n) => trackers.get(n)!.failedStep !== undefined);
  for (const n of names) {
    const t = trackers.get(n)!;
    // Without provisioning, a machine is done once it booted.
    const done = start ? t.sawBooted : t.sawDone || t.alreadyProvisioned;
    // In one `vagrant up --parallel`, a node that neither finished nor failed itself was cut short by another's failure.
    const own: RunResult = done ? { ...r, exitCode: 0 } : r.exitCode === 0 ? r : anyAttributed && t.failedStep === undefined && !r.interrupted ? { ...r, exitCode: -1 } : r;
    settle(ctx, t, logs.get(n)!, own, !start);
  }
}

function outcome(t: NodeTracker, status: NodeOutcome['status'], log: string, tail: string[], step?: string): NodeOutcome {
  return { name: t.node.name, status, step, log, tail, times: { ...t.times }, ms: 0 };
}

function settle(ctx: Ctx, t: NodeTracker, log: NodeLog, r: RunResult, provisioned: boolean): void {
  const { input, stop, outcomes } = ctx;
  const name = t.node.name;
  const finishAt = (status: NodeOutcome['status'], step?: string) => {
    const o = outcome(t, status, log.path, log.tail(15), step);
    o.ms = t.ms();
    outcomes.set(name, o);
  };
  if (r.exitCode === 0) {
    if (provisioned && !t.sawDone && !t.alreadyProvisioned) {
      t.finish('failed', `provisioning stopped before its last step${t.step ? ` (the last one started was ${t.step})` : ''}: the node is not fully set up`);
      finishAt('failed', t.failingStep());
      return;
    }
    if (provisioned) markProvisioned(input.dir, name, new Date(input.clock.now()));
    // start boots without provisioning: its row says the machine is up, never "provisioned".
    t.finish(input.mode === 'start' ? 'up' : 'done');
    finishAt('done');
    return;
  }
  if (input.signal.aborted || (r.interrupted && t.failedStep === undefined)) {
    const byUser = input.signal.aborted;
    t.finish(byUser ? 'interrupted' : 'failed', byUser ? `at ${t.failingStep()}` : `stopped: ${ctx.why}`);
    finishAt(byUser ? 'interrupted' : 'stopped', t.failingStep());
    return;
  }
  if (r.exitCode === -1) { t.finish('failed', 'stopped with the others'); finishAt('stopped', t.failingStep()); return; }
  const step = r.notFound ? 'vagrant up (vagrant not on PATH)' : t.failingStep();
  t.finish('failed', `at ${step}`);
  finishAt('failed', step);
  // Workers cannot join without the control plane: stop them now instead of letting them wait for its API.
  if (t.node.role === 'control-plane') stop.abort();
}
