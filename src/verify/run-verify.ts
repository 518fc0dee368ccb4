// The verify run: deploy the workload, capture at A-D while one pod pings another, fetch, analyze, judge, clean up.
import type { FileAnalysis } from '../capture/analysis.js';
import { LabgenError, StepFailedError, UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';
import { ensureTcpdumpCommand, nicByAddressCommand, pickPair, podSlicesFromJson, podsFromJson, remotePcap, STOP_CAPTURES, tcpdumpCommand, VERIFY_IMAGE, VERIFY_LABEL, vethByIndexCommand } from './plan.js';
import { CAPTURE_POINTS, judge, type CapturePoint, type CaptureWhere, type PingPair, type PodInfo, type Verdict } from './verdict.js';

/** What verify needs from the outside world; the command wires it to vagrant/kubectl, tests to fakes. */
export interface VerifyDeps {
  /** Runs host kubectl against the lab's kubeconfig; resolves stdout, rejects with the command's output.
   * `cleanup` calls run even after an interrupt (removing the test workload). */
  kubectl(args: string[], input?: string, opts?: { cleanup?: boolean }): Promise<string>;
  /** Runs a shell command on a node (vagrant ssh NODE -c CMD); resolves stdout. */
  ssh(node: string, command: string): Promise<string>;
  /** Writes a fetched capture into the run's directory; returns its path. */
  saveCapture(point: CapturePoint, data: Buffer): Promise<string>;
  analyze(path: string): Promise<FileAnalysis>;
  sleep(ms: number): Promise<void>;
  /** Progress lines (the command decides how to show them). */
  progress(line: string): void;
  /** Whether the user interrupted (Ctrl-C): the run stops at the next step and cleans up. */
  interrupted(): boolean;
}

/** Options of one run. */
export interface VerifyOptions { pings: number; keep: boolean; rolloutTimeoutSeconds: number; captureSeconds: number }

/** Everything a run found, for text and --json. */
export interface VerifyResult { pods: PodInfo[]; pair: PingPair; where: CaptureWhere; ifaces: Record<CapturePoint, { node: string; iface: string }>; podSlices: { node: string; podCidr: string }[]; files: Partial<Record<CapturePoint, string>>; analyses: Partial<Record<CapturePoint, FileAnalysis>>; ping: string; verdict: Verdict }

/** Thrown by a step when the user interrupted the run; the command turns it into exit 130. */
export class VerifyInterrupted extends Error {}

/** Runs named steps: a failure names the step and node; after an interrupt no further step starts. */
function stepper(deps: VerifyDeps) {
  return async function step<T>(name: string, node: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (deps.interrupted()) throw new VerifyInterrupted();
    try { return await fn(); } catch (e) {
      if (e instanceof LabgenError) throw e;
      if (deps.interrupted()) throw new VerifyInterrupted();
      throw new StepFailedError(`verify: ${name}`, node, undefined, (e as Error).message);
    }
  };
}

/** Replays the article's experiment on a running lab. */
export async function runVerify(lab: ResolvedLab, template: TemplateFn, deps: VerifyDeps, opts: VerifyOptions): Promise<VerifyResult> {
  if (lab.workers.length < 2) throw new UsageError(`verify needs two workers to ping between; ${lab.name} has ${lab.workers.length}`, 'add a worker to the lab');
  const step = stepper(deps);
  const replicas = Math.min(3, lab.workers.length);
  deps.progress(`deploying ${replicas} test pods (${VERIFY_IMAGE}), one per worker`);
  await step('deploy the test workload', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/workload.yaml.hbs', { replicas, image: VERIFY_IMAGE })));
  try {
    await step('wait for the test pods', undefined, () => deps.kubectl(['rollout', 'status', 'deployment/labgen-verify', `--timeout=${opts.rolloutTimeoutSeconds}s`]));
    const pods = podsFromJson(await step('list the test pods', undefined, () => deps.kubectl(['get', 'pods', '-l', VERIFY_LABEL, '-o', 'json'])));
    const podSlices = podSlicesFromJson(await step('read the nodes\' pod CIDRs', undefined, () => deps.kubectl(['get', 'nodes', '-o', 'json'])));
    const chosen = pickPair(lab, pods);
    if (!chosen) throw new StepFailedError('verify: pick two pods on different workers', undefined, undefined, `running test pods: ${pods.map((p) => `${p.name} on ${p.node}`).join(', ') || 'none'}`);
    const pair: PingPair = { src: chosen.src, dst: chosen.dst, srcNodeIp: chosen.srcNode.ip, dstNodeIp: chosen.dstNode.ip };
    const srcNode = chosen.srcNode.name;
    const dstNode = chosen.dstNode.name;

    const veth = async (pod: PodInfo, node: string) => {
      const index = Number((await step('read the pod\'s eth0 peer index', node, () => deps.kubectl(['exec', pod.name, '--', 'cat', '/sys/class/net/eth0/iflink']))).trim());
      if (!Number.isInteger(index) || index <= 0) throw new StepFailedError('verify: find the pod\'s veth', node, undefined, `iflink of ${pod.name} is not an interface index`);
      const name = (await step('find the pod\'s veth', node, () => deps.ssh(node, vethByIndexCommand(index)))).trim();
      if (!name) throw new StepFailedError('verify: find the pod\'s veth', node, undefined, `no interface with index ${index} on ${node}`);
      return name;
    };
    const nic2 = async (node: string, ip: string) => {
      if (lab.cni.interface.mode === 'name') return lab.cni.interface.name;
      const name = (await step('find the host-only NIC', node, () => deps.ssh(node, nicByAddressCommand(ip)))).trim();
      if (!name) throw new StepFailedError('verify: find the host-only NIC', node, undefined, `no NIC carries ${ip}`);
      return name;
    };
    const ifaces: Record<CapturePoint, { node: string; iface: string }> = {
      A: { node: srcNode, iface: await veth(chosen.src, srcNode) },
      B: { node: srcNode, iface: await nic2(srcNode, pair.srcNodeIp) },
      C: { node: dstNode, iface: await nic2(dstNode, pair.dstNodeIp) },
      D: { node: dstNode, iface: await veth(chosen.dst, dstNode) },
    };
    const where: CaptureWhere = {
      A: `${ifaces.A.iface} on ${srcNode} (pod ${chosen.src.name})`,
      B: `${ifaces.B.iface} on ${srcNode}`,
      C: `${ifaces.C.iface} on ${dstNode}`,
      D: `${ifaces.D.iface} on ${dstNode} (pod ${chosen.dst.name})`,
    };
    for (const node of [srcNode, dstNode]) await step('install tcpdump', node, () => deps.ssh(node, ensureTcpdumpCommand(lab.os)));

    deps.progress(`capturing at A-D, then pinging ${chosen.dst.ip} (${chosen.dst.node}) from ${chosen.src.name} (${chosen.src.node})`);
    const captures = CAPTURE_POINTS.map((p) => deps.ssh(ifaces[p].node, tcpdumpCommand(p, ifaces[p].iface, opts.captureSeconds)).catch((e: Error) => e));
    await deps.sleep(3000);
    const ping = await deps.kubectl(['exec', chosen.src.name, '--', 'ping', '-c', String(opts.pings), '-W', '2', chosen.dst.ip]).catch((e: Error) => e.message);
    await deps.sleep(1000);
    for (const node of [srcNode, dstNode]) await deps.ssh(node, STOP_CAPTURES).catch(() => '');
    const ended = await Promise.all(captures);
    if (deps.interrupted()) throw new VerifyInterrupted();
    ended.forEach((r, i) => { if (r instanceof Error) deps.progress(`capture ${CAPTURE_POINTS[i]} ended with an error: ${r.message.split('\n')[0]}`); });

    const files: Partial<Record<CapturePoint, string>> = {};
    const analyses: Partial<Record<CapturePoint, FileAnalysis>> = {};
    for (const p of CAPTURE_POINTS) {
      const b64 = await step(`fetch capture ${p}`, ifaces[p].node, () => deps.ssh(ifaces[p].node, `sudo base64 -w0 ${remotePcap(p)}`));
      files[p] = await deps.saveCapture(p, Buffer.from(b64.trim(), 'base64'));
      analyses[p] = await deps.analyze(files[p]!);
    }
    return { pods, pair, where, ifaces, podSlices, files, analyses, ping, verdict: judge(lab, pair, where, analyses) };
  } finally {
    if (!opts.keep) {
      deps.progress('removing the test workload (--keep leaves it)');
      await deps.kubectl(['delete', 'deployment', 'labgen-verify', '--wait=false'], undefined, { cleanup: true }).catch(() => '');
    }
  }
}
