// The verify run: deploy the workload, capture at A-D while one pod pings another, fetch, analyze, judge, clean up.
import type { FileAnalysis } from '../capture/analysis.js';
import { LabgenError, StepFailedError, UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import type { TemplateFn } from '../render/types.js';
import { ensureTcpdumpCommand, fetchCaptureCommand, listeningCommand, nicByAddressCommand, parseListening, parsePing, pickPair, podSlicesFromJson, podsFromJson, remoteCapture, removeCapturesCommand, runToken, stopCapturesCommand, tcpdumpCommand, VERIFY_IMAGE, VERIFY_LABEL, vethByIndexCommand, type PackageManager, type PingResult, type RemoteCapture } from './plan.js';
import type { OsFamily } from '../os/types.js';
import { CAPTURE_POINTS, judge, judgePing, withPing, withUnreadable, type CapturePoint, type CaptureWhere, type PingPair, type PodInfo, type Scenario, type ServiceTarget, type Verdict } from './verdict.js';
import { explainRun } from '../explain/for-lab.js';
import type { Explanation } from '../explain/explain.js';
import { allFailed, isIpv4, nodeStateCommands, parseStateScript, podStateCommands, stateScript, type RawState, type RunState } from '../explain/state.js';

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

/** A failed command's own output when it has one (ping prints its summary and exits 1 when nothing answered). */
function outputOf(e: Error & { stdout?: string }): string { return e.stdout?.trim() ? e.stdout : e.message; }

/** Polls the capturing nodes until every tcpdump says it is listening; fails naming the node and point when one exits
 * or stays silent past the timeout (at least one poll, however slow the ssh). */
async function waitListening(deps: VerifyDeps, step: ReturnType<typeof stepper>, nodes: string[], onNode: (node: string) => RemoteCapture[],
  ifaces: Record<CapturePoint, { node: string; iface: string }>, ended: Partial<Record<CapturePoint, string>>, timeoutMs: number): Promise<void> {
  const waiting = new Set<CapturePoint>(CAPTURE_POINTS);
  const t0 = deps.now();
  const fail = (p: CapturePoint, why: string) => new StepFailedError(`verify: start capture ${p} (tcpdump on ${ifaces[p].iface})`, ifaces[p].node, undefined, why);
  let last: Partial<Record<CapturePoint, string>> = {};
  for (let first = true; waiting.size && (first || deps.now() - t0 < timeoutMs); first = false) {
    for (const node of nodes) {
      const mine = onNode(node).filter((c) => waiting.has(c.point));
      if (!mine.length) continue;
      const seen = parseListening(await step('check that the captures listen', node, () => deps.ssh(node, listeningCommand(mine))));
      for (const c of mine) {
        const s = seen[c.point];
        if (s?.state === 'listening') { waiting.delete(c.point); continue; }
        if (s?.state === 'exited') throw fail(c.point, `tcpdump ended before it listened: ${s.detail || 'no output'}`);
        if (ended[c.point]) throw fail(c.point, 'tcpdump ended before it listened');
        last = { ...last, [c.point]: s?.detail ?? '' };
      }
    }
    if (waiting.size) await deps.sleep(LISTEN_POLL_MS);
    if (deps.interrupted()) throw new VerifyInterrupted();
  }
  const p = [...waiting][0];
  if (p) throw fail(p, `tcpdump did not report "listening on ${ifaces[p].iface}" within ${Math.round(timeoutMs / 1000)} s${last[p] ? `: ${last[p]}` : ''}; still waiting: ${[...waiting].join(', ')}`);
}

/** Replays the article's experiment on a running lab. */
export async function runVerify(lab: ResolvedLab, template: TemplateFn, deps: VerifyDeps, opts: VerifyOptions): Promise<VerifyResult> {
  if (lab.workers.length < 2) throw new UsageError(`verify needs two workers to ping between; ${lab.name} has ${lab.workers.length}`, 'add a worker to the lab');
  const pm = packageManagerOf(lab, opts.family);
  const step = stepper(deps);
  const replicas = Math.min(3, lab.workers.length);
  const cleanups: (() => Promise<unknown>)[] = [];
  /** This run's captures and files on the nodes: stopped and removed always, --keep or not, interrupted or not. */
  const remoteCleanups: (() => Promise<unknown>)[] = [];
  deps.progress(`deploying ${replicas} test pods (${VERIFY_IMAGE}), one per worker`);
  await step('deploy the test workload', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/workload.yaml.hbs', { replicas, image: VERIFY_IMAGE })));
  try {
    await step('wait for the test pods', undefined, () => deps.kubectl(['rollout', 'status', 'deployment/labgen-verify', `--timeout=${opts.rolloutTimeoutSeconds}s`]));
    const pods = podsFromJson(await step('list the test pods', undefined, () => deps.kubectl(['get', 'pods', '-l', VERIFY_LABEL, '-o', 'json'])));
    const podSlices = podSlicesFromJson(await step('read the nodes\' pod CIDRs', undefined, () => deps.kubectl(['get', 'nodes', '-o', 'json'])));
    const scenario = opts.scenario ?? 'cross-node';
    const picked = pickPair(lab, pods);
    if (!picked) throw new StepFailedError('verify: pick two pods on different workers', undefined, undefined, `running test pods: ${pods.map((p) => `${p.name} on ${p.node}`).join(', ') || 'none'}`);
    let chosen = picked;
    let service: ServiceTarget | undefined;
    if (scenario === 'same-node') {
      // A second pod pinned to the source pod's node: the two talk without leaving it.
      cleanups.push(() => deps.kubectl(['delete', 'pod', PEER_POD, '--wait=false'], undefined, { cleanup: true }));
      await step('deploy the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['apply', '-f', '-'], template('verify/peer-pod.yaml.hbs', { name: PEER_POD, node: picked.src.node, image: VERIFY_IMAGE })));
      await step('wait for the same-node peer pod', picked.srcNode.name, () => deps.kubectl(['wait', '--for=condition=Ready', `pod/${PEER_POD}`, `--timeout=${opts.rolloutTimeoutSeconds}s`]));
      const peer = podsFromJson(`{"items": [${await step('read the peer pod', undefined, () => deps.kubectl(['get', 'pod', PEER_POD, '-o', 'json']))}]}`)[0];
      if (!peer || peer.node !== picked.src.node) throw new StepFailedError('verify: place the peer pod beside the source pod', picked.srcNode.name, undefined, `${PEER_POD} is ${peer ? `on ${peer.node}` : 'not running'}`);
      chosen = { ...picked, dst: peer, dstNode: picked.srcNode };
    } else if (scenario === 'service') {
      // A ClusterIP Service selecting only the destination pod; busybox httpd answers behind it.
      cleanups.push(() => deps.kubectl(['delete', 'service', SERVICE.name, '--wait=false'], undefined, { cleanup: true }));
      await step('label the destination pod', picked.dstNode.name, () => deps.kubectl(['label', 'pod', picked.dst.name, 'labgen-verify-target=yes', '--overwrite']));
      await step('create the test Service', undefined, () => deps.kubectl(['apply', '-f', '-'], template('verify/service.yaml.hbs', { name: SERVICE.name, port: SERVICE.port, targetPort: SERVICE.targetPort })));
      const ip = (await step('read the Service\'s ClusterIP', undefined, () => deps.kubectl(['get', 'service', SERVICE.name, '-o', 'jsonpath={.spec.clusterIP}']))).trim();
      if (!isIpv4(ip)) throw new StepFailedError('verify: read the Service\'s ClusterIP', undefined, undefined, `not an IPv4 address: ${JSON.stringify(ip.slice(0, 60))}`);
      service = { ip, port: SERVICE.port };
      await step('start the backend in the destination pod', picked.dstNode.name, () => deps.kubectl(['exec', picked.dst.name, '--', 'httpd', '-p', String(SERVICE.targetPort), '-h', '/etc']));
    }
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
    for (const node of [srcNode, dstNode]) await step('install tcpdump', node, () => deps.ssh(node, ensureTcpdumpCommand(pm)));

    // This run's own remote files (a random token in every name): its captures are stopped by their pids and its
    // files removed, never another run's.
    const token = opts.token ?? runToken();
    const remote = Object.fromEntries(CAPTURE_POINTS.map((p) => [p, remoteCapture(token, p)])) as Record<CapturePoint, RemoteCapture>;
    const nodes = [...new Set([srcNode, dstNode])];
    const onNode = (node: string) => CAPTURE_POINTS.filter((p) => ifaces[p].node === node).map((p) => remote[p]);
    let stopped = false;
    const stopCaptures = async () => {
      if (stopped) return;
      stopped = true;
      for (const node of nodes) await deps.ssh(node, stopCapturesCommand(onNode(node)), { cleanup: true }).catch(() => '');
    };
    remoteCleanups.push(async () => {
      await stopCaptures();
      for (const node of nodes) await deps.ssh(node, removeCapturesCommand(onNode(node)), { cleanup: true }).catch(() => '');
    });

    deps.progress(`capturing at A-D, then pinging ${chosen.dst.ip} (${chosen.dst.node}) from ${chosen.src.name} (${chosen.src.node})`);
    const ended: Partial<Record<CapturePoint, string>> = {};
    const captures = CAPTURE_POINTS.map((p) => deps.ssh(ifaces[p].node, tcpdumpCommand(remote[p], ifaces[p].iface, opts.captureSeconds))
      .then(() => undefined, (e: Error) => e)
      .finally(() => { ended[p] ??= 'ended'; }));
    // Start pinging only once every tcpdump has said it is listening (or fail naming the node and point).
    await waitListening(deps, step, nodes, onNode, ifaces, ended, opts.listenTimeoutMs ?? LISTEN_TIMEOUT_MS);
    const attempts = opts.pings;
    const pingOut = service
      ? await deps.kubectl(['exec', chosen.src.name, '--', 'sh', '-c', `for i in $(seq ${opts.pings}); do wget -q -O /dev/null -T 3 http://${service.ip}:${service.port}/hostname && echo "connection $i to ${service.ip}:${service.port} answered"; done`]).catch(outputOf)
      : await deps.kubectl(['exec', chosen.src.name, '--', 'ping', '-c', String(opts.pings), '-W', '2', chosen.dst.ip]).catch(outputOf);
    const pingResult = parsePing(pingOut, service ? 'tcp' : 'icmp', attempts);
    if (deps.interrupted()) throw new VerifyInterrupted();
    await deps.sleep(1000);
    await stopCaptures();
    const failed = await Promise.all(captures);
    if (deps.interrupted()) throw new VerifyInterrupted();
    failed.forEach((r, i) => { if (r instanceof Error) deps.progress(`capture ${CAPTURE_POINTS[i]} ended with an error: ${r.message.split('\n')[0]}`); });

    // Each capture on its own: one that cannot be fetched or read fails its point (naming the file), the others stay.
    const files: Partial<Record<CapturePoint, string>> = {};
    const analyses: Partial<Record<CapturePoint, FileAnalysis>> = {};
    const unreadable: Partial<Record<CapturePoint, string>> = {};
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
    const state: RunState = {
      srcNode: { name: chosen.src.node, ...srcState },
      dstNode: { name: chosen.dst.node, ...(dstNode === srcNode ? srcState : await readNode(dstNode)) },
      srcPod: { name: chosen.src.name, ...(await readPod(chosen.src.name)) },
      dstPod: { name: chosen.dst.name, ...(await readPod(chosen.dst.name)) },
    };
    const explanation = explainRun(lab, pair, scenario, { src: ifaces.B.iface, dst: ifaces.C.iface }, state, analyses, service);
    const verdict = withPing(withUnreadable(judge(lab, pair, where, analyses, scenario, service), unreadable), judgePing(pingResult, attempts));
    return { scenario, pods, pair, ...(service ? { service } : {}), where, ifaces, podSlices, files, analyses, ...(Object.keys(unreadable).length ? { unreadable } : {}), ping: pingOut, pingResult, verdict, explanation, state };
  } finally {
    for (const c of remoteCleanups) await c().catch(() => '');
    if (!opts.keep) for (const c of cleanups.reverse()) await c().catch(() => '');
    if (!opts.keep) {
      deps.progress('removing the test workload (--keep leaves it)');
      await deps.kubectl(['delete', 'deployment', 'labgen-verify', '--wait=false'], undefined, { cleanup: true }).catch(() => '');
    }
  }
}
