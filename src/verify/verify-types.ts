// What a verify run needs and finds, shared by its actions (src/verify/actions.ts) and the command that wires them.
import type { FileAnalysis } from '../capture/analysis.js';
import type { Explanation } from '../explain/explain.js';
import type { RunState } from '../explain/state.js';
import type { OsFamily } from '../os/types.js';
import type { PingResult } from './plan.js';
import type { CapturePoint, CaptureWhere, PingPair, PodInfo, Scenario, ServiceTarget, Verdict } from './verdict.js';

/** What verify needs from the outside world; the command wires it to vagrant/kubectl, tests to fakes. */
export interface VerifyDeps {
  /** Runs host kubectl against the lab's kubeconfig; resolves stdout, rejects with the command's output.
   * `cleanup` calls run even after an interrupt (removing the test workload). */
  kubectl(args: string[], input?: string, opts?: { cleanup?: boolean }): Promise<string>;
  /** Runs a shell command on a node (vagrant ssh NODE -c CMD); resolves stdout. `cleanup` calls run even after an
   * interrupt (stopping this run's captures and removing its remote files). */
  ssh(node: string, command: string, opts?: { cleanup?: boolean }): Promise<string>;
  /** Writes a fetched capture into the run's directory; returns its path. */
  saveCapture(point: CapturePoint, data: Buffer): Promise<string>;
  analyze(path: string): Promise<FileAnalysis>;
  sleep(ms: number): Promise<void>;
  /** Milliseconds on the run's clock (bounds the wait for the captures to listen). */
  now(): number;
  /** Progress lines (the command decides how to show them). */
  progress(line: string): void;
  /** Whether the user interrupted (Ctrl-C): the run stops at the next step and cleans up. */
  interrupted(): boolean;
}

/** Options of one run. */
export interface VerifyOptions {
  pings: number; keep: boolean; rolloutTimeoutSeconds: number; captureSeconds: number; scenario?: Scenario;
  /** The lab's OS family plugin, asked for its package manager (tcpdump is installed with it). */
  family?: Pick<OsFamily, 'name' | 'packageManager'>;
  /** The run's token in its remote file names (default: random). */
  token?: string;
  /** How long tcpdump may take to say it is listening (default LISTEN_TIMEOUT_MS). */
  listenTimeoutMs?: number;
}

/** How long each tcpdump may take to report it is listening before the run fails naming it. */
export const LISTEN_TIMEOUT_MS = 30_000;
/** How often verify asks the nodes whether their captures listen yet. */
export const LISTEN_POLL_MS = 250;

/** Everything a run found, for text and --json. */
export interface VerifyResult { scenario: Scenario; pods: PodInfo[]; pair: PingPair; service?: ServiceTarget; where: CaptureWhere; ifaces: Record<CapturePoint, { node: string; iface: string }>; podSlices: { node: string; podCidr: string }[]; files: Partial<Record<CapturePoint, string>>; analyses: Partial<Record<CapturePoint, FileAnalysis>>; unreadable?: Partial<Record<CapturePoint, string>>; ping: string; pingResult: PingResult; verdict: Verdict; explanation: Explanation; state: RunState }

/** The same-node scenario's second pod, pinned to the source pod's node. */
export const PEER_POD = 'labgen-verify-peer';
/** The service scenario's ClusterIP Service and its ports (busybox httpd serves targetPort in the destination pod). */
export const SERVICE = { name: 'labgen-verify', port: 80, targetPort: 8080 } as const;

/** Thrown by a step when the user interrupted the run; the command turns it into exit 130. */
export class VerifyInterrupted extends Error {}
