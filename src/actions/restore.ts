// `labgen snapshot restore` as ordered actions: put every machine back to the snapshot, see which machines run, boot
// the rest without provisioning (bring-up's own action), then create's and start's Ready actions. The runner times each.
import type { NodeOutcome } from '../create/bring-up.js';
import { StepFailedError } from '../errors.js';
import { firstLine } from '../host/process.js';
import type { Runner } from '../host/process.js';
import { labgenCommand } from '../lifecycle/hints.js';
import { runSnapshots, snapshotFailure, snapshotsInterrupted, type SnapshotInput } from '../lifecycle/snapshots.js';
import { isRunning } from '../vagrant/machine-readable.js';
import { vagrantStatus } from '../vagrant/vagrant.js';
import { bringUpAction, type BringUpContext } from './bring-up.js';
import { fetchKubeconfigAction, waitReadyAction, type ReadyContext } from './ready.js';
import type { Action } from './runner.js';

/** What the restore actions share; `nodes` is the report's per-node outcome (restore, and boot when one ran). */
export interface RestoreContext extends BringUpContext, ReadyContext {
  snapshots: SnapshotInput;
  /** The snapshot restored. */
  name: string;
  /** Runs vagrant status after the restore. */
  runner: Runner;
  /** The command that restores again (hints). */
  again: string;
  nodes: NodeOutcome[];
  /** Set by the status action: whether some machine is not running after the restore. */
  needsBoot?: boolean;
}

/** `vagrant snapshot restore --no-provision` on every machine; a failed one ends the run naming it, its log and the others. */
export const restoreSnapshotAction: Action<RestoreContext> = {
  name: 'restore the snapshot',
  timesKey: 'restore',
  async execute(c) {
    const all = c.snapshots.lab.nodes.map((n) => n.name);
    const run = await runSnapshots(c.snapshots, 'restore', c.name, all);
    if (c.snapshots.signal.aborted) throw snapshotsInterrupted('some nodes may be restored and others not.', [`restore again: ${c.again}`]);
    const err = snapshotFailure(run, [`restore again: ${c.again}`, `see each VM: ${labgenCommand('status', c.snapshots.dir)}`]);
    if (err) throw err;
    c.nodes = run.nodes.map((n) => ({ name: n.name, status: 'done', log: n.log, tail: [], times: { restore: n.ms }, ms: n.ms }));
  },
};

/** Which machines run after the restore: some providers boot each VM again after restoring it, others leave a machine as
 * it was snapshotted (a snapshot of a shut-off machine restores shut off). */
export const restoredStateAction: Action<RestoreContext> = {
  name: 'vagrant status',
  async execute(c) {
    const st = await vagrantStatus(c.runner, c.snapshots.dir);
    if (st.result.exitCode !== 0) throw new StepFailedError('vagrant status', undefined, undefined, st.result.notFound ? 'vagrant is not on PATH (labgen doctor)' : firstLine(st.result));
    c.needsBoot = c.snapshots.lab.nodes.some((n) => !isRunning(st.states.get(n.name)?.state));
  },
};

/** Boots what the restore left stopped (`vagrant up --no-provision`, start's bring-up), adding each node's boot time. */
export const bootRestoredAction: Action<RestoreContext> = {
  name: 'bring-up',
  timesKey: 'boot',
  async execute(c) {
    await bringUpAction('boot').execute(c);
    for (const u of c.up?.nodes ?? []) {
      const n = c.nodes.find((x) => x.name === u.name);
      if (n && u.status === 'done') { n.times = { ...n.times, boot: u.ms }; n.ms += u.ms; }
    }
  },
};

/** The restore's actions in order; the boot only when the status action found a machine that is not running. */
export function restoreActions(): { restore: Action<RestoreContext>[]; boot: Action<RestoreContext>[]; ready: Action<RestoreContext>[] } {
  return { restore: [restoreSnapshotAction, restoredStateAction], boot: [bootRestoredAction], ready: [fetchKubeconfigAction, waitReadyAction] };
}
