// The verify run as ordered actions over one context (src/actions/runner.ts runs and times them, as it does create's):
// deploy the workload, capture at A-D while one pod pings another, fetch, analyze, judge, clean up.
import type { FileAnalysis } from '../capture/analysis.js';
import { StepFailedError, UsageError } from '../errors.js';
import { ActionRunner, type Action } from '../actions/runner.js';
import type { ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';
import { ensureTcpdumpCommand, nicByAddressCommand, pickPair, podSlicesFromJson, podsFromJson, remotePcap, STOP_CAPTURES, tcpdumpCommand, VERIFY_IMAGE, VERIFY_LABEL, vethByIndexCommand } from './plan.js';
import { CAPTURE_POINTS, judge, type CapturePoint, type CaptureWhere, type PingPair, type PodInfo, type Scenario, type ServiceTarget, type Verdict } from './verdict.js';
import { explainRun } from '../explain/for-lab.js';
import type { Explanation } from '../explain/explain.js';
import { allFailed, isIpv4, nodeStateCommands, parseStateScript, podStateCommands, stateScript, type RawState, type RunState } from '../explain/state.js';

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
  /** The clock the action runner times the run's actions and steps with. */
  now(): number;
}

/** Options of one run. */
export interface VerifyOptions { pings: number; keep: boolean; rolloutTimeoutSeconds: number; captureSeconds: number; scenario?: Scenario }

/** Everything a run found, for text and --json. */
export interface VerifyResult { scenario: Scenario; pods: PodInfo[]; pair: PingPair; service?: ServiceTarget; where: CaptureWhere; ifaces: Record<CapturePoint, { node: string; iface: string }>; podSlices: { node: string; podCidr: string }[]; files: Partial<Record<CapturePoint, string>>; analyses: Partial<Record<CapturePoint, FileAnalysis>>; ping: string; verdict: Verdict; explanation: Explanation; state: RunState }

/** The same-node scenario's second pod, pinned to the source pod's node. */
export const PEER_POD = 'labgen-verify-peer';
/** The service scenario's ClusterIP Service and its ports (busybox httpd serves targetPort in the destination pod). */
export const SERVICE = { name: 'labgen-verify', port: 80, targetPort: 8080 } as const;

/** Thrown by a step when the user interrupted the run; the command turns it into exit 130. */
export class VerifyInterrupted extends Error {}

/** What every verify action shares: the inputs, the one runner's `step`, and what earlier actions found. */
interface VerifyRun {
  lab: ResolvedLab; template: TemplateFn; deps: VerifyDeps; opts: VerifyOptions; scenario: Scenario;
  /** A named step inside an action: a failure names it and its node; after an interrupt no further step starts. */
  step: ActionRunner['step'];
  /** Undone at the end, newest first, unless --keep. */
  cleanups: (() => Promise<unknown>)[];
  pods?: PodInfo[]; podSlices?: { node: string; podCidr: string }[];
  picked?: NonNullable<ReturnType<typeof pickPair>>;
  chosen?: NonNullable<ReturnType<typeof pickPair>>;
  service?: ServiceTarget; pair?: PingPair;
  ifaces?: Record<CapturePoint, { node: string; iface: string }>; where?: CaptureWhere;
  ping?: string;
  files: Partial<Record<CapturePoint, string>>; analyses: Partial<Record<CapturePoint, FileAnalysis>>;
  state?: RunState;
}

/** What an action needs from an earlier one; missing is a bug in the action order, not the user's problem. */
function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`internal: ${what} is not known yet (verify's actions ran out of order)`);
  return v;
}

