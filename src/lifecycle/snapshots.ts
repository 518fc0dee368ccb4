// Snapshots of every machine of a lab through `vagrant snapshot`: what each machine has (list), and save, restore or
// delete on many machines, one process per machine at once where the provider allows it (vagrant's snapshot
// commands have no --parallel), each machine's output in its own log, progress per machine on the reporter.
import { setMaxListeners } from 'node:events';
import { InterruptedError, StepFailedError } from '../errors.js';
import type { HostDeps } from '../host/deps.js';
import { readSecrets } from '../io/write-project.js';
import { labgenCommand } from './hints.js';
import { FRESH_SNAPSHOT } from './snapshot-name.js';
import type { Clock } from '../host/clock.js';
import { openNodeLog } from '../create/node-log.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Provider } from '../providers/types.js';
import { formatDuration, type NodePhase, type Reporter } from '../ui/reporter.js';
import { parseSnapshotList } from '../vagrant/snapshot-list.js';
import { parseVagrantLine } from '../vagrant/progress.js';
import { redactText } from '../vagrant/redact.js';
import { firstLine, type RunResult, type Runner } from '../host/process.js';
import { vagrantSnapshot, vagrantSnapshotList, vagrantStatus } from '../vagrant/vagrant.js';

/** What `vagrant snapshot` does to a machine. */
export type SnapshotVerb = 'save' | 'restore' | 'delete';

/** What querying a lab's machines needs. */
export interface SnapshotQuery { dir: string; lab: ResolvedLab; provider: Provider; runner: Runner; signal: AbortSignal }

/** What acting on a lab's machines needs. */
export interface SnapshotInput extends SnapshotQuery { clock: Clock; reporter: Reporter; secrets: string[] }

/** How one machine's `vagrant snapshot <verb>` ended (`skipped`: not asked, with the reason in detail). */
export interface SnapshotOutcome { name: string; status: 'done' | 'failed' | 'interrupted' | 'skipped'; detail: string; log: string; tail: string[]; ms: number }

/** The result of one verb over the lab's machines, in the lab's node order. */
export interface SnapshotRun { verb: SnapshotVerb; snapshot: string; nodes: SnapshotOutcome[]; ms: number }

/** Each machine's vagrant state and, for machines that exist, its snapshots. */
export interface LabSnapshots { states: Map<string, string>; snapshots: Map<string, string[]> }

/** Words of each verb: the running phase, the finished phase, the stage title, and the line vagrant prints on success
 * (Vagrant 2.3.4 templates/locales/en.yml `vagrant.actions.vm.snapshot.*`: saved, restoring, deleted). */
