// `labgen snapshot save|restore|list|delete`: every node of a lab through the provider's snapshots (`vagrant snapshot`),
// and after a restore the same Ready wait and report as create. `create --snapshot` saves `labgen-fresh` after Ready,
// so `labgen snapshot restore` brings the lab back to a fresh cluster in the time a restore and a Ready wait take.
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, InvalidInputError, UsageError } from '../errors.js';
import { realHostDeps, type HostDeps } from '../host/deps.js';
import { isProvisioned } from '../create/node-state.js';
import { parseDuration } from '../create/timeout.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import type { ResolvedLab } from '../lab/types.js';
import { labgenCommand, printLogsOnFailure, shellArg } from '../lifecycle/hints.js';
import { withLabLock } from '../lifecycle/lab-lock.js';
import { reportReady } from '../lifecycle/ready-report.js';
import { restoreActions, type RestoreContext } from '../actions/restore.js';
import { ActionRunner } from '../actions/runner.js';
import { checkSnapshotName, FRESH_SNAPSHOT, SNAPSHOT_NAME_RULE } from '../lifecycle/snapshot-name.js';
import { commonSnapshots, labSnapshots, runSnapshots, snapshotFailure, snapshotInput as input, snapshotsInterrupted as interrupted, type LabSnapshots, type SnapshotRun } from '../lifecycle/snapshots.js';
import type { Provider } from '../providers/types.js';
import { chooseReporter } from '../ui/choose-reporter.js';
import { printJson } from '../ui/output.js';
import type { Reporter } from '../ui/reporter.js';
import { formatDuration } from '../ui/reporter.js';
import { table } from '../ui/table.js';
import type { CommandContext } from './context.js';
import { DEFAULT_READY_TIMEOUT } from './create.js';

interface SnapshotArgs { name?: string; dir?: string; json: boolean; force?: boolean; timeout?: string; pollInterval?: string }
type Verb = 'save' | 'restore' | 'list' | 'delete';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const names = (nodes: string[]) => nodes.join(', ');

/** `labgen snapshot delete` without NAME (yargs finds it missing, or labgen does): exit 2 naming NAME and the fix. */
function missingDeleteName(): InvalidInputError {
  return new InvalidInputError('the command line', [{ path: 'NAME', message: 'labgen snapshot delete needs the NAME of the snapshot to delete', fix: 'labgen snapshot list [DIR] shows the snapshots; then labgen snapshot delete NAME [DIR] (NAME before any --: a snapshot name never starts with "-")' }]);
}

/** The lab directory and the checked NAME; exit 2 with nothing run when either is wrong. */
function target(ctx: CommandContext, verb: Verb, args: SnapshotArgs): { dir: string; lab: ResolvedLab; provider: Provider; name: string } {
  // `labgen snapshot save flannel-4node` outside a lab directory: NAME comes first, so say how to write it.
  if (verb !== 'list' && args.dir === undefined && args.name !== undefined && !isLabDir('.') && isLabDir(args.name)) {
    throw new UsageError(`${args.name} is a lab directory, but NAME comes first: labgen snapshot ${verb} [NAME] [DIR]`,
      `run: ${labgenCommand('snapshot', verb, ...(verb === 'delete' ? ['NAME'] : [FRESH_SNAPSHOT]), args.name)}   (labgen snapshot list ${args.name} shows its snapshots)`);
  }
  if (verb === 'delete' && args.name === undefined) throw missingDeleteName();
  const name = verb === 'list' ? '' : checkSnapshotName(args.name ?? FRESH_SNAPSHOT);
  const { dir, lab } = readLabDir(args.dir ?? '.', ctx.reg);
  return { dir, lab, provider: ctx.reg.providers.require(lab.provider.name), name };
}

/** Runs fn holding the lab's lock and listening for Ctrl-C (its signal); the reporter is the command's display. */
async function locked<T>(ctx: CommandContext, deps: HostDeps, dir: string, verb: Verb, json: boolean, fn: (signal: AbortSignal, reporter: Reporter) => Promise<T>): Promise<T> {
  return withLabLock(dir, `snapshot ${verb}`, async () => {
    const interrupt = new AbortController();
    const off = deps.onInterrupt(() => interrupt.abort());
    try { return await fn(interrupt.signal, chooseReporter(ctx.output, json, deps.terminal, () => deps.clock.now())); } finally { off(); }
  });
}

