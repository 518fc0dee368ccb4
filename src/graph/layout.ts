// Lays a lab out as the article draws it: NIC1 network on top, node boxes in rows, the host-only bar below, a legend.
// NIC1's network is drawn as the provider declares it: a bar all VMs share, or one NAT engine above each VM.
import type { ResolvedLab, ResolvedNode } from '../lab/types.js';
import { graphFacts, type GraphFacts } from './facts.js';
import { captureWhere, cniText, hostAdapterName, isNode, nic1NetworkName, nic1ShapeText, nicAddress, nicTitle, nodeSpec, podSlicesOf } from './labels.js';
import { CHAR_WIDTH_EM, lineHeight, oneLine, textWidth, wrapText } from './text-metrics.js';
import type { CapturePoint, GraphOverlay, Layout, LineShape, RectShape, TextBox } from './types.js';

/** At most this many nodes side by side; more wrap into further rows. */
export const MAX_NODES_PER_ROW = 4;

const M = 24;
const PAD = 8;
const COL_GAP = 28;
const CONNECTOR = 26;
const MARKER_R = 10;
const MARKER_GAP = 6;
const HOSTNAME_COLS = 40;
const SIZE = { title: 16, name: 14, body: 12, small: 11 } as const;
const COLOR = {
  text: '#1a1a1a', muted: '#555555',
  nat: '#b86e12', natFill: '#fdebd3', hostOnly: '#2f6db5', hostOnlyFill: '#dbe8fb',
  cp: '#2f4f7f', cpFill: '#eef3fb', worker: '#555555', workerFill: '#f6f6f6',
  pod: '#3f8f3a', podFill: '#e3f4e1', iface: '#7a4f9a', ifaceFill: '#f0e6f7',
  marker: '#c62828', markerStroke: '#7f0000', markerText: '#ffffff',
} as const;

interface Line { text: string; size: number; bold?: boolean; fill?: string }
interface Inner { kind: 'pod' | 'iface'; markers: CapturePoint[]; lines: Line[] }
interface NodePlan { node: ResolvedNode; lines: Line[]; inners: Inner[]; nicMarkers: [CapturePoint[], CapturePoint[]]; nicLines: [Line[], Line[]] }

const linesWidth = (ls: Line[]): number => Math.max(0, ...ls.map((l) => textWidth(l.text, l.size)));
const linesHeight = (ls: Line[]): number => ls.reduce((h, l) => h + lineHeight(l.size), 0);
const markersWidth = (n: number): number => n * (2 * MARKER_R + MARKER_GAP);
const innerWidth = (i: Inner): number => PAD + markersWidth(i.markers.length) + linesWidth(i.lines) + PAD;
const innerHeight = (i: Inner): number => Math.max(2 * MARKER_R, linesHeight(i.lines)) + 8;
const byPoint = (a: CapturePoint, b: CapturePoint): number => a.point.localeCompare(b.point);

function planNode(node: ResolvedNode, overlay?: GraphOverlay): NodePlan {
  const lines: Line[] = [
    { text: node.name, size: SIZE.name, bold: true },
    ...wrapText(node.hostname, HOSTNAME_COLS).map((t) => ({ text: t, size: SIZE.body })),
    { text: nodeSpec(node), size: SIZE.small, fill: COLOR.muted },
  ];
  const slices = podSlicesOf(node, overlay);
  if (slices.length) lines.push(...wrapText(`pods ${slices.map(oneLine).join(', ')}`, HOSTNAME_COLS).map((t) => ({ text: t, size: SIZE.small, bold: true, fill: COLOR.pod })));
  for (const n of (overlay?.notes ?? []).filter((x) => isNode(node, x.node))) {
    for (const t of n.lines.slice(0, 8)) lines.push(...wrapText(t, HOSTNAME_COLS).map((w) => ({ text: w, size: SIZE.small, fill: COLOR.iface })));
  }
  const nicMarkers: [CapturePoint[], CapturePoint[]] = [[], []];
  const inners = new Map<string, Inner>();
  for (const c of (overlay?.captures ?? []).filter((x) => isNode(node, x.node)).sort(byPoint)) {
    const isPod = c.podName !== undefined || c.podIp !== undefined;
    const nic = node.nics.findIndex((n) => n.name === c.iface);
    if (!isPod && nic >= 0) { nicMarkers[nic]!.push(c); continue; }
    const key = isPod ? `pod\u0000${c.podName ?? ''}\u0000${c.podIp ?? ''}\u0000${c.iface}` : `if\u0000${c.iface}`;
    let inner = inners.get(key);
    if (!inner) {
      const ls: Line[] = isPod
        ? [...(c.podName !== undefined ? wrapText(`pod ${c.podName}`, HOSTNAME_COLS).map((t) => ({ text: t, size: SIZE.small, bold: true })) : [{ text: 'pod', size: SIZE.small, bold: true }]),
          { text: oneLine(`${c.podIp ?? ''} ${c.iface}`), size: SIZE.small }]
        : [{ text: oneLine(c.iface), size: SIZE.small, bold: true }];
      inner = { kind: isPod ? 'pod' : 'iface', markers: [], lines: ls };
      inners.set(key, inner);
    }
    inner.markers.push(c);
  }
  const nicLines = node.nics.map((n, i) => [
    { text: nicTitle(n, i), size: SIZE.small, bold: true },
    { text: nicAddress(n), size: SIZE.small },
  ]) as [Line[], Line[]];
  return { node, lines, inners: [...inners.values()], nicMarkers, nicLines };
}