const VERB: Record<SnapshotVerb, { running: NodePhase; finished: NodePhase; title: string; past: string; success: RegExp }> = {
  save: { running: 'snapshot', finished: 'saved', title: 'Saving', past: 'saved', success: /^Snapshot saved!/ },
  restore: { running: 'restore', finished: 'restored', title: 'Restoring', past: 'restored', success: /^Restoring the snapshot '/ },
  delete: { running: 'delete', finished: 'deleted', title: 'Deleting', past: 'deleted', success: /^Snapshot deleted!/ },
};

/** What a line of vagrant's snapshot output tells the user about the machine's progress. */
const PROGRESS: [RegExp, string][] = [
  [/^Snapshotting the machine as /, 'taking it'],
  [/^Forcing shutdown of VM/, 'powering off'],
  [/^Restoring the snapshot /, 'reverting'],
  [/^(Resuming suspended VM|Booting VM|Starting domain)/, 'booting'],
  [/^Machine booted and ready!/, 'booted'],
];

/** Runs fn over the machines: all at once where the provider allows concurrent snapshot processes, else in turn. */
async function eachMachine(provider: Provider, names: string[], fn: (name: string) => Promise<void>): Promise<void> {
  if (provider.snapshot === 'process-per-machine') { await Promise.all(names.map(fn)); return; }
  for (const n of names) await fn(n);
}

function vagrantFailure(step: string, node: string | undefined, r: RunResult): StepFailedError {
  return new StepFailedError(step, node, undefined, r.notFound ? 'vagrant is not on PATH: install it (https://developer.hashicorp.com/vagrant/install) or run labgen doctor' : redactText(r.stderr.trim() || firstLine(r)));
}

/** Asks vagrant for every machine's state, then lists the snapshots of the machines that exist. Throws a
 * StepFailedError naming the command (and machine) when vagrant cannot answer; returns early when interrupted. */
export async function labSnapshots(q: SnapshotQuery): Promise<LabSnapshots> {
  const st = await vagrantStatus(q.runner, q.dir);
  if (st.result.exitCode !== 0) throw vagrantFailure('vagrant status', undefined, st.result);
  const states = new Map(q.lab.nodes.map((n) => [n.name, st.states.get(n.name)?.state ?? 'not_created']));
  const snapshots = new Map<string, string[]>();
  const created = q.lab.nodes.map((n) => n.name).filter((n) => states.get(n) !== 'not_created');
  await eachMachine(q.provider, created, async (name) => {
    if (q.signal.aborted) return;
    const r = await vagrantSnapshotList(q.runner, q.dir, name, { signal: q.signal });
    if (r.interrupted || q.signal.aborted) return;
    if (r.exitCode !== 0) throw vagrantFailure('vagrant snapshot list', name, r);
    const m = parseSnapshotList(r.stdout).get(name);
    if (m && !m.created) states.set(name, 'not_created');
    else snapshots.set(name, m?.names ?? []);
  });
  return { states, snapshots };
}

/**
 * Runs `vagrant snapshot <verb> -- <machine> <snapshot>` on the given machines; the lab's other machines come back as
 * skipped, with the reason `skip` gives. A machine succeeded only when vagrant exited 0 and printed its success line
 * (vagrant's save exits 0 after only warning about a machine that does not exist). Never throws for a machine.
 */
export async function runSnapshots(input: SnapshotInput, verb: SnapshotVerb, snapshot: string, machines: string[], opts: { force?: boolean; skip?: (node: string) => string } = {}): Promise<SnapshotRun> {
  const { lab, reporter, clock } = input;
  const w = VERB[verb];
  const t0 = clock.now();
  setMaxListeners(0, input.signal);
  reporter.begin(`${w.title} snapshot '${snapshot}' of ${lab.name}: ${machines.length} of ${lab.nodes.length} nodes on ${input.provider.name}`, machines);
  const results = new Map<string, SnapshotOutcome>();
  // The other machines are not shown while it runs (nothing happens to them); the result names why they were left out.
  for (const n of lab.nodes) if (!machines.includes(n.name)) results.set(n.name, { name: n.name, status: 'skipped', detail: opts.skip?.(n.name) ?? 'not asked', log: '', tail: [], ms: 0 });
  const command = `vagrant snapshot ${verb}${verb === 'save' && opts.force ? ' --force' : verb === 'restore' ? ' --no-provision' : ''}`;
  await eachMachine(input.provider, machines, async (name) => {
    const started = clock.now();
    const show = (phase: NodePhase, detail: string, ended?: number) => reporter.node({ name, phase, detail, since: clock.now(), started, ended });
    if (input.signal.aborted) {
      show('interrupted', 'not started', started);
      results.set(name, { name, status: 'interrupted', detail: 'not started', log: '', tail: [], ms: 0 });
      return;
    }
    const log = openNodeLog(input.dir, name, `labgen snapshot ${verb} ${lab.name}: ${command} -- ${name} ${snapshot} at ${new Date(clock.now()).toISOString()}`, input.secrets);
    show(w.running, command);
    let succeeded = false;
    let r: RunResult;
    try {
      r = await vagrantSnapshot(input.runner, input.dir, verb, name, snapshot, { force: opts.force }, {
        signal: input.signal,
        onLine: (line) => {
          log.write(line);
          const p = parseVagrantLine(line);
          if (p.node !== undefined && p.node !== name) return;
          if (w.success.test(p.text)) succeeded = true;
          const hit = PROGRESS.find(([re]) => re.test(p.text));
          if (hit) show(w.running, hit[1]);
        },
      });
    } finally { log.close(); }
    const ms = clock.now() - started;
    const ended = clock.now();
    if (r.interrupted || input.signal.aborted) {
      show('interrupted', '', ended);
      results.set(name, { name, status: 'interrupted', detail: 'stopped by Ctrl-C', log: log.path, tail: log.tail(10), ms });
    } else if (r.exitCode === 0 && succeeded) {
      show(w.finished, '', ended);
      results.set(name, { name, status: 'done', detail: '', log: log.path, tail: [], ms });
    } else {
      const detail = r.notFound ? 'vagrant is not on PATH' : r.exitCode === 0 ? `vagrant exited 0 but never said the snapshot was ${w.past}` : `vagrant exit ${r.exitCode}`;
      show('failed', detail, ended);
      results.set(name, { name, status: 'failed', detail, log: log.path, tail: log.tail(10), ms });
    }
  });
  const nodes = lab.nodes.map((n) => results.get(n.name)!);
  const ms = clock.now() - t0;
  const bad = nodes.filter((n) => n.status === 'failed' || n.status === 'interrupted');
  const done = nodes.filter((n) => n.status === 'done').length;
  reporter.end(bad.length === 0 ? `snapshot '${snapshot}' ${w.past} on ${done} node${done === 1 ? '' : 's'} in ${formatDuration(ms)}` : bad.map((n) => `${n.name}: ${n.status}`).join(', '), bad.length === 0);
  return { verb, snapshot, nodes, ms };
}

/** The error for a run in which a machine failed: its step, log and last lines, how the others ended, and the hints. */
export function snapshotFailure(run: SnapshotRun, hints: string[]): StepFailedError | undefined {
  const bad = run.nodes.find((n) => n.status === 'failed');
  if (!bad) return undefined;
  const others = run.nodes.filter((n) => n !== bad && n.status !== 'skipped');
  const detail = [
    ...(bad.tail.length ? [`last lines of ${bad.name}'s log:`, ...bad.tail.map((l) => `  | ${l}`)] : [`  ${bad.detail}`]),
    ...(others.length ? ['other nodes:', ...others.map((n) => `  ${n.name}: ${n.status === 'done' ? VERB[run.verb].past : `${n.status}${n.detail ? ` (${n.detail})` : ''}`}${n.log ? ` (log: ${n.log})` : ''}`)] : []),
    ...hints,
  ].join('\n');
  return new StepFailedError(`vagrant snapshot ${run.verb} ${run.snapshot}`, bad.name, bad.log || undefined, detail);
}

/** The snapshot names every given machine has, in the first machine's order. */
export function commonSnapshots(snaps: LabSnapshots, nodes: string[]): string[] {
  const lists = nodes.map((n) => snaps.snapshots.get(n) ?? []);
  return (lists[0] ?? []).filter((s) => lists.every((l) => l.includes(s)));
}

/** What acting on a lab's machines needs, from the host: its runner and clock, the lab's bootstrap token to redact. */
export function snapshotInput(deps: HostDeps, dir: string, lab: ResolvedLab, provider: Provider, reporter: Reporter, signal: AbortSignal): SnapshotInput {
  const token = readSecrets(dir)?.bootstrapToken;
  return { dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal, secrets: token ? [token] : [] };
}

/** Ctrl-C during a snapshot run (exit 130): what state the lab may be in, and how to go on. */
export function snapshotsInterrupted(what: string, hints: string[]): InterruptedError {
  return new InterruptedError([`every vagrant snapshot process was stopped and waited for; ${what}`, ...hints].join('\n'));
}

/** For create --snapshot (and its action): saves (replacing) `labgen-fresh` on every node; throws a runtime error naming the node. */
export async function saveFreshSnapshot(deps: HostDeps, dir: string, lab: ResolvedLab, provider: Provider, reporter: Reporter, signal: AbortSignal): Promise<string> {
  const run = await runSnapshots(snapshotInput(deps, dir, lab, provider, reporter, signal), 'save', FRESH_SNAPSHOT, lab.nodes.map((n) => n.name), { force: true });
  const again = labgenCommand('snapshot', 'save', FRESH_SNAPSHOT, dir, '--force');
  if (signal.aborted) throw snapshotsInterrupted(`the cluster is Ready; snapshot '${FRESH_SNAPSHOT}' may exist on some nodes only.`, [`save it: ${again}`]);
  const err = snapshotFailure(run, ['the cluster is Ready; only the snapshot failed.', `save it again: ${again}`]);
  if (err) throw err;
  return FRESH_SNAPSHOT;
}
