// Runs the demo: builds the namespaces through the injected Runner, captures A-D while the scenario runs, reads the
// kernel state for the explanation, and always removes every namespace it created (also on Ctrl-C).
import { join } from 'node:path';
import type { FileAnalysis } from '../capture/analysis.js';
import type { CniDataplane } from '../cni/types.js';
import { StepFailedError } from '../errors.js';
import { nodeStateCommands, podStateCommands, type RawState, type RunState, type StateCommand } from '../explain/state.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Runner, RunResult } from '../host/process.js';
import { firstLine } from '../host/process.js';
import { CAPTURE_POINTS, type CapturePoint, type PingPair } from '../verify/verdict.js';
import { IPIP_STAND_IN, TCP_CLIENT, TCP_SERVER } from './programs.js';
import { buildSteps, ipipKernelSteps, ipipStandInSteps, type Step } from './steps.js';
import { demoTopology, scenarioPods, type DemoPod, type DemoTopology, type Scenario } from './topology.js';

/** What the demo needs from the outside world. */
export interface DemoDeps {
  runner: Runner;
  progress(line: string): void;
  /** Aborted on Ctrl-C / SIGTERM: no further step starts, cleanup runs. */
  signal: AbortSignal;
  /** Absolute directory the captures are written to. */
  outDir: string;
  /** The per-run namespace prefix (lgd + 6 hex). */
  prefix: string;
  analyze(path: string): Promise<FileAnalysis>;
}

/** Options of one demo run. */
export interface DemoOptions { scenario: Scenario; pings: number }

/** Everything one demo run produced. */
export interface DemoResult {
  topology: DemoTopology;
  scenario: Scenario;
  pair: PingPair;
  where: Record<CapturePoint, string>;
  ifaces: Record<CapturePoint, { node: string; iface: string }>;
  files: Record<CapturePoint, string>;
  analyses: Record<CapturePoint, FileAnalysis>;
  /** The ping's (or the TCP client's) output. */
  ping: string;
  state: RunState;
  /** Set when IP-in-IP ran on the user-space stand-in for tunl0, saying why. */
  ipipStandIn?: string;
  /** Namespaces with the run's prefix still present after cleanup (must be empty). */
  leftovers: string[];
}

/** Thrown when the user interrupted; the command turns it into exit 130 after cleanup. */
export class DemoInterrupted extends Error {}

interface Background { what: string; done: Promise<RunResult>; stop(): void; lines: string[] }

