// Pure planning of a verify run: the workload, which pods to ping between, and what to run where.
import type { ResolvedLab, ResolvedNode } from '../lab/types.js';
import { randomBytes } from 'node:crypto';
import type { CapturePoint, PodInfo } from './verdict.js';

/** busybox has sh and ping; small and pulled quickly (the article's centos image is end-of-life). */
export const VERIFY_IMAGE = 'busybox:1.36.1';
export const VERIFY_LABEL = 'app=labgen-verify';

/** Reads `kubectl get pods -o json` output into pod infos (running pods with an IP only). */
export function podsFromJson(json: string): PodInfo[] {
  const doc = JSON.parse(json) as { items: { metadata: { name: string }; status: { podIP?: string; phase?: string }; spec: { nodeName?: string } }[] };
  return doc.items
    .filter((p) => p.status.phase === 'Running' && p.status.podIP && p.spec.nodeName)
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP!, node: p.spec.nodeName! }))
    .sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name));
}

/** Reads each node's pod CIDR (spec.podCIDR, allocated by kube-controller-manager) from `kubectl get nodes -o json`. */
export function podSlicesFromJson(json: string): { node: string; podCidr: string }[] {
  const doc = JSON.parse(json) as { items: { metadata: { name: string }; spec?: { podCIDR?: string } }[] };
  return doc.items.filter((n) => n.spec?.podCIDR).map((n) => ({ node: n.metadata.name, podCidr: n.spec!.podCIDR! }));
}

/** Picks a source and a destination pod on two different workers, preferring the lab's first workers (worker1 -> worker2). */
export function pickPair(lab: ResolvedLab, pods: PodInfo[]): { src: PodInfo; dst: PodInfo; srcNode: ResolvedNode; dstNode: ResolvedNode } | undefined {
  const byHost = new Map(lab.nodes.map((n) => [n.hostname, n]));
  const onWorkers = pods.filter((p) => byHost.get(p.node)?.role === 'worker');
  const order = (p: PodInfo) => byHost.get(p.node)!.index;
  const sorted = [...onWorkers].sort((a, b) => order(a) - order(b));
  const src = sorted[0];
  const dst = sorted.find((p) => src && p.node !== src.node);
  if (!src || !dst) return undefined;
  return { src, dst, srcNode: byHost.get(src.node)!, dstNode: byHost.get(dst.node)! };
}

/** Shell run on a node to name the host side of a pod's veth, from the pod's eth0 iflink index. */
export function vethByIndexCommand(ifindex: number): string {
  return `ip -o link show | awk -F': ' '$1 == ${ifindex} { split($2, a, "@"); print a[1]; exit }'`;
}

/** Shell run on a node to name the NIC carrying an address (for cni.interface: auto). */
export function nicByAddressCommand(ip: string): string {
  return `ip -o -4 addr show | awk '{ split($4, a, "/"); if (a[1] == "${ip}") { print $2; exit } }'`;
}

/** The package managers verify knows how to install tcpdump with (the OS family plugin names its own). */
export type PackageManager = 'apt' | 'dnf';

/** Shell run on a node to make sure tcpdump is there (the article captured on the nodes), with the family's package manager. */
export function ensureTcpdumpCommand(pm: PackageManager): string {
  return pm === 'apt'
    ? 'command -v tcpdump >/dev/null || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump >/dev/null'
    : 'command -v tcpdump >/dev/null || sudo dnf -y -q install tcpdump >/dev/null';
}

/** A fresh token for one run's remote files, so two runs (or two labgens) never touch each other's captures. */
export function runToken(): string { return randomBytes(8).toString('hex'); }

/** One capture's files on its node: the pcap, tcpdump's pid and tcpdump's stderr (where it says it is listening). */
export interface RemoteCapture { point: CapturePoint; pcap: string; pid: string; log: string }

/** The files of one point of one run on its node, named by the run's token. */
export function remoteCapture(token: string, point: CapturePoint): RemoteCapture {
  if (!/^[0-9a-f]{8,32}$/.test(token)) throw new Error(`unexpected run token ${JSON.stringify(token)}`);
  if (!/^[A-D]$/.test(point)) throw new Error(`unexpected capture point ${JSON.stringify(point)}`);
  const base = `/tmp/labgen-capture-${token}-${point}`;
  return { point, pcap: `${base}.pcap`, pid: `${base}.pid`, log: `${base}.log` };
}

/** Shell run on a node to capture one point: bounded in time and size, ssh itself filtered out. The shell records its
 * own pid and then becomes tcpdump (exec), so the pid file names exactly this capture's tcpdump; tcpdump's stderr
 * goes to the log, where it prints "listening on IFACE, link-type ..." once the capture runs (tcpdump.c). */
