// Pure judgement of a verify run: what the lab's CNI should put on the wire at A-D, against what the captures show.
import type { FileAnalysis, Flow } from '../capture/analysis.js';
import type { ResolvedLab, WireEncapsulation } from '../lab/types.js';
import type { PingResult } from './plan.js';

/** The article's four capture points. */
export type CapturePoint = 'A' | 'B' | 'C' | 'D';
export const CAPTURE_POINTS: readonly CapturePoint[] = ['A', 'B', 'C', 'D'];

/** A test pod as kubectl reports it. */
export interface PodInfo { name: string; ip: string; node: string }

/** The two ends of the experiment: source pod on one worker, destination pod on another. */
export interface PingPair { src: PodInfo; dst: PodInfo; srcNodeIp: string; dstNodeIp: string }

/** What one point should show and what it did show. */
export interface PointVerdict {
  point: CapturePoint;
  where: string;
  expected: string;
  seen: string;
  ok: boolean;
  problems: string[];
  echoRequests: number;
  echoReplies: number;
}

/** The whole run's verdict; `ping` is the ping's (or TCP client's) own result, judged beside the captures. */
export interface Verdict { ok: boolean; encapsulation: WireEncapsulation; scenario: Scenario; points: PointVerdict[]; ping?: PingVerdict }

/** The ping's own verdict: every echo request answered (every connection, for the service scenario). */
export interface PingVerdict { ok: boolean; result: PingResult; problems: string[] }

/** Judges the ping's own result: what it sent must all have been answered, as on a healthy lab with no load. */
export function judgePing(r: PingResult, expected: number): PingVerdict {
  const what = r.kind === 'tcp' ? 'connections' : 'echo requests';
  const problems: string[] = [];
  if (r.unreadable !== undefined) problems.push(`the ${r.kind === 'tcp' ? 'client' : 'ping'} printed no summary: ${r.unreadable}`);
  else {
    if (r.transmitted !== expected) problems.push(`${r.transmitted} ${what} sent, ${expected} asked for`);
    if (r.received === 0) problems.push(`none of the ${r.transmitted} ${what} was answered`);
    else if (r.received < r.transmitted) problems.push(`${r.transmitted - r.received} of ${r.transmitted} ${what} unanswered (${r.lossPercent}% loss)`);
  }
  return { ok: problems.length === 0, result: r, problems };
}

/** A capture that was fetched but could not be read: its point fails naming the file and why, the others stand. */
export function withUnreadable(v: Verdict, unreadable: Partial<Record<CapturePoint, string>>): Verdict {
  const points = v.points.map((p) => {
    const why = unreadable[p.point];
    return why === undefined ? p : { ...p, seen: 'unreadable capture', ok: false, problems: [why] };
  });
  return { ...v, points, ok: v.ok && points.every((p) => p.ok) };
}

/** Adds the ping's verdict to the captures'. */
export function withPing(v: Verdict, ping: PingVerdict): Verdict { return { ...v, ping, ok: v.ok && ping.ok }; }

/** The experiments: pods on two workers (the article's), two pods on one worker, a ClusterIP Service backed by a pod on another worker. */
export type Scenario = 'cross-node' | 'same-node' | 'service';
export const SCENARIOS: readonly Scenario[] = ['cross-node', 'same-node', 'service'];

/** What the service scenario talks to: the ClusterIP and its port (kube-proxy DNATs it to the destination pod). */
export interface ServiceTarget { ip: string; port: number }

const samePair = (a: { source: string; destination: string }, x: string, y: string) =>
  (a.source === x && a.destination === y) || (a.source === y && a.destination === x);

/** Human description of a wire format, as the article would say it. */
export function describeWire(w: WireEncapsulation, pair: PingPair, proto = 'ICMP', dstIp = pair.dst.ip): string {
  const nodes = `${pair.srcNodeIp} <-> ${pair.dstNodeIp}`;
  const pods = `${pair.src.ip} <-> ${dstIp}`;
  switch (w.kind) {
    case 'vxlan': return `VXLAN UDP ${w.udpPort} VNI ${w.vni} between ${nodes}, carrying ${proto} ${pods}`;
    case 'ipip': return `IP-in-IP (IP protocol 4) between ${nodes}, carrying ${proto} ${pods}`;
    case 'wireguard': return `WireGuard UDP ${w.udpPort} between ${nodes} (encrypted: no cleartext ${proto} ${pods})`;
    default: return `plain routed ${proto} ${pods} (no encapsulation)`;
  }
}

function describeFlow(f: Flow): string {
  const outer = f.outer ? ` ${f.outer.source} -> ${f.outer.destination}` : '';
  const tunnel = f.encapsulation === 'vxlan' ? ` UDP ${f.udpPort} VNI ${f.vni}` : '';
  return `${f.encapsulation}${outer}${tunnel} inner ${f.inner.source} -> ${f.inner.destination} ${f.inner.protocol} (${f.echoRequests} req, ${f.echoReplies} rep)`;
}

function betweenPods(f: Flow, pair: PingPair, proto: string, dstIp: string): boolean {
  return f.inner.protocol === proto && samePair(f.inner, pair.src.ip, dstIp);
}

