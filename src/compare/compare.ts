// Pure: the comparison of two or more runs (verify or demo): CNI, wire format, overhead, MTU, RTT, path, pod slices.
import type { WireEncapsulation } from '../lab/types.js';
import type { RunReport } from '../verify/report.js';

/** The outer header overhead each wire format adds to a packet (bytes on the wire beyond the pod's own frame). */
export function nominalOverhead(e: WireEncapsulation): number | undefined {
  // VXLAN: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 = 50 (RFC 7348); IP-in-IP: outer IPv4 20 (RFC 2003);
  // routed: nothing. WireGuard's depends on padding, so no single figure.
  if (e.kind === 'vxlan') return 50;
  if (e.kind === 'ipip') return 20;
  if (e.kind === 'none') return 0;
  return undefined;
}

/** Sizes measured for one run: the path's frames at A (the pod's) and at B (on the wire). */
export interface MeasuredSizes { a: number[]; b: number[]; nonEthernet: number }

/** One run's column of the comparison. */
export interface CompareColumn {
  run: string;
  kind: 'verify' | 'demo';
  lab: string;
  cni: string;
  plugin: string;
  mode: string;
  scenario: string;
  ok: boolean;
  /** What B and C showed of the path, in words. */
  wire: { B: string; C: string };
  overhead: { measured?: number; nominal?: number; agrees?: boolean; from: string };
  podMtu?: number;
  tunnelMtu?: number;
  nicMtu?: number;
  rttMs?: { min: number; avg: number; max: number; samples: number };
  devices: string[];
  slices: { node: string; podCidr: string }[];
  sliceLengths: number[];
  missing: number;
}

/** The whole comparison. */
export interface Comparison { columns: CompareColumn[]; problems: string[] }

/** RTT from ping's output: iputils' `rtt min/avg/max/mdev`, busybox's `round-trip min/avg/max`, else each `time=`. */
export function parseRtt(text: string): CompareColumn['rttMs'] {
  const times = [...text.matchAll(/time[=<]([\d.]+) ?ms/g)].map((m) => Number(m[1]));
  const sum = text.match(/(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/);
  if (sum) return { min: Number(sum[1]), avg: Number(sum[2]), max: Number(sum[3]), samples: times.length };
  if (!times.length) return undefined;
  return { min: Math.min(...times), avg: Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 1000) / 1000, max: Math.max(...times), samples: times.length };
}

const median = (xs: number[]): number | undefined => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
};

function wireAt(r: RunReport, p: 'B' | 'C'): string {
  const a = r.analyses[p];
  if (!a) return 'no capture';
  const ends = [r.pair.dst.ip, ...(r.service ? [r.service.ip] : [])];
  const flows = a.flows.filter((f) => f.inner.protocol !== 'arp' && ((f.inner.source === r.pair.src.ip && ends.includes(f.inner.destination)) || (f.inner.destination === r.pair.src.ip && ends.includes(f.inner.source))));
  if (!flows.length) return 'nothing of the path';
  return flows.map((f) => f.encapsulation === 'vxlan' ? `VXLAN UDP ${f.udpPort} VNI ${f.vni} ${f.outer?.source} -> ${f.outer?.destination}` : f.encapsulation === 'ipip' ? `IP-in-IP ${f.outer?.source} -> ${f.outer?.destination}` : `plain ${f.inner.protocol}`).join('; ');
}

