// verify as ordered actions over one context (as create's in src/actions/): deploy the workload, wait for its pods, set up
// the scenario, find the capture interfaces, install tcpdump, start the captures, ping, stop the captures, fetch and read
// them, read the kernel state, judge; clean-up runs always. The one ActionRunner times each and names a failure.
import type { FileAnalysis } from '../capture/analysis.js';
import { StepFailedError } from '../errors.js';
import { explainRun } from '../explain/for-lab.js';
import type { Explanation } from '../explain/explain.js';
import { allFailed, isIpv4, nodeStateCommands, parseStateScript, podStateCommands, stateScript, type RawState, type RunState } from '../explain/state.js';
import type { ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';
import type { Action } from '../actions/runner.js';
import { ensureTcpdumpCommand, fetchCaptureCommand, listeningCommand, nicByAddressCommand, parseListening, parsePing, pickPair, podSlicesFromJson, podsFromJson, remoteCapture, removeCapturesCommand, runToken, stopCapturesCommand, tcpdumpCommand, VERIFY_IMAGE, VERIFY_LABEL, vethByIndexCommand, type PackageManager, type PingResult, type RemoteCapture } from './plan.js';
import { CAPTURE_POINTS, judge, judgePing, withPing, withUnreadable, type CapturePoint, type CaptureWhere, type PingPair, type PodInfo, type Scenario, type ServiceTarget, type Verdict } from './verdict.js';
import { LISTEN_POLL_MS, LISTEN_TIMEOUT_MS, PEER_POD, SERVICE, VerifyInterrupted, type VerifyDeps, type VerifyOptions, type VerifyResult } from './verify-types.js';

/** A named step inside an action, run by the action runner (timed, named on failure, refused after an interrupt). */
export type StepFn = <T>(name: string, node: string | undefined, fn: () => Promise<T>) => Promise<T>;

/** The two pods picked, with their nodes' names and addresses. */
type Chosen = NonNullable<ReturnType<typeof pickPair>>;

/** What every verify action shares: the run's inputs, and what each action leaves for the next ones. */
export interface VerifyContext {
  lab: ResolvedLab;
  template: TemplateFn;
  deps: VerifyDeps;
  opts: VerifyOptions;
  pm: PackageManager;
  step: StepFn;
  replicas: number;
  /** Whether the test workload was applied (clean-up removes it only then). */
  deployed: boolean;
  /** The scenario's own objects (peer pod, Service): removed unless --keep, last created first. */
  cleanups: (() => Promise<unknown>)[];
  /** This run's captures and files on the nodes: stopped and removed always, --keep or not, interrupted or not. */
  remoteCleanups: (() => Promise<unknown>)[];
  scenario: Scenario;
  pods?: PodInfo[];
  podSlices?: { node: string; podCidr: string }[];
  chosen?: Chosen;
  service?: ServiceTarget;
  pair?: PingPair;
  ifaces?: Record<CapturePoint, { node: string; iface: string }>;
  where?: CaptureWhere;
  /** This run's remote capture files (its token in every name), per point. */
  remote?: Record<CapturePoint, RemoteCapture>;
  /** The capturing nodes, each once. */
  nodes?: string[];
  /** Stops this run's captures by their PIDs (once). */
  stopCaptures?: () => Promise<void>;
  /** Each tcpdump's ssh: undefined when it ended well, its error otherwise. */
  captures?: Promise<Error | undefined>[];
  pingOut?: string;
  pingResult?: PingResult;
  files: Partial<Record<CapturePoint, string>>;
  analyses: Partial<Record<CapturePoint, FileAnalysis>>;
  unreadable: Partial<Record<CapturePoint, string>>;
  state?: RunState;
  explanation?: Explanation;
  verdict?: Verdict;
  result?: VerifyResult;
}

/** A value an earlier action sets; missing is a labgen bug (the actions ran out of order). */
function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`internal: ${what} is not known yet (the verify actions ran out of order)`);
  return v;
}

/** The captures on one node, by point. */
function onNode(c: VerifyContext, node: string): RemoteCapture[] {
  const ifaces = need(c.ifaces, 'the capture interfaces');
  const remote = need(c.remote, 'the remote capture files');
  return CAPTURE_POINTS.filter((p) => ifaces[p].node === node).map((p) => remote[p]);
}