/** Refuses (exit 2) a lab with machines that do not exist: there is nothing to snapshot or restore on them. */
function refuseUncreated(lab: ResolvedLab, dir: string, snaps: LabSnapshots, verb: Verb, alsoUnprovisioned: boolean): void {
  const bad = lab.nodes.filter((n) => snaps.states.get(n.name) === 'not_created' || (alsoUnprovisioned && !isProvisioned(dir, n.name))).map((n) => n.name);
  if (!bad.length) return;
  throw new UsageError(`${names(bad)} of ${lab.name} ${bad.length === 1 ? 'was' : 'were'} never created${alsoUnprovisioned ? ' or never finished provisioning' : ''}: there is nothing to ${verb === 'save' ? 'snapshot' : verb} there, and nothing was run`,
    `finish the lab first: labgen create <the lab file or name> --out ${shellArg(dir)}`);
}

function runJson(run: SnapshotRun): Record<string, unknown> {
  return { snapshot: run.snapshot, ms: run.ms, nodes: run.nodes.map((n) => ({ name: n.name, status: n.status, detail: n.detail || undefined, ms: n.ms, log: n.log || undefined })) };
}

/** `snapshot save [NAME] [DIR]`: a snapshot of every node; an existing one of that name only with --force. */
async function runSave(ctx: CommandContext, args: SnapshotArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const { dir, lab, provider, name } = target(ctx, 'save', args);
  await locked(ctx, deps, dir, 'save', args.json, async (signal, reporter) => {
    const snaps = await labSnapshots({ dir, lab, provider, runner: deps.runner, signal });
    if (signal.aborted) throw interrupted('nothing was saved.', []);
    refuseUncreated(lab, dir, snaps, 'save', true);
    const existing = lab.nodes.map((n) => n.name).filter((n) => snaps.snapshots.get(n)?.includes(name));
    if (existing.length && !args.force) {
      throw new UsageError(`snapshot '${name}' already exists on ${names(existing)} of ${lab.name}; nothing was saved`,
        `replace it: ${labgenCommand('snapshot', 'save', name, dir, '--force')}\nor keep it and pick another NAME (${SNAPSHOT_NAME_RULE}); ${labgenCommand('snapshot', 'list', dir)} shows the snapshots`);
    }
    const run = await printLogsOnFailure(dir, async () => {
      const r = await runSnapshots(input(deps, dir, lab, provider, reporter, signal), 'save', name, lab.nodes.map((n) => n.name), { force: Boolean(args.force) });
      const again = labgenCommand('snapshot', 'save', name, dir, '--force');
      if (signal.aborted) throw interrupted(`snapshot '${name}' may exist on some nodes only.`, [`save it again: ${again}`, `or remove it: ${labgenCommand('snapshot', 'delete', name, dir)}`]);
      const err = snapshotFailure(r, [`save it again: ${again}`]);
      if (err) throw err;
      return r;
    });
    if (args.json) { printJson(ctx.output, { lab: lab.name, dir, ...runJson(run) }); return; }
    ctx.output.out(`${lab.name}: snapshot '${name}' saved on ${plural(lab.nodes.length, 'node')} in ${formatDuration(run.ms)}. Back to it: ${labgenCommand('snapshot', 'restore', name, dir)}`);
  });
}

