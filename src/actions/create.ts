// create as ordered actions over one context: check the host, render (or take the lab directory as it is), bring every
// machine up, fetch the kubeconfig, wait for Ready. The runner times each one; the command only wires and reports.
import type { CommandContext } from '../context.js';
import { failed, formatChecks, HostCheckError } from '../doctor/check.js';
import { vagrantHome } from '../io/vagrant-index.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { vagrantCheck } from '../doctor/vagrant-check.js';
import type { HostDeps } from '../host/deps.js';
import type { ResolvedLab } from '../lab/types.js';
import type { PreparedLab } from '../pipeline/prepare.js';
import { renderToDisk, type RenderOptions } from '../pipeline/render-to-disk.js';
import type { Provider } from '../providers/types.js';
import { bringUpAction, type BringUpContext } from './bring-up.js';
import { fetchKubeconfigAction, waitReadyAction, type ReadyContext } from './ready.js';
import { saveFreshSnapshot } from '../lifecycle/snapshots.js';
import type { Action } from './runner.js';

/** The context every create action shares. */
export interface CreateContext extends BringUpContext, ReadyContext {
  cmd: CommandContext;
  deps: HostDeps;
  /** The lab as given (a name, a file, or a lab directory), for hints. */
  ref: string;
  render: RenderOptions;
  json: boolean;
  lab: ResolvedLab;
  dir: string;
  provider: Provider;
  /** Set when create renders the lab; absent for a lab directory brought up as it is. */
  prepared?: PreparedLab;
  /** The snapshot --snapshot saved. */
  snapshot?: string;
}

/** Every host check (labgen doctor); a failed one stops create before anything is written. */
export const doctorAction: Action<CreateContext> = {
  name: 'doctor',
  timesKey: 'doctor',
  async execute(c) {
    const checks = await runDoctor({ provider: c.provider.name, lab: c.lab, dir: c.dir, runner: c.deps.runner, probe: c.deps.probe, reg: c.cmd.reg, vagrantHome: vagrantHome(c.cmd.env) });
    if (failed(checks).length) throw new HostCheckError(checks, `nothing was written. Fix the above (labgen doctor ${c.ref} shows every check), or add --skip-doctor to try anyway.`);
    if (!c.json) {
      const o = c.cmd.output;
      o.out(`Host checks passed (${checks.filter((x) => x.status === 'pass').length} pass, ${checks.filter((x) => x.status === 'warn').length} warn)`);
      for (const line of formatChecks(checks.filter((x) => x.status === 'warn'))) o.out(line);
    }
  },
};

/** With --skip-doctor: the one check never skipped, since without vagrant nothing can run (so nothing is written either). */
export const vagrantCheckAction: Action<CreateContext> = {
  name: 'vagrant check',
  async execute(c) {
    const { check } = await vagrantCheck(c.deps.runner);
    if (check.status === 'fail') throw new HostCheckError([check], 'nothing was written: create cannot run without vagrant, even with --skip-doctor.');
  },
};

/** Renders the lab and writes it once into its directory. */
export const renderAction: Action<CreateContext> = {
  name: 'render',
  timesKey: 'render',
  async execute(c) {
    renderToDisk(c.render, c.cmd.reg, c.cmd.extraRenderers, { command: 'create' });
    if (!c.json) {
      for (const n of c.prepared?.notices ?? []) c.cmd.output.err(`note: ${n}`);
      c.cmd.output.out(`Rendered ${c.lab.name} (${c.lab.nodes.length} nodes, ${c.lab.os.box}, ${c.lab.cni.summary}, ${c.provider.name}) into ${c.dir}`);
    }
  },
};

/** `labgen create DIR`: the lab directory is brought up as it was rendered. */
export const useLabDirAction: Action<CreateContext> = {
  name: 'use the lab directory',
  async execute(c) {
    if (!c.json) c.cmd.output.out(`Using the lab directory ${c.dir} as rendered (${c.lab.name}: ${c.lab.nodes.length} nodes, ${c.lab.os.box}, ${c.lab.cni.summary}, ${c.provider.name})`);
  },
};

/** The actions before the lab exists (a failure here leaves nothing written), in order. */
export function prepareActions(o: { skipDoctor: boolean; render: boolean }): Action<CreateContext>[] {
  return [o.skipDoctor ? vagrantCheckAction : doctorAction, o.render ? renderAction : useLabDirAction];
}

/** --snapshot: labgen-fresh of every node right after Ready, for `labgen snapshot restore` (src/lifecycle/snapshots.ts). */
export const freshSnapshotAction: Action<CreateContext> = {
  name: 'snapshot',
  timesKey: 'snapshot',
  async execute(c) {
    c.snapshot = await saveFreshSnapshot(c.deps, c.dir, c.lab, c.provider, c.bringUp.reporter, c.bringUp.signal);
  },
};

/** The actions once the lab exists (a failure here also names the logs command), in order. */
export function upActions(o: { snapshot?: boolean } = {}): Action<CreateContext>[] {
  return [bringUpAction('bring-up'), fetchKubeconfigAction, waitReadyAction, ...(o.snapshot ? [freshSnapshotAction] : [])];
}