export function tcpdumpCommand(c: RemoteCapture, iface: string, seconds: number): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(iface)) throw new Error(`unexpected interface name ${JSON.stringify(iface)}`);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`unexpected capture duration ${seconds}`);
  return `sudo timeout ${seconds} sh -c 'echo $$ >${c.pid}; exec tcpdump -i ${iface} -U -s 262 -c 2000 -w ${c.pcap} "not tcp port 22" 2>${c.log}'; true`;
}

/** Shell run on a node to tell, per capture, whether tcpdump is listening yet: one line `POINT listening`,
 * `POINT waiting` or `POINT exited <its stderr>` each. */
export function listeningCommand(cs: RemoteCapture[]): string {
  return cs.map((c) => `if grep -q 'listening on' ${c.log} 2>/dev/null; then echo '${c.point} listening'; `
    + `elif [ -s ${c.pid} ] && [ ! -d /proc/$(cat ${c.pid}) ]; then echo "${c.point} exited $(head -c 300 ${c.log} 2>/dev/null | tr '\\n' ' ')"; `
    + `else echo '${c.point} waiting'; fi`).join('; ');
}

/** What listeningCommand's output says, per point. */
export function parseListening(out: string): Partial<Record<CapturePoint, { state: 'listening' | 'waiting' | 'exited'; detail: string }>> {
  const r: Partial<Record<CapturePoint, { state: 'listening' | 'waiting' | 'exited'; detail: string }>> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-D]) (listening|waiting|exited)\b ?(.*)$/.exec(line.trim());
    if (m) r[m[1] as CapturePoint] = { state: m[2] as 'listening' | 'waiting' | 'exited', detail: m[3]!.trim() };
  }
  return r;
}

/** Shell run on a node to stop this run's captures early once the pings are done: SIGINT (tcpdump flushes and exits)
 * to exactly the pid each pid file names, and only while that pid still runs this capture's tcpdump (its command line
 * names this run's pcap), then waits up to 5 s for it to end. Never a pattern kill: another run's captures live on. */
export function stopCapturesCommand(cs: RemoteCapture[]): string {
  return `${cs.map((c) => `pid=$(cat ${c.pid} 2>/dev/null); if [ -n "$pid" ] && grep -qF ${c.pcap} /proc/$pid/cmdline 2>/dev/null; then sudo kill -INT "$pid"; `
    + `for i in $(seq 50); do [ -d /proc/$pid ] || break; sleep 0.1; done; fi`).join('; ')}; true`;
}

/** Shell run on a node to remove this run's files there (and nothing else). */
export function removeCapturesCommand(cs: RemoteCapture[]): string {
  return `sudo rm -f ${cs.flatMap((c) => [c.pcap, c.pid, c.log]).join(' ')}`;
}

/** Shell run on a node to read one capture. */
export function fetchCaptureCommand(c: RemoteCapture): string { return `sudo base64 -w0 ${c.pcap}`; }

/** The ping's (or the service scenario's TCP client's) own result, read from its output. */
export interface PingResult {
  /** What was run: ICMP echo (ping) or TCP connections (wget to the Service). */
  kind: 'icmp' | 'tcp';
  transmitted: number;
  received: number;
  /** Percent lost, as ping reports it (or computed for TCP). */
  lossPercent: number;
  /** Round-trip times in ms, when ping printed them. */
  rtt?: { min: number; avg: number; max: number };
  /** Set when the output has no summary to read (ping did not run, or was cut off). */
  unreadable?: string;
}

/** Reads ping's summary: busybox (`5 packets transmitted, 5 packets received, 0% packet loss` and
 * `round-trip min/avg/max = a/b/c ms`, networking/ping.c) and iputils (`5 received`, `rtt min/avg/max/mdev = ...`). */
export function parsePing(out: string, kind: 'icmp' | 'tcp', attempts: number): PingResult {
  if (kind === 'tcp') {
    const received = out.split('\n').filter((l) => /^connection \d+ to \S+ answered$/.test(l.trim())).length;
    return { kind, transmitted: attempts, received, lossPercent: Math.round(((attempts - received) * 100) / attempts) };
  }
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ \w+)*, ([\d.]+)% packet loss/.exec(out);
  if (!m) return { kind, transmitted: 0, received: 0, lossPercent: 100, unreadable: out.trim().split('\n').slice(-3).join(' | ').slice(0, 300) || 'no output' };
  const rtt = /(?:round-trip|rtt) min\/avg\/max(?:\/\w+)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(out);
  return { kind, transmitted: Number(m[1]), received: Number(m[2]), lossPercent: Number(m[3]), ...(rtt ? { rtt: { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } } : {}) };
}