/** `snapshot restore [NAME] [DIR]`: every node back to the snapshot, booted if it is not running, then create's Ready wait and report. */
async function runRestore(ctx: CommandContext, args: SnapshotArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const now = () => deps.clock.now();
  const t0 = now();
  const timeoutMs = parseDuration('timeout', args.timeout ?? DEFAULT_READY_TIMEOUT);
  const intervalMs = parseDuration('poll-interval', args.pollInterval ?? '5s');
  const { dir, lab, provider, name } = target(ctx, 'restore', args);
  await locked(ctx, deps, dir, 'restore', args.json, async (signal, reporter) => {
    const snaps = await labSnapshots({ dir, lab, provider, runner: deps.runner, signal });
    if (signal.aborted) throw interrupted('nothing was restored.', []);
    refuseUncreated(lab, dir, snaps, 'restore', false);
    const all = lab.nodes.map((n) => n.name);
    const missing = all.filter((n) => !snaps.snapshots.get(n)?.includes(name));
    if (missing.length) {
      const have = all.filter((n) => !missing.includes(n));
      const usable = commonSnapshots(snaps, all);
      throw new UsageError(`snapshot '${name}' is missing on ${names(missing)} of ${lab.name}${have.length ? ` (only ${names(have)} ${have.length === 1 ? 'has' : 'have'} it)` : ''}; nothing was restored`,
        [usable.length ? `snapshots every node has: ${usable.join(', ')} (restore one: ${labgenCommand('snapshot', 'restore', usable[0]!, dir)})` : 'no snapshot exists on every node',
          `take one: ${labgenCommand('snapshot', 'save', name, dir)}${have.length ? ' --force' : ''}   (see them all: ${labgenCommand('snapshot', 'list', dir)})`].join('\n'));
    }
    const again = labgenCommand('snapshot', 'restore', name, dir);
    const boot = labgenCommand('start', dir);
    const c: RestoreContext = {
      snapshots: input(deps, dir, lab, provider, reporter, signal), name, runner: deps.runner, again, nodes: [],
      bringUp: { dir, lab, provider, runner: deps.runner, clock: deps.clock, reporter, signal, mode: 'start' },
      defaultStep: 'vagrant up --no-provision', failureHints: [`boot the rest: ${boot}`, `or restore again: ${again}`],
      interruptedHint: `boot the rest: ${boot}`,
      ready: {
        ctx, deps, lab, dir, signal, timeoutMs, intervalMs, reporter,
        retry: (timeout: string) => labgenCommand('start', dir, '--timeout', timeout),
        interruptedHint: `wait again: ${boot}\nrestore again: ${again}`,
      },
    };
    // The same runner as create and start, over restore's actions; the boot runs only for machines left stopped.
    const runner = new ActionRunner({ now, interrupted: () => signal.aborted, interruptedHint: `restore again: ${again}` });
    const actions = restoreActions();
    await printLogsOnFailure(dir, async () => {
      await runner.run(actions.restore, c);
      if (c.needsBoot) await runner.run(actions.boot, c);
      await runner.run(actions.ready, c);
      const times = { ...runner.times(), total: now() - t0 };
      reportReady(ctx, deps, args.json, { lab, dir, cluster: c.cluster!, nodes: c.nodes, times, skippedLabel: 'already running', snapshot: { name, action: 'restored' } });
    });
  });
}

/** `snapshot list [DIR]`: which snapshots each node has, and which every node has (those restore can use). */
async function runList(ctx: CommandContext, args: SnapshotArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const { dir, lab, provider } = target(ctx, 'list', args);
  // Read-only, like status: it takes no lock, so it also answers while create or restore runs.
  const interrupt = new AbortController();
  const off = deps.onInterrupt(() => interrupt.abort());
  let snaps: LabSnapshots;
  try { snaps = await labSnapshots({ dir, lab, provider, runner: deps.runner, signal: interrupt.signal }); } finally { off(); }
  if (interrupt.signal.aborted) throw new InterruptedError('every vagrant process was stopped and waited for.');
  const all = lab.nodes.map((n) => n.name);
  const created = all.filter((n) => snaps.states.get(n) !== 'not_created');
  const order: string[] = [];
  for (const n of all) for (const s of snaps.snapshots.get(n) ?? []) if (!order.includes(s)) order.push(s);
  const rows = order.map((s) => {
    const on = all.filter((n) => snaps.snapshots.get(n)?.includes(s));
    return { name: s, nodes: on, missing: all.filter((n) => !on.includes(n)), complete: on.length === all.length };
  });
  if (args.json) {
    printJson(ctx.output, { lab: lab.name, dir, snapshots: rows, nodes: all.map((n) => ({ name: n, state: snaps.states.get(n), snapshots: snaps.snapshots.get(n) ?? [] })) });
    return;
  }
  const o = ctx.output;
  o.out(`${lab.name} in ${dir}: ${plural(rows.length, 'snapshot')}${created.length < all.length ? ` (${names(all.filter((n) => !created.includes(n)))} not created)` : ''}`);
  if (!rows.length) { o.out(`Take one: ${labgenCommand('snapshot', 'save', FRESH_SNAPSHOT, dir)}`); return; }
  for (const l of table([['SNAPSHOT', 'NODES', 'RESTORE'], ...rows.map((r) => [r.name, r.complete ? `all ${all.length}` : `${names(r.nodes)} (missing on ${names(r.missing)})`, r.complete ? 'yes' : 'no'])])) o.out(`  ${l}`);
  const first = rows.find((r) => r.complete);
  if (first) o.out(`Restore: ${labgenCommand('snapshot', 'restore', first.name, dir)}`);
}