/** Runs the demo end to end; the namespaces are gone when it returns or throws. */
export async function runDemo(lab: ResolvedLab, dataplane: CniDataplane, deps: DemoDeps, opts: DemoOptions): Promise<DemoResult> {
  const t = demoTopology(lab, dataplane, deps.prefix);
  const chosen = scenarioPods(t, opts.scenario);
  if (!chosen) throw new StepFailedError(`demo: pick the pods of the ${opts.scenario} scenario`, undefined, undefined, `lab ${lab.name} has ${t.nodes.filter((n) => n.role === 'worker').length} worker(s); cross-node and service need two`);
  const { src, dst } = chosen;
  const nodeOf = (p: DemoPod) => t.nodes.find((n) => n.name === p.node)!;
  const srcNode = nodeOf(src);
  const dstNode = nodeOf(dst);
  const created: string[] = [];
  const backgrounds: Background[] = [];
  const own = (ns: string) => ns.startsWith(`${t.prefix}-`);

  const run = async (s: Step, what?: string): Promise<RunResult> => {
    if (deps.signal.aborted) throw new DemoInterrupted();
    if (s.ns === undefined) {
      // Only `ip netns add <ours>` runs outside a namespace: nothing is ever configured in the host's own namespace.
      if (!(s.argv[0] === 'ip' && s.argv[1] === 'netns' && s.argv[2] === 'add' && own(s.argv[3] ?? ''))) throw new Error(`refusing to run outside the demo's namespaces: ${s.argv.join(' ')}`);
      created.push(s.argv[3]!);
    } else if (!own(s.ns)) throw new Error(`refusing namespace ${s.ns}`);
    const r = s.ns === undefined ? await deps.runner.run(s.argv[0]!, s.argv.slice(1), { signal: deps.signal }) : await deps.runner.run('ip', ['netns', 'exec', s.ns, ...s.argv], { signal: deps.signal });
    if (r.interrupted || deps.signal.aborted) throw new DemoInterrupted();
    if (r.exitCode !== 0) throw new StepFailedError(`demo: ${what ?? s.argv.join(' ')}`, s.ns, undefined, `${s.ns ? `ip netns exec ${s.ns} ` : ''}${s.argv.join(' ')}: ${firstLine(r)}`);
    return r;
  };
  /** Starts a long-running program in a namespace and waits for the line that says it is ready. */
  const background = async (ns: string, argv: string[], ready: RegExp, what: string): Promise<Background> => {
    if (!own(ns)) throw new Error(`refusing namespace ${ns}`);
    if (deps.signal.aborted) throw new DemoInterrupted();
    const stop = new AbortController();
    const lines: string[] = [];
    let onReady: () => void = () => {};
    const isReady = new Promise<void>((res) => { onReady = res; });
    const done = deps.runner.run('ip', ['netns', 'exec', ns, ...argv], { signal: stop.signal, onLine: (l) => { lines.push(l); if (ready.test(l)) onReady(); } });
    const bg: Background = { what, done, stop: () => stop.abort(), lines };
    backgrounds.push(bg);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      isReady.then(() => 'ready' as const),
      done.then(() => 'ended' as const),
      new Promise<'timeout'>((res) => { timer = setTimeout(() => res('timeout'), 10_000); }),
    ]);
    clearTimeout(timer);
    if (deps.signal.aborted) throw new DemoInterrupted();
    if (outcome !== 'ready') throw new StepFailedError(`demo: start ${what}`, ns, undefined, `${argv[0]} ${outcome === 'ended' ? 'exited' : 'did not become ready within 10 s'}: ${lines.slice(-3).join(' | ') || 'no output'}`);
    return bg;
  };

  let ipipStandIn: string | undefined;
  try {
    deps.progress(`building ${lab.name}'s data plane (${lab.cni.summary}) in namespaces ${t.prefix}-*`);
    for (const s of buildSteps(t, opts.scenario, dst)) await run(s);
    const enc = t.encapsulation;
    if (enc.kind === 'ipip') {
      // Does this kernel have IP-in-IP? `ip link add type ipip` fails without the ipip module (modprobe may be absent).
      const probe = await deps.runner.run('ip', ['netns', 'exec', srcNode.ns, 'ip', 'link', 'add', 'lgdprobe0', 'type', 'ipip'], { signal: deps.signal });
      if (probe.exitCode === 0) {
        await run({ ns: srcNode.ns, argv: ['ip', 'link', 'del', 'lgdprobe0'] });
        for (const n of t.nodes) {
          const has = await deps.runner.run('ip', ['netns', 'exec', n.ns, 'ip', 'link', 'show', enc.device], { signal: deps.signal });
          if (has.exitCode !== 0) await run({ ns: n.ns, argv: ['ip', 'link', 'add', 'name', enc.device, 'type', 'ipip'] });
        }
        for (const s of ipipKernelSteps(t, enc.device)) await run(s);
      } else {
        ipipStandIn = `this kernel has no ipip module (\`ip link add type ipip\` failed: ${firstLine(probe)}), so ${enc.device} is a TUN device driven by a small python3 program per node that adds and strips the outer IPv4 header (protocol 4) on a raw socket; the kernel still routes, writes the outer header and puts the packets on the wire`;
        deps.progress(`IP-in-IP: ${ipipStandIn}`);
        for (const n of t.nodes) {
          const pairs = t.nodes.filter((r) => r !== n).map((r) => `${r.slice}=${r.ip}`);
          await background(n.ns, ['python3', '-u', '-c', IPIP_STAND_IN, enc.device, n.ip, ...pairs], /^ready$/, `the ${enc.device} stand-in on ${n.name}`);
          for (const s of ipipStandInSteps(t, n, enc.device)) await run(s);
        }
      }
    }
    if (opts.scenario === 'service') await background(dst.ns, ['python3', '-u', '-c', TCP_SERVER, String(t.service.targetPort)], /^listening$/, `the backend in ${dst.name}`);

    const ifaces: Record<CapturePoint, { node: string; iface: string; ns: string }> = {
      A: { node: srcNode.hostname, iface: src.hostVeth, ns: srcNode.ns },
      B: { node: srcNode.hostname, iface: srcNode.nic2, ns: srcNode.ns },
      C: { node: dstNode.hostname, iface: dstNode.nic2, ns: dstNode.ns },
      D: { node: dstNode.hostname, iface: dst.hostVeth, ns: dstNode.ns },
    };
    const captures: Background[] = [];
    const files = {} as Record<CapturePoint, string>;
    for (const p of CAPTURE_POINTS) {
      files[p] = join(deps.outDir, `${p}.pcap`);
      // A and D on the host side of the pods' veths, as verify captures them; --immediate-mode and a 2048-byte
      // snapshot hold every frame whole without the default ring's drops.
      captures.push(await background(ifaces[p].ns, ['tcpdump', '-n', '-U', '--immediate-mode', '-s', '2048', '-Z', 'root', '-i', ifaces[p].iface, '-w', files[p]], /listening on/, `tcpdump at ${p}`));
    }
    let ping: RunResult;
    if (opts.scenario === 'service') {
      deps.progress(`connecting from ${src.name} (${src.ip}) to the ClusterIP ${t.service.ip}:${t.service.port}, DNAT to ${dst.ip}:${t.service.targetPort}`);
      ping = await deps.runner.run('ip', ['netns', 'exec', src.ns, 'timeout', '30', 'python3', '-c', TCP_CLIENT, t.service.ip, String(t.service.port), String(opts.pings)], { signal: deps.signal });
    } else {
      deps.progress(`pinging ${dst.ip} (${dst.name}) from ${src.name} (${src.ip}), ${opts.pings} times`);
      ping = await deps.runner.run('ip', ['netns', 'exec', src.ns, 'timeout', '30', 'ping', '-n', '-c', String(opts.pings), '-i', '0.2', '-W', '2', dst.ip], { signal: deps.signal });
    }
    if (deps.signal.aborted) throw new DemoInterrupted();
    await new Promise((res) => setTimeout(res, 300));
    for (const c of captures) c.stop();
    const ended = await Promise.all(captures.map((c) => c.done));
    if (ping.exitCode !== 0) throw new StepFailedError(`demo: ${opts.scenario === 'service' ? 'connect to the service' : 'ping'} from ${src.name} to ${opts.scenario === 'service' ? t.service.ip : dst.ip}`, src.ns, undefined, (ping.stdout + ping.stderr).trim().split('\n').slice(-3).join('\n'));
    ended.forEach((r, i) => {
      const drop = r.stderr.match(/(\d+) packets? dropped by kernel/);
      if (drop && drop[1] !== '0') throw new StepFailedError(`demo: capture ${CAPTURE_POINTS[i]}`, undefined, undefined, `tcpdump reports ${drop[0]}: the capture is incomplete`);
    });

    deps.progress('reading the kernel state of both nodes and both pods');
    const read = async (ns: string, cmds: StateCommand[]): Promise<RawState> => {
      const out: RawState = {};
      for (const c of cmds) {
        if (deps.signal.aborted) throw new DemoInterrupted();
        const r = await deps.runner.run('ip', ['netns', 'exec', ns, ...c.argv], { signal: deps.signal });
        out[c.key] = r.exitCode === 0 ? { ok: true, stdout: r.stdout } : { ok: false, stdout: r.stdout, error: `exit ${r.exitCode}: ${firstLine(r)}` };
      }
      return out;
    };
    const lookups = [dst.ip, src.ip, srcNode.ip, dstNode.ip, ...(opts.scenario === 'service' ? [t.service.ip] : [])];
    const nodeCmds = nodeStateCommands(lookups, { nat: opts.scenario === 'service' });
    const state: RunState = {
      srcNode: { name: srcNode.hostname, state: await read(srcNode.ns, nodeCmds) },
      dstNode: { name: dstNode.hostname, state: dstNode === srcNode ? {} : await read(dstNode.ns, nodeCmds) },
      srcPod: { name: src.name, state: await read(src.ns, podStateCommands()) },
      dstPod: { name: dst.name, state: await read(dst.ns, podStateCommands()) },
    };
    if (dstNode === srcNode) state.dstNode.state = state.srcNode.state;

    const analyses = {} as Record<CapturePoint, FileAnalysis>;
    for (const p of CAPTURE_POINTS) analyses[p] = await deps.analyze(files[p]);
    const where = {
      A: `${ifaces.A.iface} on ${srcNode.name} (pod ${src.name})`, B: `${ifaces.B.iface} on ${srcNode.name}`,
      C: `${ifaces.C.iface} on ${dstNode.name}`, D: `${ifaces.D.iface} on ${dstNode.name} (pod ${dst.name})`,
    };
    const pair: PingPair = {
      src: { name: src.name, ip: src.ip, node: srcNode.hostname }, dst: { name: dst.name, ip: dst.ip, node: dstNode.hostname },
      srcNodeIp: srcNode.ip, dstNodeIp: dstNode.ip,
    };
    const plainIfaces = Object.fromEntries(CAPTURE_POINTS.map((p) => [p, { node: ifaces[p].node, iface: ifaces[p].iface }])) as DemoResult['ifaces'];
    return { topology: t, scenario: opts.scenario, pair, where, ifaces: plainIfaces, files, analyses, ping: ping.stdout, state, ...(ipipStandIn ? { ipipStandIn } : {}), leftovers: [] };
  } finally {
    for (const b of backgrounds) b.stop();
    await Promise.all(backgrounds.map((b) => b.done.catch(() => undefined)));
    for (const ns of [...created].reverse()) await deps.runner.run('ip', ['netns', 'del', ns]);
    deps.progress(`removed namespaces ${t.prefix}-*`);
  }
}

/** The namespaces with a prefix that exist now (the test and the command check none is left). */
export async function namespacesWithPrefix(runner: Runner, prefix: string): Promise<string[]> {
  const r = await runner.run('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`${prefix}-`));
}
