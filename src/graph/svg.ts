// Draws a Layout as one self-contained SVG file: no fonts, scripts, styles or links from elsewhere.
import { BASELINE_EM, FONT_FAMILY } from './text-metrics.js';
import type { Layout } from './types.js';

/** Text for XML content and attribute values: the five special characters escaped, characters XML forbids replaced. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const n = (v: number): string => String(Math.round(v * 100) / 100);

/** The SVG document of a layout; every text placed at the box the layout computed for it. */
export function toSvg(layout: Layout): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(layout.width)}" height="${n(layout.height)}" viewBox="0 0 ${n(layout.width)} ${n(layout.height)}" font-family="${escapeXml(FONT_FAMILY)}" role="img">`,
    `<title>${escapeXml(`${layout.title}: lab topology`)}</title>`,
  ];
  if (layout.description) out.push(`<desc>${escapeXml(layout.description)}</desc>`);
  out.push(`<rect x="0" y="0" width="${n(layout.width)}" height="${n(layout.height)}" fill="#ffffff"/>`);
  for (const l of layout.lines) {
    out.push(`<line x1="${n(l.x1)}" y1="${n(l.y1)}" x2="${n(l.x2)}" y2="${n(l.y2)}" stroke="${l.stroke}" stroke-width="${n(l.width)}"${l.dashed ? ' stroke-dasharray="4 3"' : ''} data-kind="${escapeXml(l.kind)}"/>`);
  }
  for (const r of layout.rects) {
    out.push(`<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}" rx="${n(r.rx)}" fill="${r.fill}" stroke="${r.stroke}" stroke-width="1.5"${r.dashed ? ' stroke-dasharray="4 3"' : ''} data-kind="${escapeXml(r.kind)}"/>`);
  }
  for (const c of layout.circles) {
    out.push(`<circle cx="${n(c.cx)}" cy="${n(c.cy)}" r="${n(c.r)}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.5" data-kind="${escapeXml(c.kind)}"/>`);
  }
  for (const t of layout.texts) {
    const weight = t.bold ? ' font-weight="bold"' : '';
    out.push(`<text x="${n(t.x)}" y="${n(t.y + t.size * BASELINE_EM)}" font-size="${n(t.size)}"${weight} fill="${t.fill ?? '#000000'}">${escapeXml(t.text)}</text>`);
  }
  out.push('</svg>', '');
  return out.join('\n');
}
