// Pure: the comparison as a picture, one column per run, drawn with src/graph's Layout and toSvg.
import { lineHeight, textWidth, wrapText } from '../graph/text-metrics.js';
import { toSvg } from '../graph/svg.js';
import type { Layout, TextBox } from '../graph/types.js';
import type { Comparison } from './compare.js';

const M = 24;
const PAD = 10;
const GAP = 28;
const COLS = 44;
const SIZE = { title: 16, head: 14, body: 12 } as const;
const COLOR = { text: '#1a1a1a', muted: '#555555', box: '#2f4f7f', boxFill: '#eef3fb', dev: '#7a4f9a', devFill: '#f0e6f7', wire: '#2f6db5', bad: '#c62828' } as const;

/** The side-by-side picture: per run its CNI, wire format, overhead, MTU, RTT, slices, and the devices on its path. */
export function comparisonLayout(c: Comparison): Layout {
  const texts: TextBox[] = [];
  const rects: Layout['rects'] = [];
  const lines: Layout['lines'] = [];
  const put = (x: number, y: number, text: string, size: number, fill: string = COLOR.text, bold = false): number => {
    const h = lineHeight(size);
    texts.push({ x, y, width: textWidth(text, size), height: h, text, size, fill, ...(bold ? { bold: true } : {}) });
    return y + h;
  };
  const title = `labgen compare: ${c.columns.map((x) => x.cni).join(' vs ')}`;
  const colW = Math.ceil(textWidth('x'.repeat(COLS), SIZE.body) + 2 * PAD);
  let bottom = 0;
  c.columns.forEach((col, i) => {
    const x = M + i * (colW + GAP);
    let y = M + lineHeight(SIZE.title) + 12;
    const facts = [
      [col.run, SIZE.head, COLOR.text, true],
      [col.cni, SIZE.body, COLOR.text, true],
      [col.mode, SIZE.body, COLOR.muted, false],
      [`at B: ${col.wire.B}`, SIZE.body, COLOR.text, false],
      [`overhead: ${col.overhead.measured ?? '?'} bytes/packet${col.overhead.nominal !== undefined ? ` (format: ${col.overhead.nominal})` : ''}`, SIZE.body, col.overhead.agrees === false ? COLOR.bad : COLOR.text, true],
      [`pod MTU ${col.podMtu ?? '?'}${col.nicMtu !== undefined ? `, NIC ${col.nicMtu}` : ''}`, SIZE.body, COLOR.text, false],
      [`RTT ${col.rttMs ? `${col.rttMs.avg} ms avg` : '?'}`, SIZE.body, COLOR.text, false],
      [`pod slices ${col.sliceLengths.map((l) => `/${l}`).join(', ') || '?'} per node`, SIZE.body, COLOR.text, false],
    ] as const;
    const top = y;
    y += PAD;
    for (const [t, size, fill, bold] of facts) for (const w of wrapText(t, COLS)) y = put(x + PAD, y, w, size, fill, bold);
    y += PAD;
    rects.push({ x, y: top, width: colW, height: y - top, fill: COLOR.boxFill, stroke: COLOR.box, rx: 6, kind: 'run' });
    y += 14;
    // The path: one box per device, top (source pod) to bottom (destination pod).
    col.devices.forEach((d, k) => {
      const h = lineHeight(SIZE.body) + 8;
      const w = Math.min(colW - 40, textWidth(d, SIZE.body) + 2 * PAD);
      const bx = x + (colW - w) / 2;
      if (k > 0) lines.push({ x1: x + colW / 2, y1: y - 14, x2: x + colW / 2, y2: y, stroke: COLOR.wire, width: 2, kind: 'hop' });
      rects.push({ x: bx, y, width: w, height: h, fill: COLOR.devFill, stroke: COLOR.dev, rx: 4, kind: 'device' });
      put(bx + PAD, y + 4, d, SIZE.body);
      y += h + 14;
    });
    bottom = Math.max(bottom, y);
  });
  put(M, M, title, SIZE.title, COLOR.text, true);
  return {
    width: Math.ceil(2 * M + c.columns.length * colW + (c.columns.length - 1) * GAP), height: Math.ceil(bottom + M),
    title, description: c.columns.map((x) => `${x.run}: ${x.mode}, ${x.overhead.measured ?? '?'} bytes overhead`).join('; '), rects, lines, circles: [], texts,
  };
}

/** The SVG document of a comparison. */
export function comparisonSvg(c: Comparison): string { return toSvg(comparisonLayout(c)); }