const deployWorkload: Action<VerifyRun> = {
  name: 'deploy the test workload',
  async execute(r) {
    const { lab, deps, template, step } = r;
    const replicas = Math.min(3, lab.workers.length);
    deps.progress(`deploying ${replicas} test pods (${VERIFY_IMAGE}), one per worker`);
    await step('deploy the test workload', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/workload.yaml.hbs', { replicas, image: VERIFY_IMAGE })));
  },
};

const waitForPods: Action<VerifyRun> = {
  name: 'wait for the test pods',
  async execute({ deps, opts, step }) {
    await step('wait for the test pods', undefined, () => deps.kubectl(['rollout', 'status', 'deployment/labgen-verify', `--timeout=${opts.rolloutTimeoutSeconds}s`]));
  },
};

const pickPods: Action<VerifyRun> = {
  name: 'pick two pods on different workers',
  async execute(r) {
    const { lab, deps, step } = r;
    const pods = podsFromJson(await step('list the test pods', undefined, () => deps.kubectl(['get', 'pods', '-l', VERIFY_LABEL, '-o', 'json'])));
    r.pods = pods;
    r.podSlices = podSlicesFromJson(await step('read the nodes\' pod CIDRs', undefined, () => deps.kubectl(['get', 'nodes', '-o', 'json'])));
    const picked = pickPair(lab, pods);
    if (!picked) throw new StepFailedError('verify: pick two pods on different workers', undefined, undefined, `running test pods: ${pods.map((p) => `${p.name} on ${p.node}`).join(', ') || 'none'}`);
    r.picked = picked;
    r.chosen = picked;
  },
};

const setUpScenario: Action<VerifyRun> = {
  name: 'set up the scenario',
  async execute(r) {
    const { deps, template, opts, step, scenario, cleanups } = r;
    const picked = need(r.picked, 'the pod pair');
    if (scenario === 'same-node') {
      // A second pod pinned to the source pod's node: the two talk without leaving it.
      cleanups.push(() => deps.kubectl(['delete', 'pod', PEER_POD, '--wait=false'], undefined, { cleanup: true }));
      await step('deploy the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['apply', '-f', '-'], template('verify/peer-pod.yaml.hbs', { name: PEER_POD, node: picked.src.node, image: VERIFY_IMAGE })));
      await step('wait for the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['wait', '--for=condition=Ready', `pod/${PEER_POD}`, `--timeout=${opts.rolloutTimeoutSeconds}s`]));
      const peer = podsFromJson(`{"items": [${await step('read the peer pod', undefined, () => deps.kubectl(['get', 'pod', PEER_POD, '-o', 'json']))}]}`)[0];
      if (!peer || peer.node !== picked.src.node) throw new StepFailedError('verify: place the peer pod beside the source pod', picked.srcNode.name, undefined, `${PEER_POD} is ${peer ? `on ${peer.node}` : 'not running'}`);
      r.chosen = { ...picked, dst: peer, dstNode: picked.srcNode };
    } else if (scenario === 'service') {
      // A ClusterIP Service selecting only the destination pod; busybox httpd answers behind it.
      cleanups.push(() => deps.kubectl(['delete', 'service', SERVICE.name, '--wait=false'], undefined, { cleanup: true }));
      await step('label the destination pod', picked.dstNode.name, () => deps.kubectl(['label', 'pod', picked.dst.name, 'labgen-verify-target=yes', '--overwrite']));
      await step('create the test Service', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/service.yaml.hbs', { name: SERVICE.name, port: SERVICE.port, targetPort: SERVICE.targetPort })));
      const ip = (await step('read the Service\'s ClusterIP', undefined, () => deps.kubectl(['get', 'service', SERVICE.name, '-o', 'jsonpath={.spec.clusterIP}']))).trim();
      if (!isIpv4(ip)) throw new StepFailedError('verify: read the Service\'s ClusterIP', undefined, undefined, `not an IPv4 address: ${JSON.stringify(ip.slice(0, 60))}`);
      r.service = { ip, port: SERVICE.port };
      await step('start the backend in the destination pod', picked.dstNode.name, () => deps.kubectl(['exec', picked.dst.name, '--', 'httpd', '-p', String(SERVICE.targetPort), '-h', '/etc']));
    }
    const chosen = need(r.chosen, 'the pod pair');
    r.pair = { src: chosen.src, dst: chosen.dst, srcNodeIp: chosen.srcNode.ip, dstNodeIp: chosen.dstNode.ip };
  },
};

const findCapturePoints: Action<VerifyRun> = {
  name: 'find the capture points',
  async execute(r) {
    const { lab, deps, step } = r;
    const chosen = need(r.chosen, 'the pod pair');
    const pair = need(r.pair, 'the ping pair');
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
    r.ifaces = ifaces;
    r.where = {
      A: `${ifaces.A.iface} on ${srcNode} (pod ${chosen.src.name})`,
      B: `${ifaces.B.iface} on ${srcNode}`,
      C: `${ifaces.C.iface} on ${dstNode}`,
      D: `${ifaces.D.iface} on ${dstNode} (pod ${chosen.dst.name})`,
    };
  },
};

const installTcpdump: Action<VerifyRun> = {
  name: 'install tcpdump',
  async execute(r) {
    const { lab, deps, step } = r;
    const chosen = need(r.chosen, 'the pod pair');
    for (const node of [chosen.srcNode.name, chosen.dstNode.name]) await step('install tcpdump', node, () => deps.ssh(node, ensureTcpdumpCommand(lab.os)));
  },
};

const captureAndPing: Action<VerifyRun> = {
  name: 'capture while pinging',
  async execute(r) {
    const { deps, opts, service } = r;
    const chosen = need(r.chosen, 'the pod pair');
    const ifaces = need(r.ifaces, 'the capture points');
    const srcNode = chosen.srcNode.name;
    const dstNode = chosen.dstNode.name;
    deps.progress(`capturing at A-D, then pinging ${chosen.dst.ip} (${chosen.dst.node}) from ${chosen.src.name} (${chosen.src.node})`);
    const captures = CAPTURE_POINTS.map((p) => deps.ssh(ifaces[p].node, tcpdumpCommand(p, ifaces[p].iface, opts.captureSeconds)).catch((e: Error) => e));
    await deps.sleep(3000);
    const ping = service
      ? await deps.kubectl(['exec', chosen.src.name, '--', 'sh', '-c', `for i in $(seq ${opts.pings}); do wget -q -O /dev/null -T 3 http://${service.ip}:${service.port}/hostname && echo "connection $i to ${service.ip}:${service.port} answered"; done`]).catch((e: Error) => e.message)
      : await deps.kubectl(['exec', chosen.src.name, '--', 'ping', '-c', String(opts.pings), '-W', '2', chosen.dst.ip]).catch((e: Error) => e.message);
    r.ping = ping;
    await deps.sleep(1000);
    for (const node of [srcNode, dstNode]) await deps.ssh(node, STOP_CAPTURES).catch(() => '');
    const ended = await Promise.all(captures);
    if (deps.interrupted()) throw new VerifyInterrupted();
    ended.forEach((e, i) => { if (e instanceof Error) deps.progress(`capture ${CAPTURE_POINTS[i]} ended with an error: ${e.message.split('\n')[0]}`); });
  },
};

const fetchCaptures: Action<VerifyRun> = {
  name: 'fetch the captures',
  async execute(r) {
    const { deps, step, files, analyses } = r;
    const ifaces = need(r.ifaces, 'the capture points');
    for (const p of CAPTURE_POINTS) {
      const b64 = await step(`fetch capture ${p}`, ifaces[p].node, () => deps.ssh(ifaces[p].node, `sudo base64 -w0 ${remotePcap(p)}`));
      files[p] = await deps.saveCapture(p, Buffer.from(b64.trim(), 'base64'));
      analyses[p] = await deps.analyze(files[p]!);
    }
  },
};

const readKernelState: Action<VerifyRun> = {
  name: 'read the kernel state',
  async execute(r) {
    const { deps, scenario, service } = r;
    const chosen = need(r.chosen, 'the pod pair');
    const pair = need(r.pair, 'the ping pair');
    const srcNode = chosen.srcNode.name;
    const dstNode = chosen.dstNode.name;
    // The kernel's state on both nodes (one ssh each) and both pods (one exec each), read after the traffic so the
    // neighbour entries it made are there; a node or pod that cannot be read is recorded, never guessed.
    deps.progress('reading the kernel state of both nodes and both pods');
    // Only IPv4 addresses reach a command line (a dual-stack pod's IPv6 address is left out; its lookup is then reported missing).
    const nodeCmds = nodeStateCommands([pair.dst.ip, pair.src.ip, pair.srcNodeIp, pair.dstNodeIp, ...(service ? [service.ip] : [])].filter(isIpv4), { nat: scenario === 'service' });
    const readNode = async (node: string): Promise<{ state: RawState; unreachable?: string }> => {
      if (deps.interrupted()) throw new VerifyInterrupted();
      try { return { state: parseStateScript(await deps.ssh(node, stateScript(nodeCmds, true)), nodeCmds) }; } catch (e) {
        const why = `could not be read: ${(e as Error).message.split('\n')[0]}`;
        return { state: allFailed(nodeCmds, why), unreachable: why };
      }
    };
    const podCmds = podStateCommands();
    const readPod = async (pod: string): Promise<{ state: RawState; unreachable?: string }> => {
      if (deps.interrupted()) throw new VerifyInterrupted();
      try { return { state: parseStateScript(await deps.kubectl(['exec', pod, '--', 'sh', '-c', stateScript(podCmds)]), podCmds) }; } catch (e) {
        const why = `could not be read: ${(e as Error).message.split('\n')[0]}`;
        return { state: allFailed(podCmds, why), unreachable: why };
      }
    };
    const srcState = await readNode(srcNode);
    r.state = {
      srcNode: { name: chosen.src.node, ...srcState },
      dstNode: { name: chosen.dst.node, ...(dstNode === srcNode ? srcState : await readNode(dstNode)) },
      srcPod: { name: chosen.src.name, ...(await readPod(chosen.src.name)) },
      dstPod: { name: chosen.dst.name, ...(await readPod(chosen.dst.name)) },
    };
  },
};

/** The verify run's actions after the workload is deployed, in order (the workload is removed after them, unless --keep). */
export const VERIFY_ACTIONS: readonly Action<VerifyRun>[] = [waitForPods, pickPods, setUpScenario, findCapturePoints, installTcpdump, captureAndPing, fetchCaptures, readKernelState];

/** Replays the article's experiment on a running lab. */
export async function runVerify(lab: ResolvedLab, template: TemplateFn, deps: VerifyDeps, opts: VerifyOptions): Promise<VerifyResult> {
  if (lab.workers.length < 2) throw new UsageError(`verify needs two workers to ping between; ${lab.name} has ${lab.workers.length}`, 'add a worker to the lab');
  // The one runner create uses too: each action and named step is timed, a failure names it, an interrupt stops the next.
  const runner = new ActionRunner({ now: () => deps.now(), interrupted: () => deps.interrupted(), interruptError: () => new VerifyInterrupted(), stepPrefix: 'verify: ' });
  const r: VerifyRun = { lab, template, deps, opts, scenario: opts.scenario ?? 'cross-node', step: (name, node, fn) => runner.step(name, node, fn), cleanups: [], files: {}, analyses: {} };
  await runner.run([deployWorkload], r);
  try {
    await runner.run(VERIFY_ACTIONS, r);
    const { scenario, service, files, analyses } = r;
    const pair = need(r.pair, 'the ping pair');
    const ifaces = need(r.ifaces, 'the capture points');
    const where = need(r.where, 'the capture points');
    const state = need(r.state, 'the kernel state');
    const explanation = explainRun(lab, pair, scenario, { src: ifaces.B.iface, dst: ifaces.C.iface }, state, analyses, service);
    return { scenario, pods: need(r.pods, 'the test pods'), pair, ...(service ? { service } : {}), where, ifaces, podSlices: need(r.podSlices, 'the pod CIDRs'), files, analyses, ping: need(r.ping, 'the ping'), verdict: judge(lab, pair, where, analyses, scenario, service), explanation, state };
  } finally {
    if (!opts.keep) for (const c of r.cleanups.reverse()) await c().catch(() => '');
    if (!opts.keep) {
      deps.progress('removing the test workload (--keep leaves it)');
      await deps.kubectl(['delete', 'deployment', 'labgen-verify', '--wait=false'], undefined, { cleanup: true }).catch(() => '');
    }
  }
}
