// The one runner for ordered actions (as kind's pkg/cluster/internal/create/actions): each action is a small unit with
// one execute over a shared context; the runner alone times them, stops at the first failure naming it, and stops
// before the next one after Ctrl-C. create and verify both run through it, so reports and --json read one timeline.
import { InterruptedError, LabgenError, StepFailedError } from '../errors.js';

/** One unit of an ordered list: a name (for errors and the timeline) and one execute over the shared context. */
export interface Action<C> {
  /** What it does, as a failure names it (`doctor`, `bring-up`, `deploy the test workload`). */
  readonly name: string;
  /** The node it works on, when one (a failure names it). */
  readonly node?: string;
  /** The key its time is reported under (create's `Times:` line and --json `times`); absent: on the timeline only. */
  readonly timesKey?: string;
  /**
   * Runs even after an earlier action failed or the user interrupted (verify's clean-up: this run's captures stopped,
   * the test workload removed). The run still ends with the first error; one an `always` action throws after it is
   * recorded on the timeline, never in its place.
   */
  readonly always?: boolean;
  execute(ctx: C): Promise<void>;
}

/** How an action or step ended. */
export type ActionOutcome = 'done' | 'failed' | 'interrupted';

/** One entry of the timeline: an action (depth 0) or a named step inside one (depth 1). */
export interface ActionRecord {
  name: string;
  node?: string;
  timesKey?: string;
  depth: 0 | 1;
  start: number;
  end: number;
  ms: number;
  outcome: ActionOutcome;
  /** The failure's message, for a failed entry. */
  error?: string;
}

/** What the runner needs: a clock, whether the user interrupted, and how failures are named. */
export interface RunnerOptions {
  now(): number;
  /** Whether the user interrupted (Ctrl-C): no further action or step starts. */
  interrupted(): boolean;
  /** The error thrown when an interrupt stops the run before `at` (default: InterruptedError, exit 130). */
  interruptError?(at: string): Error;
  /** Prefix of the step name in a failure that is not already a labgen error (verify's `verify: `). */
  stepPrefix?: string;
  /** Hint for the default interrupt error (how to resume). */
  interruptedHint?: string;
}

/** An interrupt that stopped a run before the named action or step; exit 130 like every InterruptedError. */
export class ActionInterrupted extends InterruptedError {
  constructor(readonly at: string, hint: string) { super(hint); }
}

/** Runs ordered actions and the named steps inside them, recording each one's start, end and outcome. */
export class ActionRunner {
  readonly records: ActionRecord[] = [];
  private depth: 0 | 1 = 0;

  constructor(private readonly opts: RunnerOptions) {}

  /**
   * Runs the actions in order over ctx; throws at the first failure (a LabgenError naming the action) or interrupt.
   * After one, the remaining actions do not start, except those marked `always`, which run in order before it is thrown.
   */
  async run<C>(actions: readonly Action<C>[], ctx: C): Promise<void> {
    let first: { error: unknown } | undefined;
    for (const a of actions) {
      if (first && !a.always) continue;
      try { await this.timed(a.name, a.node, a.timesKey, () => a.execute(ctx), a.always === true); } catch (e) { first ??= { error: e }; }
    }
    if (first) throw first.error;
  }

  /** A named step inside an action (verify's `find the pod's veth` on a node): timed, named on failure, refused after an interrupt. */
  step<T>(name: string, node: string | undefined, fn: () => Promise<T>): Promise<T> {
    return this.timed(name, node, undefined, fn);
  }

  /** Milliseconds per times key, in the order the actions ran (what create's `Times:` and --json `times` print). */
  times(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) if (r.depth === 0 && r.timesKey !== undefined) out[r.timesKey] = (out[r.timesKey] ?? 0) + r.ms;
    return out;
  }

  /** The failed entry, if one: the action (or its failed step) a run stopped at. */
  failed(): ActionRecord | undefined { return this.records.find((r) => r.outcome === 'failed'); }

  private interruptError(at: string): Error {
    return this.opts.interruptError?.(at) ?? new ActionInterrupted(at, this.opts.interruptedHint ?? `stopped before ${at}`);
  }

  private async timed<T>(name: string, node: string | undefined, timesKey: string | undefined, fn: () => Promise<T>, always = false): Promise<T> {
    if (!always && this.opts.interrupted()) throw this.interruptError(name);
    const depth = this.depth;
    const start = this.opts.now();
    const record: ActionRecord = { name, ...(node !== undefined ? { node } : {}), ...(timesKey !== undefined ? { timesKey } : {}), depth, start, end: start, ms: 0, outcome: 'done' };
    this.records.push(record);
    const close = (outcome: ActionOutcome, error?: string) => {
      record.end = this.opts.now();
      record.ms = record.end - record.start;
      record.outcome = outcome;
      if (error !== undefined) record.error = error;
    };
    this.depth = 1;
    try {
      const value = await fn();
      close('done');
      return value;
    } catch (e) {
      const interrupted = this.opts.interrupted();
      if (e instanceof InterruptedError || (interrupted && !(e instanceof LabgenError))) { close('interrupted'); throw e instanceof InterruptedError ? e : this.interruptError(name); }
      if (e instanceof LabgenError) { close('failed', e.message); throw e; }
      // Not a labgen error: a plain failure of this action or step, named here with its node.
      const message = e instanceof Error ? e.message : String(e);
      close('failed', message);
      throw new StepFailedError(`${this.opts.stepPrefix ?? ''}${name}`, node, undefined, message);
    } finally {
      this.depth = depth;
    }
  }
}