class Canvas {
  readonly rects: RectShape[] = [];
  readonly lines: LineShape[] = [];
  readonly circles: Layout['circles'] = [];
  readonly texts: TextBox[] = [];

  text(x: number, y: number, l: Line): number {
    const h = lineHeight(l.size);
    const text = oneLine(l.text);
    this.texts.push({ x, y, width: textWidth(text, l.size), height: h, text, size: l.size, ...(l.bold ? { bold: true } : {}), fill: l.fill ?? COLOR.text });
    return y + h;
  }

  block(x: number, y: number, ls: Line[]): number { for (const l of ls) y = this.text(x, y, l); return y; }

  marker(cx: number, cy: number, c: CapturePoint): void {
    this.circles.push({ cx, cy, r: MARKER_R, fill: COLOR.marker, stroke: COLOR.markerStroke, kind: `marker-${c.point}` });
    const size = SIZE.body;
    const w = textWidth(c.point, size);
    const h = lineHeight(size);
    this.texts.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, text: c.point, size, bold: true, fill: COLOR.markerText });
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, kind: string): void {
    this.lines.push({ x1, y1, x2, y2, stroke, width, kind });
  }
}

/** Computes the picture of a lab (and of a run, with an overlay): pure geometry, no SVG yet. */
export function layoutLab(lab: ResolvedLab, overlay?: GraphOverlay, facts: GraphFacts = graphFacts(lab)): Layout {
  const cv = new Canvas();
  const plans = lab.nodes.map((n) => planNode(n, overlay));
  const nicH = 2 * lineHeight(SIZE.small) + 6;
  const nicW = (p: NodePlan, i: 0 | 1): number => linesWidth(p.nicLines[i]) + 2 * PAD;
  const nicNeed = (p: NodePlan, i: 0 | 1): number => 2 * (nicW(p, i) / 2 + markersWidth(p.nicMarkers[i].length)) + 2 * PAD;
  const colW = Math.ceil(Math.max(160, ...plans.map((p) => Math.max(
    linesWidth(p.lines) + 2 * PAD, nicNeed(p, 0), nicNeed(p, 1), ...p.inners.map((i) => innerWidth(i) + 2 * PAD),
  ))));
  const nodeH = Math.ceil(Math.max(...plans.map((p) => nicH / 2 + 6 + linesHeight(p.lines) + p.inners.reduce((h, i) => h + 6 + innerHeight(i), 0) + nicH / 2 + 6)));

  const perVm = facts.nic1.kind === 'per-vm';
  const natLabel: Line[] = [{ text: nic1NetworkName(facts), size: SIZE.small, bold: true, fill: COLOR.nat }, { text: perVm ? `${lab.network.nat.cidr} in each VM` : lab.network.nat.cidr, size: SIZE.small, fill: COLOR.nat }];
  // Per-VM NAT: each VM's own engine, a box above its NIC1 (the same addresses in every VM, no path between them).
  const engineLines: Line[] = [{ text: 'NAT engine', size: SIZE.small, bold: true, fill: COLOR.nat }, { text: facts.nic1.gateway ?? lab.network.nat.cidr, size: SIZE.small, fill: COLOR.nat }];
  const engineH = linesHeight(engineLines) + 6;
  const engineW = linesWidth(engineLines) + 2 * PAD;
  const hoLabel: Line[] = [{ text: 'host-only', size: SIZE.small, bold: true, fill: COLOR.hostOnly }, { text: lab.network.hostOnly.cidr, size: SIZE.small, fill: COLOR.hostOnly }];
  const labelX = M + 14;
  const gutterW = Math.ceil(14 + Math.max(linesWidth(natLabel), linesWidth(hoLabel)) + 16);
  const perRow = Math.min(MAX_NODES_PER_ROW, Math.max(1, plans.length));
  const x0 = M + gutterW;
  const nodesRight = x0 + perRow * colW + (perRow - 1) * COL_GAP;
  const barRight = nodesRight + 12;
  const wrapCols = Math.max(84, Math.floor((barRight - M) / (CHAR_WIDTH_EM * SIZE.body)));

  // Title and description.
  let y = cv.text(M, M, { text: oneLine(lab.name), size: SIZE.title, bold: true });
  if (oneLine(lab.description) !== '') y = cv.block(M, y + 2, wrapText(lab.description, wrapCols).map((t) => ({ text: t, size: SIZE.body, fill: COLOR.muted })));
  y += 14;

  // Rows of nodes between their NIC1 bar and their host-only bar; the host-only bars are one network, joined at the left.
  const hoBars: number[] = [];
  for (let r = 0; r * perRow < plans.length; r++) {
    const row = plans.slice(r * perRow, (r + 1) * perRow);
    const labelEnd = cv.block(labelX, y, natLabel) + 4;
    const natY = perVm ? Math.max(labelEnd, y + engineH) : labelEnd;
    if (!perVm) cv.line(M + 10, natY, barRight, natY, COLOR.nat, 3, 'bar-nat');
    else row.forEach((_, c) => {
      const cx = x0 + c * (colW + COL_GAP) + colW / 2;
      cv.rects.push({ x: cx - engineW / 2, y: natY - engineH, width: engineW, height: engineH, fill: COLOR.natFill, stroke: COLOR.nat, rx: 8, kind: 'nat-engine' });
      cv.block(cx - engineW / 2 + PAD, natY - engineH + 3, engineLines);
    });
    const nodeTop = natY + CONNECTOR + nicH / 2;
    const hoY = nodeTop + nodeH + nicH / 2 + CONNECTOR;
    cv.block(labelX, hoY - 4 - linesHeight(hoLabel), hoLabel);
    cv.line(M, hoY, barRight, hoY, COLOR.hostOnly, 4, 'bar-host-only');
    hoBars.push(hoY);
    row.forEach((p, c) => drawNode(cv, p, x0 + c * (colW + COL_GAP), nodeTop, colW, nodeH, nicH, natY, hoY));
    y = hoY + 22;
  }
  if (hoBars.length > 1) cv.line(M, hoBars[0]!, M, hoBars[hoBars.length - 1]!, COLOR.hostOnly, 4, 'trunk-host-only');

  // The host's adapter on the host-only network.
  const lastHo = hoBars[hoBars.length - 1]!;
  const hostLines: Line[] = [{ text: hostAdapterName(lab, facts), size: SIZE.small, bold: true }, { text: lab.network.hostOnly.hostAddress, size: SIZE.small }];
  const hostW = linesWidth(hostLines) + 2 * PAD;
  const hostTop = lastHo + 22;
  cv.line(labelX + hostW / 2, lastHo, labelX + hostW / 2, hostTop, COLOR.hostOnly, 2, 'connector-host');
  cv.rects.push({ x: labelX, y: hostTop, width: hostW, height: linesHeight(hostLines) + 6, fill: COLOR.hostOnlyFill, stroke: COLOR.hostOnly, rx: 4, kind: 'host-adapter' });
  y = cv.block(labelX + PAD, hostTop + 3, hostLines) + 3 + 18;

  // Legend: pod network, CNI and its wire format, versions.
  const nicChoice = lab.cni.interface.mode === 'name' ? `on ${lab.cni.interface.name}` : 'on the NIC holding the node\'s host-only address';
  const legend = [
    `pod CIDR ${lab.kubernetes.podCidr}: ${facts.slicing.text}${overlay?.podSlices?.length ? ' (in the boxes, as the cluster allocated them)' : ''}; services ${lab.kubernetes.serviceCidr}`,
    ...(perVm ? [`NIC1: ${nic1ShapeText(lab, facts)}`] : []),
    `CNI ${cniText(lab)}, ${nicChoice}`,
    `Kubernetes ${lab.kubernetes.minor}, ${lab.kubernetes.runtime}, ${lab.os.box} (${lab.os.family}), ${lab.provider.name}`,
  ];
  for (const l of legend) y = cv.block(M, y, wrapText(l, wrapCols).map((t) => ({ text: t, size: SIZE.body })));

  // Capture points of a verify run: where, and what was seen.
  const caps = [...(overlay?.captures ?? [])].sort(byPoint);
  if (caps.length > 0) {
    y = cv.text(M, y + 12, { text: 'Captures', size: SIZE.body, bold: true }) + 4;
    const textX = M + 2 * MARKER_R + 8;
    const cols = Math.max(40, wrapCols - 4);
    for (const c of caps) {
      const ls: Line[] = [
        ...wrapText(captureWhere(c, lab), cols).map((t) => ({ text: t, size: SIZE.small, bold: true })),
        ...wrapText(c.seen, cols).map((t) => ({ text: t, size: SIZE.small })),
      ];
      const h = Math.max(2 * MARKER_R, linesHeight(ls));
      cv.marker(M + MARKER_R, y + MARKER_R, c);
      cv.block(textX, y, ls);
      y += h + 6;
    }
  }

  const right = Math.max(barRight, ...cv.texts.map((t) => t.x + t.width), ...cv.rects.map((r) => r.x + r.width));
  return {
    width: Math.ceil(right + M), height: Math.ceil(y + M), title: oneLine(lab.name), description: oneLine(lab.description),
    rects: cv.rects, lines: cv.lines, circles: cv.circles, texts: cv.texts,
  };
}

