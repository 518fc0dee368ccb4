// Polls the cluster until it is Ready, the timeout passes, or the user interrupts.
import type { CniReadiness } from '../cni/types.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Runner } from '../vagrant/runner.js';
import type { Clock } from './clock.js';
import type { K8sEvent } from './k8s-types.js';
import { recentEvents, snapshotCluster } from './kubectl.js';
import { evaluateReadiness, type ClusterSnapshot, type NotReady } from './readiness.js';

/** How a wait ended. */
export type WaitResult =
  | { outcome: 'ready'; snapshot: ClusterSnapshot; ms: number }
  | { outcome: 'timeout' | 'interrupted'; snapshot: ClusterSnapshot; notReady: NotReady[]; events: K8sEvent[]; ms: number };

/** What the wait needs. */
export interface WaitInput {
  runner: Runner; clock: Clock; kubeconfig: string; lab: ResolvedLab; cni: CniReadiness;
  timeoutMs: number; intervalMs: number; signal: AbortSignal;
  /** Called after each probe with what is still not ready. */
  onProbe?(notReady: NotReady[]): void;
}

/** Waits for Ready. */
export async function waitReady(w: WaitInput): Promise<WaitResult> {
  const t0 = w.clock.now();
  for (;;) {
    // The signal reaches every kubectl of the probe: Ctrl-C stops the one running now (not after its
    // --request-timeout, several of them in a row), and a probe cut short is never judged.
    const snapshot = await snapshotCluster(w.runner, w.kubeconfig, w.cni, w.signal);
    if (w.signal.aborted) return { outcome: 'interrupted', snapshot, notReady: [], events: [], ms: w.clock.now() - t0 };
    const notReady = evaluateReadiness(w.lab, snapshot);
    w.onProbe?.(notReady);
    const ms = w.clock.now() - t0;
    if (notReady.length === 0) return { outcome: 'ready', snapshot, ms };
    if (w.signal.aborted) return { outcome: 'interrupted', snapshot, notReady, events: [], ms };
    if (ms >= w.timeoutMs) {
      const events = snapshot.apiError ? [] : await recentEvents(w.runner, w.kubeconfig, w.signal);
      return { outcome: 'timeout', snapshot, notReady, events, ms };
    }
    await w.clock.sleep(Math.min(w.intervalMs, Math.max(1, w.timeoutMs - ms)), w.signal);
    if (w.signal.aborted) return { outcome: 'interrupted', snapshot, notReady, events: [], ms: w.clock.now() - t0 };
  }
}

/** The last few events about the objects that are not ready, newest last, as lines. */
export function explainNotReady(notReady: NotReady[], events: K8sEvent[], perObject = 3): string[] {
  const lines: string[] = [];
  for (const n of notReady) {
    lines.push(`  ${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}: ${n.reason}`);
    const mine = events
      .filter((e) => e.involvedObject?.name === n.name && (n.namespace === undefined || e.involvedObject?.namespace === undefined || e.involvedObject.namespace === n.namespace))
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
      .slice(-perObject);
    for (const e of mine) lines.push(`      event ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`.trimEnd());
  }
  return lines;
}
