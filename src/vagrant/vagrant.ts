// The vagrant commands labgen runs, each one call through the injected Runner, with the flags in one place.
import { machineStates } from './machine-readable.js';
import type { RunOptions, RunResult, Runner } from '../host/process.js';

/** `vagrant status --machine-readable` in a lab directory: each machine's state (throws nothing; check .result). */
export async function vagrantStatus(runner: Runner, dir: string): Promise<{ result: RunResult; states: Map<string, { state: string; provider: string }> }> {
  const result = await runner.run('vagrant', ['status', '--machine-readable'], { cwd: dir });
  return { result, states: machineStates(result.stdout) };
}

/**
 * How `vagrant up` treats provisioners: `force` re-runs them (`--provision`), `never` skips them (`--no-provision`:
 * booting a provisioned lab again), `default` lets Vagrant run them only on a machine's first boot.
 */
export type UpProvision = 'force' | 'never' | 'default';

/**
 * `vagrant up` for some machines, always with `--provider=<the lab's provider>`: `up` is the one command that creates
 * machines, and without the flag VAGRANT_DEFAULT_PROVIDER would decide (vagrant's plugins/commands/up/command.rb:
 * `--provider PROVIDER`, "Back the machine with a specific provider"; halt, reload and ssh never create one).
 */
export function vagrantUp(runner: Runner, dir: string, machines: string[], opts: { provider: string; provision: UpProvision; parallel: boolean }, run: RunOptions): Promise<RunResult> {
  const provision = { force: ['--provision'], never: ['--no-provision'], default: [] }[opts.provision];
  // Machine names after `--`, so none is read as an option (Vagrant 2.3.4: `vagrant up -- --bogus` answers "The machine
  // with the name '--bogus' was not found").
  const args = ['up', '--no-color', `--provider=${opts.provider}`, ...provision, ...(opts.parallel ? ['--parallel'] : []), '--', ...machines];
  return runner.run('vagrant', args, { ...run, cwd: dir });
}

/** `vagrant halt` for some machines (vagrant's halt has no --parallel: it halts the machines it is given in turn). */
export function vagrantHalt(runner: Runner, dir: string, machines: string[], run: RunOptions = {}): Promise<RunResult> {
  return runner.run('vagrant', ['halt', '--no-color', '--', ...machines], { ...run, cwd: dir });
}

/** `vagrant ssh <machine> -c <command>`: output is returned, never logged (it may hold secrets). */
export function vagrantSsh(runner: Runner, dir: string, machine: string, command: string, signal?: AbortSignal): Promise<RunResult> {
  return runner.run('vagrant', ['ssh', machine, '--no-tty', '-c', command], { cwd: dir, signal });
}

/** `vagrant destroy -f` for some machines (`--parallel` where the provider brings machines up in parallel).
 * Machine names come after `--`, so none is ever read as an option (vagrant's bin/vagrant and OptionParser both end
 * options there: `vagrant destroy -f -- --provider=x` answers "The machine with the name '--provider=x' was not
 * found", checked with Vagrant 2.3.4). */
export function vagrantDestroy(runner: Runner, dir: string, machines: string[], parallel: boolean, run: RunOptions = {}): Promise<RunResult> {
  return runner.run('vagrant', ['destroy', '-f', '--no-color', ...(parallel ? ['--parallel'] : []), '--', ...machines], { ...run, cwd: dir });
}

/** A version like `2.4.3` from `Vagrant 2.4.3` or `7.1.4r165100`. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Compares versions; negative when a < b. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * `vagrant snapshot list --machine-readable` for one machine (parse with snapshot-list.ts). Vagrant 2.3.4's snapshot
 * subcommands take `[vm-name] <name>` and end their options at `--` (checked: `vagrant snapshot list -- master`).
 */
export function vagrantSnapshotList(runner: Runner, dir: string, machine: string, run: RunOptions = {}): Promise<RunResult> {
  return runner.run('vagrant', ['snapshot', 'list', '--machine-readable', '--', machine], { ...run, cwd: dir });
}

/**
 * `vagrant snapshot save|restore|delete -- <machine> <name>` (names are checked by lifecycle/snapshot-name.ts first).
 * save: `--force` replaces an existing snapshot (vagrant deletes it, then saves). restore: `--no-provision`, so no
 * provisioner runs when a provider boots the machine after restoring it (some halt, restore, then start unless
 * `--no-start`; others only revert the machine to the snapshot's state, running or shut off: src/providers/*).
 */
export function vagrantSnapshot(runner: Runner, dir: string, verb: 'save' | 'restore' | 'delete', machine: string, name: string, opts: { force?: boolean }, run: RunOptions = {}): Promise<RunResult> {
  const flags = verb === 'save' ? (opts.force ? ['--force'] : []) : verb === 'restore' ? ['--no-provision'] : [];
  return runner.run('vagrant', ['snapshot', verb, '--no-color', ...flags, '--', machine, name], { ...run, cwd: dir });
}
