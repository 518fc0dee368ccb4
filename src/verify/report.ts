// The record a verify or demo run leaves in its directory (verify.json / demo.json): what compare and graph read back.
import type { FileAnalysis } from '../capture/analysis.js';
import type { Explanation } from '../explain/explain.js';
import type { RunState } from '../explain/state.js';
import type { WireEncapsulation } from '../lab/types.js';
import type { PingResult } from './plan.js';
import type { CapturePoint, CaptureWhere, PingPair, PodInfo, Scenario, ServiceTarget, Verdict } from './verdict.js';

/** File names of a run's record, by kind. */
export const RUN_RECORDS = { verify: 'verify.json', demo: 'demo.json' } as const;

/** One run, as written to its directory. */
export interface RunReport {
  kind: 'verify' | 'demo';
  lab: string;
  /** Where the run was made: the lab directory (verify) or the lab file (demo). */
  dir: string;
  captures: string;
  /** The CNI's summary, plugin name and wire format. */
  cni: string;
  plugin: string;
  encapsulation: WireEncapsulation;
  scenario: Scenario;
  ok: boolean;
  pods: PodInfo[];
  pair: PingPair;
  service?: ServiceTarget;
  where: CaptureWhere;
  ifaces: Record<CapturePoint, { node: string; iface: string }>;
  podSlices: { node: string; podCidr: string }[];
  files: Partial<Record<CapturePoint, string>>;
  analyses: Partial<Record<CapturePoint, FileAnalysis>>;
  /** Captures fetched but unreadable (or not fetched), by point: the file and why; the other points stand. */
  unreadable?: Partial<Record<CapturePoint, string>>;
  /** The ping's output (cross-node, same-node) or the TCP client's (service). */
  ping: string;
  /** What the ping (or TCP client) itself reported: sent, answered, loss, round-trip times (judged in verdict.ping). */
  pingResult?: PingResult;
  verdict: Verdict;
  explanation: Explanation;
  /** The raw outputs the explanation was made from, kept so it can be checked and re-made. */
  state: RunState;
  /** Demo only: how IP-in-IP was made when the kernel has no ipip module. */
  ipipStandIn?: string;
}