/** `snapshot delete NAME [DIR]`: removes the snapshot from every node that has it. */
async function runDelete(ctx: CommandContext, args: SnapshotArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const { dir, lab, provider, name } = target(ctx, 'delete', args);
  await locked(ctx, deps, dir, 'delete', args.json, async (signal, reporter) => {
    const snaps = await labSnapshots({ dir, lab, provider, runner: deps.runner, signal });
    if (signal.aborted) throw interrupted('nothing was deleted.', []);
    const all = lab.nodes.map((n) => n.name);
    const have = all.filter((n) => snaps.snapshots.get(n)?.includes(name));
    if (!have.length) {
      const any = [...new Set(all.flatMap((n) => snaps.snapshots.get(n) ?? []))];
      throw new UsageError(`no node of ${lab.name} has a snapshot '${name}'; nothing was deleted`, any.length ? `its snapshots: ${any.join(', ')} (${labgenCommand('snapshot', 'list', dir)})` : `it has no snapshots (${labgenCommand('snapshot', 'list', dir)})`);
    }
    const run = await printLogsOnFailure(dir, async () => {
      const r = await runSnapshots(input(deps, dir, lab, provider, reporter, signal), 'delete', name, have, { skip: (n) => snaps.states.get(n) === 'not_created' ? 'not created' : `has no snapshot '${name}'` });
      const again = labgenCommand('snapshot', 'delete', name, dir);
      if (signal.aborted) throw interrupted(`snapshot '${name}' may be left on some nodes.`, [`delete again: ${again}`]);
      const err = snapshotFailure(r, [`delete again: ${again}`]);
      if (err) throw err;
      return r;
    });
    if (args.json) { printJson(ctx.output, { lab: lab.name, dir, ...runJson(run) }); return; }
    const left = all.filter((n) => !have.includes(n));
    ctx.output.out(`${lab.name}: snapshot '${name}' deleted on ${plural(have.length, 'node')} in ${formatDuration(run.ms)}${left.length ? ` (${names(left)} had none)` : ''}`);
  });
}

/** yargs leaves the words after `--` in `_` and fills no positional from them: `labgen snapshot save -- -x DIR` must not
 * quietly save labgen-fresh in the current directory. They fill NAME and DIR in order; one too many is a usage error. */
function withEnded(command: string, a: SnapshotArgs & { _?: unknown[] }): SnapshotArgs {
  const extra = (a._ ?? []).slice(2).map(String);
  if (!extra.length) return a;
  const slots = command.split(' ').slice(1).map((w) => w.replace(/[[\]<>]/g, '') as 'name' | 'dir');
  const out: SnapshotArgs = { ...a };
  for (const slot of slots) if (out[slot] === undefined && extra.length) out[slot] = extra.shift();
  if (extra.length) throw new UsageError(`labgen snapshot ${command.split(' ')[0]} takes ${slots.map((x) => x.toUpperCase()).join(' and ')}; ${extra.map((x) => JSON.stringify(x)).join(' ')} is one too many`, 'run labgen snapshot --help for usage');
  return out;
}