/** A failed command's own output when it has one (ping prints its summary and exits 1 when nothing answered). */
function outputOf(e: Error & { stdout?: string }): string { return e.stdout?.trim() ? e.stdout : e.message; }

/** Applies the test Deployment (one pod per worker, up to three). */
export const deployWorkloadAction: Action<VerifyContext> = {
  name: 'deploy the test workload',
  async execute(c) {
    c.deps.progress(`deploying ${c.replicas} test pods (${VERIFY_IMAGE}), one per worker`);
    await c.step('deploy the test workload', undefined, () => c.deps.kubectl(['apply', '-f', '-'], c.template('verify/workload.yaml.hbs', { replicas: c.replicas, image: VERIFY_IMAGE })));
    c.deployed = true;
  },
};

/** Waits for the rollout, then lists the pods and the nodes' pod CIDRs. */
export const waitPodsAction: Action<VerifyContext> = {
  name: 'wait for the test pods',
  async execute(c) {
    const { deps, step } = c;
    await step('wait for the test pods', undefined, () => deps.kubectl(['rollout', 'status', 'deployment/labgen-verify', `--timeout=${c.opts.rolloutTimeoutSeconds}s`]));
    c.pods = podsFromJson(await step('list the test pods', undefined, () => deps.kubectl(['get', 'pods', '-l', VERIFY_LABEL, '-o', 'json'])));
    c.podSlices = podSlicesFromJson(await step('read the nodes\' pod CIDRs', undefined, () => deps.kubectl(['get', 'nodes', '-o', 'json'])));
  },
};

