// The verify run: deploy the workload, capture at A-D while one pod pings another, fetch, analyze, judge, clean up, as
// ordered actions (src/verify/actions.ts) run by the one action runner create and start use (src/actions/runner.ts).
import { UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';
import { ActionRunner, type ActionRecord } from '../actions/runner.js';
import type { PackageManager } from './plan.js';
import type { OsFamily } from '../os/types.js';
import { verifyActions, type VerifyContext } from './actions.js';
import { VerifyInterrupted, type VerifyDeps, type VerifyOptions, type VerifyResult } from './verify-types.js';

export { LISTEN_POLL_MS, LISTEN_TIMEOUT_MS, PEER_POD, SERVICE, VerifyInterrupted, type VerifyDeps, type VerifyOptions, type VerifyResult } from './verify-types.js';

/** The package manager verify installs tcpdump with, as the lab's OS family plugin names it; a family that names none
 * is an error with the fix before anything runs (never a guess from the family's name). */
export function packageManagerOf(lab: ResolvedLab, family: Pick<OsFamily, 'name' | 'packageManager'> | undefined): PackageManager {
  const pm = family?.packageManager ?? lab.os.packageManager;
  if (pm) return pm;
  throw new UsageError(`verify cannot install tcpdump on ${lab.name}'s nodes: OS family "${lab.os.family}" names no package manager`,
    family
      ? `fix: the family's plugin (src/os/${lab.os.family}/) must set packageManager ('apt' or 'dnf'); meanwhile install tcpdump on the nodes yourself (vagrant ssh NODE)`
      : `fix: this labgen has no OS family "${lab.os.family}"; use the labgen that rendered the lab, or render it again (labgen render LAB --out DIR)`);
}

/** Replays the article's experiment on a running lab: its actions in order over one context, clean-up always. `timeline`
 * receives the runner's records (each action and named step, with its outcome), also when the run fails. */
export async function runVerify(lab: ResolvedLab, template: TemplateFn, deps: VerifyDeps, opts: VerifyOptions, timeline?: (records: readonly ActionRecord[]) => void): Promise<VerifyResult> {
  if (lab.workers.length < 2) throw new UsageError(`verify needs two workers to ping between; ${lab.name} has ${lab.workers.length}`, 'add a worker to the lab');
  const pm = packageManagerOf(lab, opts.family);
  const runner = new ActionRunner({ now: () => deps.now(), interrupted: () => deps.interrupted(), interruptError: () => new VerifyInterrupted(), stepPrefix: 'verify: ' });
  const c: VerifyContext = {
    lab, template, deps, opts, pm, step: (name, node, fn) => runner.step(name, node, fn), replicas: Math.min(3, lab.workers.length), deployed: false,
    cleanups: [], remoteCleanups: [], scenario: opts.scenario ?? 'cross-node', files: {}, analyses: {}, unreadable: {},
  };
  try {
    await runner.run(verifyActions(), c);
  } finally {
    timeline?.(runner.records);
  }
  if (!c.result) throw new Error('internal: verify ended without a result');
  return c.result;
}