function drawNode(cv: Canvas, p: NodePlan, x: number, top: number, w: number, h: number, nicH: number, natY: number, hoY: number): void {
  const cp = p.node.role === 'control-plane';
  cv.rects.push({ x, y: top, width: w, height: h, fill: cp ? COLOR.cpFill : COLOR.workerFill, stroke: cp ? COLOR.cp : COLOR.worker, rx: 6, kind: `node-${p.node.role}` });
  let y = cv.block(x + PAD, top + nicH / 2 + 6, p.lines);
  for (const inner of p.inners) {
    const ih = innerHeight(inner);
    const pod = inner.kind === 'pod';
    cv.rects.push({ x: x + PAD, y: y + 6, width: w - 2 * PAD, height: ih, fill: pod ? COLOR.podFill : COLOR.ifaceFill, stroke: pod ? COLOR.pod : COLOR.iface, rx: 4, kind: inner.kind });
    inner.markers.forEach((c, k) => cv.marker(x + 2 * PAD + MARKER_R + k * (2 * MARKER_R + MARKER_GAP), y + 6 + ih / 2, c));
    cv.block(x + 2 * PAD + markersWidth(inner.markers.length), y + 6 + (ih - linesHeight(inner.lines)) / 2, inner.lines);
    y += 6 + ih;
  }
  const cx = x + w / 2;
  ([0, 1] as const).forEach((i) => {
    const nw = Math.max(...p.nicLines[i].map((l) => textWidth(l.text, l.size))) + 2 * PAD;
    const ny = i === 0 ? top - nicH / 2 : top + h - nicH / 2;
    const net = i === 0 ? 'nat' : 'hostOnly';
    if (i === 0) cv.line(cx, natY, cx, ny, COLOR.nat, 2, 'connector-nat');
    else cv.line(cx, ny + nicH, cx, hoY, COLOR.hostOnly, 2, 'connector-host-only');
    cv.rects.push({ x: cx - nw / 2, y: ny, width: nw, height: nicH, fill: COLOR[`${net}Fill`], stroke: COLOR[net], rx: 3, kind: `nic${i + 1}` });
    cv.block(cx - nw / 2 + PAD, ny + 3, p.nicLines[i]);
    p.nicMarkers[i].forEach((c, k) => cv.marker(cx + nw / 2 + MARKER_GAP + MARKER_R + k * (2 * MARKER_R + MARKER_GAP), ny + nicH / 2, c));
  });
}
