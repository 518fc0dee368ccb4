// The action that brings every machine up (create) or boots it again (start), shared by both; failures name the node.
import { bringUp, type BringUpInput, type BringUpResult } from '../create/bring-up.js';
import { InterruptedError } from '../errors.js';
import { readSecrets } from '../io/write-project.js';
import { bringUpError, firstBad } from '../lifecycle/bring-up-failure.js';
import { withEnv } from '../host/process.js';
import type { Action } from './runner.js';

/** What bring-up reads, and what it leaves for the report. */
export interface BringUpContext {
  /** bringUp's input except the secrets, which the action reads from the lab directory when it runs. */
  bringUp: Omit<BringUpInput, 'secrets'>;
  /** The step a failure names when the node's own is unknown (`vagrant up`, `vagrant up --no-provision`). */
  defaultStep: string;
  /** Lines after a node's failure (resume, status). */
  failureHints: string[];
  /** Lines after `interrupted` when Ctrl-C stops the machines (how to resume). */
  interruptedHint: string;
  up?: BringUpResult;
  /**
   * Runs bring-up inside something that must live exactly as long (create's download cache, src/cache/): it gets the
   * environment the vagrant processes need. Absent: bring-up runs as it is.
   */
  around?: (body: (env: Record<string, string>) => Promise<BringUpResult>) => Promise<BringUpResult>;
}

/** Runs bring-up; a failed node ends the run (exit 1, its step, log and last lines), Ctrl-C ends it with 130. */
export function bringUpAction(timesKey: string): Action<BringUpContext> {
  return {
    name: 'bring-up',
    timesKey,
    async execute(c) {
      const token = readSecrets(c.bringUp.dir)?.bootstrapToken;
      const run = (env: Record<string, string>) => bringUp({ ...c.bringUp, runner: withEnv(c.bringUp.runner, env), secrets: token ? [token] : [] });
      const up = c.around ? await c.around(run) : await run({});
      c.up = up;
      if (c.bringUp.signal.aborted) throw new InterruptedError(`every vagrant process was stopped and waited for.\n${c.interruptedHint}`);
      const bad = firstBad(up);
      if (bad) throw bringUpError(up, bad, c.defaultStep, c.failureHints);
    },
  };
}
