// Labs of any size for the graph tests, built through the real parse + resolve, and the SVG read back as boxes.
import { checkLab } from '../../src/lab/parse.js';
import { resolveLab } from '../../src/lab/resolve.js';
import type { LabDefinition, ResolvedLab } from '../../src/lab/types.js';
import { defaultRegistries } from '../../src/registries.js';
import { BASELINE_EM, CHAR_WIDTH_EM, lineHeight, textColumns } from '../../src/graph/text-metrics.js';
import type { GraphOverlay } from '../../src/graph/types.js';
import { allElements, parseXml, type XmlElement } from './xml.js';

/** A lab of `count` nodes (a control plane and workers) on 10.0.0.0/24, like the article's, with optional changes. */
export function makeLab(count: number, change: (def: LabDefinition) => void = () => {}): ResolvedLab {
  const def: LabDefinition = {
    name: `graph-${count}node`,
    description: `${count} nodes for the graph tests`,
    os: { family: 'el' },
    network: { hostOnly: { cidr: '10.0.0.0/24', hostAddress: '10.0.0.254' } },
    kubernetes: { version: '1.35', podCidr: '10.244.0.0/16' },
    cni: { plugin: 'flannel', interface: 'enp0s8', options: { backend: 'vxlan' } },
    defaults: { cpus: 2, memory: 3072 },
    nodes: Array.from({ length: count }, (_, i) => ({
      name: i === 0 ? 'master' : `worker${i}`,
      hostname: i === 0 ? 'master.lab.com' : `worker${i}.lab.com`,
      role: i === 0 ? 'control-plane' as const : 'worker' as const,
      ip: `10.0.0.${i + 1}`,
    })),
  };
  change(def);
  const reg = defaultRegistries();
  const checked = checkLab(JSON.parse(JSON.stringify(def)), reg);
  if (!checked.lab) throw new Error(`fixture lab is invalid: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return resolveLab(checked.lab, reg);
}

/** The article's run: A/D on the pods of worker1/worker2, B/C on their enp0s8, slices per node. */
export function articleOverlay(lab: ResolvedLab): GraphOverlay {
  return {
    podSlices: lab.nodes.map((n, i) => ({ node: n.hostname, podCidr: `10.244.${i}.0/24` })),
    captures: [
      { point: 'A', node: 'worker1', iface: 'veth3f2a1b', podName: 'labgen-verify-7d9c-abcde', podIp: '10.244.1.5', seen: 'ICMP 10.244.1.5 -> 10.244.2.7 (5 req, 5 rep)' },
      { point: 'B', node: 'worker1', iface: 'enp0s8', seen: 'VXLAN 10.0.0.2 -> 10.0.0.3 UDP 8472 VNI 1 inner 10.244.1.5 -> 10.244.2.7 icmp (5 req, 5 rep)' },
      { point: 'C', node: 'worker2.lab.com', iface: 'enp0s8', seen: 'VXLAN 10.0.0.2 -> 10.0.0.3 UDP 8472 VNI 1 inner 10.244.1.5 -> 10.244.2.7 icmp (5 req, 5 rep)' },
      { point: 'D', node: 'worker2', iface: 'veth99c0de', podName: 'labgen-verify-7d9c-fghij', podIp: '10.244.2.7', seen: 'ICMP 10.244.1.5 -> 10.244.2.7 (5 req, 5 rep)' },
    ],
  };
}

/** An axis-aligned box. */
export interface Box { x: number; y: number; width: number; height: number; label: string }

/** Whether two boxes share interior area (touching edges is fine). */
export function boxesOverlap(a: Box, b: Box): boolean {
  const e = 1e-6;
  return a.x < b.x + b.width - e && b.x < a.x + a.width - e && a.y < b.y + b.height - e && b.y < a.y + a.height - e;
}

/** Every pair of overlapping boxes, as readable strings. */
export function overlappingPairs(boxes: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    if (boxesOverlap(boxes[i]!, boxes[j]!)) out.push(`${JSON.stringify(boxes[i]!.label)} overlaps ${JSON.stringify(boxes[j]!.label)}`);
  }
  return out;
}

/** What a rendered SVG holds, read back from its XML (not from the layout model). */
export interface SvgRead { root: XmlElement; width: number; height: number; texts: Box[]; rects: (Box & { kind: string })[]; lines: (Box & { kind: string })[]; circles: (Box & { kind: string })[] }

const num = (el: XmlElement, a: string): number => {
  const v = Number(el.attrs[a]);
  if (!Number.isFinite(v)) throw new Error(`<${el.name}> has no numeric ${a}`);
  return v;
};

/** Parses an SVG and rebuilds each text's box from its position, size and characters with the declared font metric. */
export function readSvg(svg: string): SvgRead {
  const root = parseXml(svg);
  const els = allElements(root);
  const texts = els.filter((e) => e.name === 'text').map((e) => {
    const size = num(e, 'font-size');
    if (e.attrs['text-anchor'] !== undefined && e.attrs['text-anchor'] !== 'start') throw new Error('tests assume start-anchored text');
    return { x: num(e, 'x'), y: num(e, 'y') - size * BASELINE_EM, width: textColumns(e.text) * CHAR_WIDTH_EM * size, height: lineHeight(size), label: e.text };
  });
  const rects = els.filter((e) => e.name === 'rect' && e.attrs['data-kind']).map((e) => ({ x: num(e, 'x'), y: num(e, 'y'), width: num(e, 'width'), height: num(e, 'height'), label: e.attrs['data-kind']!, kind: e.attrs['data-kind']! }));
  const lines = els.filter((e) => e.name === 'line').map((e) => {
    const [x1, y1, x2, y2] = [num(e, 'x1'), num(e, 'y1'), num(e, 'x2'), num(e, 'y2')];
    const w = num(e, 'stroke-width') / 2;
    return { x: Math.min(x1, x2) - w, y: Math.min(y1, y2) - w, width: Math.abs(x2 - x1) + 2 * w, height: Math.abs(y2 - y1) + 2 * w, label: e.attrs['data-kind'] ?? 'line', kind: e.attrs['data-kind'] ?? 'line' };
  });
  const circles = els.filter((e) => e.name === 'circle').map((e) => {
    const r = num(e, 'r');
    return { x: num(e, 'cx') - r, y: num(e, 'cy') - r, width: 2 * r, height: 2 * r, label: e.attrs['data-kind'] ?? 'circle', kind: e.attrs['data-kind'] ?? 'circle' };
  });
  return { root, width: num(root, 'width'), height: num(root, 'height'), texts, rects, lines, circles };
}

/** All text content of an SVG, decoded, one string per <text>. */
export function svgStrings(svg: string): string[] { return readSvg(svg).texts.map((t) => t.label); }
