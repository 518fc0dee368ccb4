// Turns what `labgen verify` found (its result, or the verify.json of a run) into the overlay that marks A-D.
import type { ResolvedLab } from '../lab/types.js';
import type { CapturePoint, CapturePointName, GraphOverlay } from './types.js';

/** The parts of a verify run the picture needs (VerifyResult and verify.json both have them). */
export interface VerifyRecord {
  pair: { src: { name: string; ip: string; node: string }; dst: { name: string; ip: string; node: string } };
  where: Record<CapturePointName, string>;
  /** The interface each point was captured on (verify.json since ifaces was added; older runs only have `where`). */
  ifaces?: Partial<Record<CapturePointName, { node: string; iface: string }>>;
  /** Each node's pod CIDR as the running cluster allocated it. */
  podSlices?: { node: string; podCidr: string }[];
  verdict: { points: { point: string; seen: string; ok: boolean }[] };
  /** The explanation's per-node lines (devices, routes, fdb), when the run has one. */
  explanation?: { notes?: { node: string; lines: string[] }[] };
}

const SEEN_MAX = 280;
const IFACE = /^[A-Za-z0-9_.@-]{1,32}$/;

/** The overlay of a verify run: A/D on the test pods, B/C on the NICs the captures ran on, with what each saw. */
export function overlayFromVerify(lab: ResolvedLab, rec: VerifyRecord): GraphOverlay {
  const captures: CapturePoint[] = (['A', 'B', 'C', 'D'] as const).map((point) => {
    const pod = point === 'A' || point === 'B' ? rec.pair.src : rec.pair.dst;
    const first = rec.ifaces?.[point]?.iface ?? String(rec.where?.[point] ?? '').split(' ')[0] ?? '';
    const node = lab.nodes.find((n) => n.hostname === pod.node || n.name === pod.node);
    const iface = IFACE.test(first) ? first : point === 'A' || point === 'D' ? 'veth' : node?.nics[1].name ?? 'NIC2';
    const v = rec.verdict?.points?.find((p) => p.point === point);
    const seenText = v ? `${v.ok ? 'as expected' : 'UNEXPECTED'}: ${v.seen}` : 'no verdict';
    const seen = seenText.length > SEEN_MAX ? `${seenText.slice(0, SEEN_MAX - 3)}...` : seenText;
    const onPod = point === 'A' || point === 'D';
    return { point, node: node?.name ?? pod.node, iface, ...(onPod ? { podName: pod.name, podIp: pod.ip } : {}), seen };
  });
  const notes = (rec.explanation?.notes ?? []).map((n) => ({ node: n.node, lines: n.lines.map((l) => (l.length > 300 ? `${l.slice(0, 297)}...` : l)) }));
  return { captures, ...(rec.podSlices?.length ? { podSlices: rec.podSlices } : {}), ...(notes.length ? { notes } : {}) };
}