/** Same-node: both pods on one worker, so B and C must show nothing of their traffic (the node delivers it locally). */
function judgeUntouched(point: CapturePoint, where: string, a: FileAnalysis | undefined, pair: PingPair): PointVerdict {
  const base = { point, where, expected: `nothing of ICMP ${pair.src.ip} <-> ${pair.dst.ip}: both pods are on ${pair.src.node}, whose kernel routes one to the other without touching its host-only NIC` };
  if (!a) return { ...base, seen: 'no capture', ok: false, problems: [`no capture file for ${point}`], echoRequests: 0, echoReplies: 0 };
  const seen = a.flows.filter((f) => f.inner.protocol !== 'arp').map(describeFlow).join('; ') || 'nothing';
  const leaked = a.flows.filter((f) => f.inner.protocol === 'icmp' && samePair(f.inner, pair.src.ip, pair.dst.ip));
  const problems = leaked.length ? [`${point} shows the pods' packets although both are on ${pair.src.node}: ${leaked.map(describeFlow).join('; ')}`] : [];
  return { ...base, seen, ok: problems.length === 0, problems, echoRequests: 0, echoReplies: 0 };
}

function judgePoint(point: CapturePoint, where: string, expected: WireEncapsulation, a: FileAnalysis | undefined, pair: PingPair, proto = 'icmp', dstIp = pair.dst.ip): PointVerdict {
  const isNodePoint = point === 'B' || point === 'C';
  const want: WireEncapsulation = isNodePoint ? expected : { kind: 'none' };
  const base = { point, where, expected: describeWire(want, pair, proto.toUpperCase(), dstIp) };
  if (!a) return { ...base, seen: 'no capture', ok: false, problems: [`no capture file for ${point}`], echoRequests: 0, echoReplies: 0 };
  const pod = a.flows.filter((f) => betweenPods(f, pair, proto, dstIp));
  const seen = a.flows.filter((f) => f.inner.protocol !== 'arp').map(describeFlow).join('; ') || 'nothing';
  const problems: string[] = [];
  let match: Flow[] = [];
  if (want.kind === 'wireguard') {
    if (pod.length) problems.push(`cleartext ICMP between the pods at ${point}, where WireGuard should encrypt it`);
    const udp = a.flows.filter((f) => f.inner.protocol === 'udp' && samePair(f.inner, pair.srcNodeIp, pair.dstNodeIp));
    if (!udp.length) problems.push(`no UDP between ${pair.srcNodeIp} and ${pair.dstNodeIp} at ${point}`);
    return { ...base, seen, ok: problems.length === 0, problems, echoRequests: 0, echoReplies: 0 };
  }
  match = pod.filter((f) => f.encapsulation === want.kind);
  if (want.kind === 'vxlan') match = match.filter((f) => f.udpPort === want.udpPort && f.vni === want.vni && f.outer !== undefined && samePair(f.outer, pair.srcNodeIp, pair.dstNodeIp));
  if (want.kind === 'ipip') match = match.filter((f) => f.outer !== undefined && samePair(f.outer, pair.srcNodeIp, pair.dstNodeIp));
  const wrong = pod.filter((f) => !match.includes(f));
  const requests = match.reduce((n, f) => n + f.echoRequests, 0);
  const replies = match.reduce((n, f) => n + f.echoReplies, 0);
  if (!pod.length) problems.push(`no ${proto.toUpperCase()} between ${pair.src.ip} and ${dstIp} arrived at ${point}`);
  else if (!match.length) problems.push(`expected ${describeWire(want, pair, proto.toUpperCase(), dstIp)} at ${point}, saw ${wrong.map(describeFlow).join('; ')}`);
  else {
    if (wrong.length) problems.push(`besides the expected packets, ${point} also shows ${wrong.map(describeFlow).join('; ')}`);
    if (proto === 'icmp' && requests === 0) problems.push(`no echo requests at ${point}`);
    if (proto === 'icmp' && replies === 0) problems.push(`no echo replies at ${point}`);
    // A connection both ways: at least a SYN and its SYN-ACK, so two packets or more.
    if (proto !== 'icmp' && match.reduce((n, f) => n + f.packets, 0) < 2) problems.push(`only one ${proto.toUpperCase()} packet at ${point}`);
  }
  return { ...base, seen, ok: problems.length === 0, problems, echoRequests: requests, echoReplies: replies };
}

/** Where each point was captured, for the report: A and D the pods' interfaces, B and C the nodes' host-only NICs. */
export interface CaptureWhere { A: string; B: string; C: string; D: string }

/**
 * Judges the four captures against the lab's CNI, by the scenario's rules: cross-node, the CNI's wire format at
 * B/C and plain ICMP at A/D; same-node, plain at A/D and nothing at B/C; service, TCP to the ClusterIP at A and to
 * the backing pod (after kube-proxy's DNAT) at B, C and D.
 */
export function judge(lab: ResolvedLab, pair: PingPair, where: CaptureWhere, analyses: Partial<Record<CapturePoint, FileAnalysis>>, scenario: Scenario = 'cross-node', service?: ServiceTarget): Verdict {
  const enc = lab.cni.encapsulation;
  const points = CAPTURE_POINTS.map((p) => {
    if (scenario === 'same-node') return p === 'B' || p === 'C' ? judgeUntouched(p, where[p], analyses[p], pair) : judgePoint(p, where[p], enc, analyses[p], pair);
    if (scenario === 'service' && service) return judgePoint(p, where[p], enc, analyses[p], pair, 'tcp', p === 'A' ? service.ip : pair.dst.ip);
    return judgePoint(p, where[p], enc, analyses[p], pair);
  });
  return { ok: points.every((p) => p.ok), encapsulation: enc, scenario, points };
}