/** Picks two pods on different workers, then what the scenario adds: a same-node peer pod, or a Service in front of the destination. */
export const scenarioAction: Action<VerifyContext> = {
  name: 'pick two pods on different workers',
  async execute(c) {
    const { deps, step, lab, template } = c;
    const pods = need(c.pods, 'the test pods');
    const picked = pickPair(lab, pods);
    if (!picked) throw new StepFailedError('verify: pick two pods on different workers', undefined, undefined, `running test pods: ${pods.map((p) => `${p.name} on ${p.node}`).join(', ') || 'none'}`);
    let chosen = picked;
    if (c.scenario === 'same-node') {
      // A second pod pinned to the source pod's node: the two talk without leaving it.
      c.cleanups.push(() => deps.kubectl(['delete', 'pod', PEER_POD, '--wait=false'], undefined, { cleanup: true }));
      await step('deploy the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['apply', '-f', '-'], template('verify/peer-pod.yaml.hbs', { name: PEER_POD, node: picked.src.node, image: VERIFY_IMAGE })));
      await step('wait for the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['wait', '--for=condition=Ready', `pod/${PEER_POD}`, `--timeout=${c.opts.rolloutTimeoutSeconds}s`]));
      const peer = podsFromJson(`{"items": [${await step('read the peer pod', undefined, () => deps.kubectl(['get', 'pod', PEER_POD, '-o', 'json']))}]}`)[0];
      if (!peer || peer.node !== picked.src.node) throw new StepFailedError('verify: place the peer pod beside the source pod', picked.srcNode.name, undefined, `${PEER_POD} is ${peer ? `on ${peer.node}` : 'not running'}`);
      chosen = { ...picked, dst: peer, dstNode: picked.srcNode };
    } else if (c.scenario === 'service') {
      // A ClusterIP Service selecting only the destination pod; busybox httpd answers behind it.
      c.cleanups.push(() => deps.kubectl(['delete', 'service', SERVICE.name, '--wait=false'], undefined, { cleanup: true }));
      await step('label the destination pod', picked.dstNode.name, () => deps.kubectl(['label', 'pod', picked.dst.name, 'labgen-verify-target=yes', '--overwrite']));
      await step('create the test Service', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/service.yaml.hbs', { name: SERVICE.name, port: SERVICE.port, targetPort: SERVICE.targetPort })));
      const ip = (await step('read the Service\'s ClusterIP', undefined, () => deps.kubectl(['get', 'service', SERVICE.name, '-o', 'jsonpath={.spec.clusterIP}']))).trim();
      if (!isIpv4(ip)) throw new StepFailedError('verify: read the Service\'s ClusterIP', undefined, undefined, `not an IPv4 address: ${JSON.stringify(ip.slice(0, 60))}`);
      c.service = { ip, port: SERVICE.port };
      await step('start the backend in the destination pod', picked.dstNode.name, () => deps.kubectl(['exec', picked.dst.name, '--', 'httpd', '-p', String(SERVICE.targetPort), '-h', '/etc']));
    }
    c.chosen = chosen;
    c.pair = { src: chosen.src, dst: chosen.dst, srcNodeIp: chosen.srcNode.ip, dstNodeIp: chosen.dstNode.ip };
  },
};

/** A (the source pod's veth), B and C (the nodes' host-only NICs), D (the destination pod's veth). */
export const findInterfacesAction: Action<VerifyContext> = {
  name: 'find the capture interfaces',
  async execute(c) {
    const { deps, step, lab } = c;
    const chosen = need(c.chosen, 'the pod pair');
    const pair = need(c.pair, 'the pod pair');
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
    c.ifaces = ifaces;
    c.where = {
      A: `${ifaces.A.iface} on ${srcNode} (pod ${chosen.src.name})`,
      B: `${ifaces.B.iface} on ${srcNode}`,
      C: `${ifaces.C.iface} on ${dstNode}`,
      D: `${ifaces.D.iface} on ${dstNode} (pod ${chosen.dst.name})`,
    };
  },
};

/** tcpdump on both nodes, with the package manager the lab's OS family names. */
export const installTcpdumpAction: Action<VerifyContext> = {
  name: 'install tcpdump',
  async execute(c) {
    const chosen = need(c.chosen, 'the pod pair');
    for (const node of [chosen.srcNode.name, chosen.dstNode.name]) await c.step('install tcpdump', node, () => c.deps.ssh(node, ensureTcpdumpCommand(c.pm)));
  },
};

/** Polls the capturing nodes until every tcpdump says it is listening; fails naming the node and point when one exits
 * or stays silent past the timeout (at least one poll, however slow the ssh). */
async function waitListening(c: VerifyContext, ended: Partial<Record<CapturePoint, string>>, timeoutMs: number): Promise<void> {
  const { deps, step } = c;
  const ifaces = need(c.ifaces, 'the capture interfaces');
  const waiting = new Set<CapturePoint>(CAPTURE_POINTS);
  const t0 = deps.now();
  const fail = (p: CapturePoint, why: string) => new StepFailedError(`verify: start capture ${p} (tcpdump on ${ifaces[p].iface})`, ifaces[p].node, undefined, why);
  let last: Partial<Record<CapturePoint, string>> = {};
  for (let first = true; waiting.size && (first || deps.now() - t0 < timeoutMs); first = false) {
    for (const node of need(c.nodes, 'the capturing nodes')) {
      const mine = onNode(c, node).filter((x) => waiting.has(x.point));
      if (!mine.length) continue;
      const seen = parseListening(await step('check that the captures listen', node, () => deps.ssh(node, listeningCommand(mine))));
      for (const x of mine) {
        const s = seen[x.point];
        if (s?.state === 'listening') { waiting.delete(x.point); continue; }
        if (s?.state === 'exited') throw fail(x.point, `tcpdump ended before it listened: ${s.detail || 'no output'}`);
        if (ended[x.point]) throw fail(x.point, 'tcpdump ended before it listened');
        last = { ...last, [x.point]: s?.detail ?? '' };
      }
    }
    if (waiting.size) await deps.sleep(LISTEN_POLL_MS);
    if (deps.interrupted()) throw new VerifyInterrupted();
  }
  const p = [...waiting][0];
  if (p) throw fail(p, `tcpdump did not report "listening on ${ifaces[p].iface}" within ${Math.round(timeoutMs / 1000)} s${last[p] ? `: ${last[p]}` : ''}; still waiting: ${[...waiting].join(', ')}`);
}

/** Starts tcpdump at A-D under this run's own token and PID files, and waits until each says it is listening. */
export const startCapturesAction: Action<VerifyContext> = {
  name: 'start the captures',
  async execute(c) {
    const { deps, opts } = c;
    const chosen = need(c.chosen, 'the pod pair');
    const ifaces = need(c.ifaces, 'the capture interfaces');
    // This run's own remote files (a random token in every name): its captures are stopped by their pids and its
    // files removed, never another run's.
    const token = opts.token ?? runToken();
    const remote = Object.fromEntries(CAPTURE_POINTS.map((p) => [p, remoteCapture(token, p)])) as Record<CapturePoint, RemoteCapture>;
    c.remote = remote;
    const nodes = [...new Set([chosen.srcNode.name, chosen.dstNode.name])];
    c.nodes = nodes;
    let stopped = false;
    const stopCaptures = async () => {
      if (stopped) return;
      stopped = true;
      for (const node of nodes) await deps.ssh(node, stopCapturesCommand(onNode(c, node)), { cleanup: true }).catch(() => '');
    };
    c.stopCaptures = stopCaptures;
    c.remoteCleanups.push(async () => {
      await stopCaptures();
      for (const node of nodes) await deps.ssh(node, removeCapturesCommand(onNode(c, node)), { cleanup: true }).catch(() => '');
    });
    deps.progress(`capturing at A-D, then pinging ${chosen.dst.ip} (${chosen.dst.node}) from ${chosen.src.name} (${chosen.src.node})`);
    const ended: Partial<Record<CapturePoint, string>> = {};
    c.captures = CAPTURE_POINTS.map((p) => deps.ssh(ifaces[p].node, tcpdumpCommand(remote[p], ifaces[p].iface, opts.captureSeconds))
      .then(() => undefined, (e: Error) => e)
      .finally(() => { ended[p] ??= 'ended'; }));
    // Start pinging only once every tcpdump has said it is listening (or fail naming the node and point).
    await waitListening(c, ended, opts.listenTimeoutMs ?? LISTEN_TIMEOUT_MS);
  },
};

/** The source pod pings the destination (or fetches from the Service); its own output and result are kept, answered or not. */
export const pingAction: Action<VerifyContext> = {
  name: 'ping',
  async execute(c) {
    const { deps, opts } = c;
    const chosen = need(c.chosen, 'the pod pair');
    const service = c.service;
    c.pingOut = service
      ? await deps.kubectl(['exec', chosen.src.name, '--', 'sh', '-c', `for i in $(seq ${opts.pings}); do wget -q -O /dev/null -T 3 http://${service.ip}:${service.port}/hostname && echo "connection $i to ${service.ip}:${service.port} answered"; done`]).catch(outputOf)
      : await deps.kubectl(['exec', chosen.src.name, '--', 'ping', '-c', String(opts.pings), '-W', '2', chosen.dst.ip]).catch(outputOf);
    c.pingResult = parsePing(c.pingOut, service ? 'tcp' : 'icmp', opts.pings);
    if (deps.interrupted()) throw new VerifyInterrupted();
  },
};

/** Stops this run's captures by their PIDs once the last packets are in, and waits for each tcpdump's ssh to end. */
export const stopCapturesAction: Action<VerifyContext> = {
  name: 'stop the captures',
  async execute(c) {
    const { deps } = c;
    await deps.sleep(1000);
    await need(c.stopCaptures, 'the captures')();
    const failed = await Promise.all(need(c.captures, 'the captures'));
    if (deps.interrupted()) throw new VerifyInterrupted();
    failed.forEach((r, i) => { if (r instanceof Error) deps.progress(`capture ${CAPTURE_POINTS[i]} ended with an error: ${r.message.split('\n')[0]}`); });
  },
};

/** Fetches and decodes each capture on its own: one that cannot be fetched or read fails its point (naming the file), the others stay. */
export const fetchCapturesAction: Action<VerifyContext> = {
  name: 'fetch and read the captures',
  async execute(c) {
    const { deps } = c;
    const ifaces = need(c.ifaces, 'the capture interfaces');
    const remote = need(c.remote, 'the remote capture files');
    const { files, analyses, unreadable } = c;
    for (const p of CAPTURE_POINTS) {
      if (deps.interrupted()) throw new VerifyInterrupted();
      const node = ifaces[p].node;
      let b64: string;
      try { b64 = await deps.ssh(node, fetchCaptureCommand(remote[p])); } catch (e) {
        if (deps.interrupted()) throw new VerifyInterrupted();
        unreadable[p] = `capture ${p} could not be fetched from ${node}:${remote[p].pcap}: ${(e as Error).message.split('\n')[0]}`;
        deps.progress(unreadable[p]!);
        continue;
      }
      files[p] = await deps.saveCapture(p, Buffer.from(b64.trim(), 'base64'));
      try { analyses[p] = await deps.analyze(files[p]!); } catch (e) {
        unreadable[p] = `capture ${files[p]} could not be read: ${(e as Error).message}`;
        deps.progress(unreadable[p]!);
      }
    }
  },
};

/** The kernel's state on both nodes (one ssh each) and both pods (one exec each), read after the traffic so the
 * neighbour entries it made are there; a node or pod that cannot be read is recorded, never guessed. */
export const readStateAction: Action<VerifyContext> = {
  name: 'read the kernel state',
  async execute(c) {
    const { deps } = c;
    const chosen = need(c.chosen, 'the pod pair');
    const pair = need(c.pair, 'the pod pair');
    const service = c.service;
    deps.progress('reading the kernel state of both nodes and both pods');
    // Only IPv4 addresses reach a command line (a dual-stack pod's IPv6 address is left out; its lookup is then reported missing).
    const nodeCmds = nodeStateCommands([pair.dst.ip, pair.src.ip, pair.srcNodeIp, pair.dstNodeIp, ...(service ? [service.ip] : [])].filter(isIpv4), { nat: c.scenario === 'service' });
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
    const srcNode = chosen.srcNode.name;
    const dstNode = chosen.dstNode.name;
    const srcState = await readNode(srcNode);
    c.state = {
      srcNode: { name: chosen.src.node, ...srcState },
      dstNode: { name: chosen.dst.node, ...(dstNode === srcNode ? srcState : await readNode(dstNode)) },
      srcPod: { name: chosen.src.name, ...(await readPod(chosen.src.name)) },
      dstPod: { name: chosen.dst.name, ...(await readPod(chosen.dst.name)) },
    };
  },
};

/** Explains the wire and judges it against the CNI, the unreadable captures and the ping's own result. */
export const judgeAction: Action<VerifyContext> = {
  name: 'judge the captures',
  async execute(c) {
    const { lab, scenario, service, unreadable, analyses, files } = c;
    const pair = need(c.pair, 'the pod pair');
    const ifaces = need(c.ifaces, 'the capture interfaces');
    const where = need(c.where, 'the capture interfaces');
    const state = need(c.state, 'the kernel state');
    const pingResult = need(c.pingResult, 'the ping result');
    const explanation = explainRun(lab, pair, scenario, { src: ifaces.B.iface, dst: ifaces.C.iface }, state, analyses, service);
    const verdict = withPing(withUnreadable(judge(lab, pair, where, analyses, scenario, service), unreadable), judgePing(pingResult, c.opts.pings));
    c.explanation = explanation;
    c.verdict = verdict;
    c.result = {
      scenario, pods: need(c.pods, 'the test pods'), pair, ...(service ? { service } : {}), where, ifaces, podSlices: need(c.podSlices, 'the pod CIDRs'), files, analyses,
      ...(Object.keys(unreadable).length ? { unreadable } : {}), ping: need(c.pingOut, 'the ping output'), pingResult, verdict, explanation, state,
    };
  },
};

/** Always, after success, failure or Ctrl-C: this run's captures stopped and its remote files removed; unless --keep,
 * the scenario's objects and the test workload removed. A clean-up command that fails is ignored (best effort). */
export const cleanUpAction: Action<VerifyContext> = {
  name: 'clean up',
  always: true,
  async execute(c) {
    if (!c.deployed) return;
    for (const f of c.remoteCleanups) await f().catch(() => '');
    if (!c.opts.keep) for (const f of [...c.cleanups].reverse()) await f().catch(() => '');
    if (!c.opts.keep) {
      c.deps.progress('removing the test workload (--keep leaves it)');
      await c.deps.kubectl(['delete', 'deployment', 'labgen-verify', '--wait=false'], undefined, { cleanup: true }).catch(() => '');
    }
  },
};

/** verify's actions, in order; the last one runs always. */
export function verifyActions(): Action<VerifyContext>[] {
  return [deployWorkloadAction, waitPodsAction, scenarioAction, findInterfacesAction, installTcpdumpAction, startCapturesAction, pingAction,
    stopCapturesAction, fetchCapturesAction, readStateAction, judgeAction, cleanUpAction];
}