/** One column from a run's report and the sizes measured in its captures. */
export function compareColumn(run: string, r: RunReport, sizes: MeasuredSizes | undefined): CompareColumn {
  const nominal = nominalOverhead(r.encapsulation);
  const a = median(sizes?.a ?? []);
  const b = median(sizes?.b ?? []);
  const measured = a !== undefined && b !== undefined ? b - a : undefined;
  const from = sizes === undefined ? 'captures not read'
    : measured === undefined ? `no packets of the path at ${a === undefined ? 'A' : 'B'}${sizes.nonEthernet ? ` (${sizes.nonEthernet} non-Ethernet frames not compared)` : ''}`
      : `median frame at B ${b} bytes - at A ${a} bytes (${sizes.b.length} and ${sizes.a.length} frames)`;
  // The kernel's routes say what the CNI allocated (e.g. IPAM blocks); node.spec.podCIDR only when they are unknown.
  const routed = (r.explanation?.slices ?? []).map((x) => ({ node: x.node, podCidr: x.cidr }));
  const slices = routed.length ? routed : r.podSlices ?? [];
  return {
    run, kind: r.kind, lab: r.lab, cni: r.cni, plugin: r.plugin,
    mode: r.encapsulation.kind === 'vxlan' ? `VXLAN (UDP ${r.encapsulation.udpPort}, VNI ${r.encapsulation.vni}, ${r.encapsulation.device})` : r.encapsulation.kind === 'ipip' ? `IP-in-IP (${r.encapsulation.device})` : r.encapsulation.kind === 'wireguard' ? `WireGuard (${r.encapsulation.device})` : 'routed, no encapsulation',
    scenario: r.scenario, ok: r.ok,
    wire: { B: wireAt(r, 'B'), C: wireAt(r, 'C') },
    overhead: { ...(measured !== undefined ? { measured } : {}), ...(nominal !== undefined ? { nominal } : {}), ...(measured !== undefined && nominal !== undefined ? { agrees: measured === nominal } : {}), from },
    ...(r.explanation?.mtu?.pod !== undefined ? { podMtu: r.explanation.mtu.pod } : {}),
    ...(r.explanation?.mtu?.tunnel !== undefined ? { tunnelMtu: r.explanation.mtu.tunnel } : {}),
    ...(r.explanation?.mtu?.nic !== undefined ? { nicMtu: r.explanation.mtu.nic } : {}),
    ...(r.scenario !== 'service' && parseRtt(r.ping ?? '') ? { rttMs: parseRtt(r.ping)! } : {}),
    devices: (r.explanation?.path ?? []).map((d) => d.device),
    slices, sliceLengths: [...new Set(slices.map((s) => Number(s.podCidr.split('/')[1])))],
    missing: r.explanation?.missing?.length ?? 0,
  };
}

/** Compares the columns: every overhead that disagrees with its wire format's figure is a problem. */
export function compareRuns(columns: CompareColumn[]): Comparison {
  const problems = columns.filter((c) => c.overhead.agrees === false).map((c) => `${c.run}: measured ${c.overhead.measured} bytes of outer headers per packet, ${c.mode} adds ${c.overhead.nominal}`);
  return { columns, problems };
}

/** Rows of the side-by-side text table: a label, then one cell per run. */
export function comparisonRows(c: Comparison): string[][] {
  const cell = (f: (x: CompareColumn) => string) => c.columns.map(f);
  return [
    ['', ...cell((x) => x.run)],
    ['lab', ...cell((x) => `${x.lab} (${x.kind}, ${x.scenario})`)],
    ['CNI', ...cell((x) => x.cni)],
    ['mode', ...cell((x) => x.mode)],
    ['at B', ...cell((x) => x.wire.B)],
    ['at C', ...cell((x) => x.wire.C)],
    ['overhead/packet', ...cell((x) => x.overhead.measured === undefined ? `? (${x.overhead.from})` : `${x.overhead.measured} bytes${x.overhead.nominal !== undefined ? (x.overhead.agrees ? ` (= ${x.overhead.nominal}, as the format says)` : ` (! the format adds ${x.overhead.nominal})`) : ''}`)],
    ['pod MTU', ...cell((x) => x.podMtu === undefined ? '?' : `${x.podMtu}${x.nicMtu !== undefined ? ` (NIC ${x.nicMtu})` : ''}`)],
    ['RTT', ...cell((x) => x.rttMs ? `${x.rttMs.avg} ms avg (${x.rttMs.min}-${x.rttMs.max}, ${x.rttMs.samples} pings)` : '?')],
    ['path', ...cell((x) => x.devices.join(' > ') || '?')],
    ['pod slices', ...cell((x) => x.slices.length ? `${x.sliceLengths.map((l) => `/${l}`).join(', ')} per node: ${x.slices.map((s) => `${s.node.split('.')[0]} ${s.podCidr}`).join(', ')}` : '?')],
    ['state unread', ...cell((x) => String(x.missing))],
  ];
}