const DIR = { type: 'string', describe: 'the lab directory (default: the current one)' } as const;
const NAME_HELP = `the snapshot (${SNAPSHOT_NAME_RULE})`;
const json = { type: 'boolean', default: false, describe: 'print a JSON summary (progress as JSON lines on stderr)' } as const;

/** The snapshot command and its four subcommands. */
export function snapshotCommand(ctx: CommandContext): CommandModule<object, object> {
  const sub = (command: string, describe: string, builder: (y: Argv) => Argv, handler: (c: CommandContext, args: SnapshotArgs) => Promise<void>): CommandModule<object, SnapshotArgs> =>
    ({ command, describe, builder: (y) => builder(y) as unknown as Argv<SnapshotArgs>, handler: (a) => handler(ctx, withEnded(command, a)) });
  return {
    command: 'snapshot <command>',
    describe: 'Save, restore, list and delete snapshots of every VM of a lab; restore waits for Ready like create',
    builder: (y) => y
      .command(sub('save [name] [dir]', `Snapshot every VM (NAME default: ${FRESH_SNAPSHOT}); running VMs are snapshotted live`, (s) => s
        .positional('name', { type: 'string', describe: `${NAME_HELP}; default ${FRESH_SNAPSHOT}` })
        .positional('dir', DIR)
        .option('force', { type: 'boolean', default: false, describe: 'replace a snapshot of that name' })
        .option('json', json)
        .example(`$0 snapshot save before-upgrade flannel-4node`, 'keep the lab as it is now')
        .epilogue('Every node must exist and be provisioned. Each VM is snapshotted by its own `vagrant snapshot save` at once where the provider allows it; a VM that is running is snapshotted running (memory included), so a restore brings it back running.'), runSave))
      .command(sub('restore [name] [dir]', `Put every VM back to a snapshot (NAME default: ${FRESH_SNAPSHOT}), boot what is not running, wait until the cluster is Ready`, (s) => s
        .positional('name', { type: 'string', describe: `${NAME_HELP}; default ${FRESH_SNAPSHOT}, the one create --snapshot takes` })
        .positional('dir', DIR)
        .option('timeout', { type: 'string', default: DEFAULT_READY_TIMEOUT, describe: 'how long to wait for Ready after the restore (900, 90s, 15m)' })
        .option('poll-interval', { type: 'string', default: '5s', describe: 'how often to ask the API while waiting for Ready' })
        .option('json', json)
        .example('$0 snapshot restore', `the lab in this directory back to the fresh cluster of create --snapshot`)
        .example('$0 snapshot restore before-upgrade flannel-4node', 'back to a snapshot you saved')
        .epilogue('Every node must have the snapshot; if one lacks it, nothing is restored and the message names it. Runs `vagrant snapshot restore --no-provision` per VM (no provisioner runs), boots a VM the snapshot left stopped (`vagrant up --no-provision`), then waits for Ready and prints the same report as create.'), runRestore))
      .command(sub('list [dir]', 'Show each snapshot and which VMs have it', (s) => s
        .positional('dir', DIR)
        .option('json', json), runList))
      // NAME is required, and --help says so (`<name>`): yargs demands it. yargs fills no demanded positional from the
      // words after `--`, so `delete -- NAME` is refused too; that loses nothing, since no snapshot name starts with "-".
      // This command's own fail handler runs before the top level's and names NAME and the fix, as labgen's check did.
      .command(sub('delete <name> [dir]', 'Delete a snapshot from every VM that has it', (s) => s
        .positional('name', { type: 'string', describe: NAME_HELP })
        .positional('dir', DIR)
        .option('json', json)
        .fail((msg, err) => { throw err ?? (/^Not enough non-option arguments/.test(msg) ? missingDeleteName() : new UsageError(msg, 'run labgen snapshot delete --help for usage')); }), runDelete))
      .demandCommand(1, 'name a snapshot command: save, restore, list or delete (labgen snapshot --help)')
      .epilogue(`NAME: ${SNAPSHOT_NAME_RULE}. labgen create --snapshot saves ${FRESH_SNAPSHOT} right after Ready; labgen snapshot restore (no NAME) returns to it. labgen destroy removes the VMs with their snapshots.`),
    handler: () => {},
  };
}
