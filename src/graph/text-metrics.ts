// The one font metric the layout trusts: a monospace font, so a text's width is its column count times a constant.

/** Font stack of every text; DejaVu Sans Mono is on most Linux desktops, any monospace font has nearly its metrics. */
export const FONT_FAMILY = 'DejaVu Sans Mono, monospace';

/** Advance width of one column in em: DejaVu Sans Mono is 0.602em, rounded up so fallback monospace fonts fit too. */
export const CHAR_WIDTH_EM = 0.62;

/** Height of a text box in em (ascent + descent of DejaVu Sans Mono is 1.164em). */
export const LINE_HEIGHT_EM = 1.25;

/** Distance from a text box's top to the baseline, in em. */
export const BASELINE_EM = 0.95;

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
    || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f);
}

/** Columns a text takes in a monospace font: East Asian wide characters and emoji take two, combining marks none. */
export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
  }
  return n;
}

/** Width in px of a text at a font size. */
export function textWidth(text: string, size: number): number { return textColumns(text) * CHAR_WIDTH_EM * size; }

/** Height in px of a line of text at a font size. */
export function lineHeight(size: number): number { return Math.ceil(size * LINE_HEIGHT_EM); }

/** One line of text: control characters and runs of white space become one space (SVG collapses them anyway). */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\s]+/gu, ' ').trim();
}

/** Splits a text into lines of at most `maxCols` columns, at spaces, else after `.`, `-` or `/`, else anywhere. */
export function wrapText(text: string, maxCols: number): string[] {
  const out: string[] = [];
  let rest = oneLine(text);
  const cols = Math.max(8, Math.floor(maxCols));
  while (textColumns(rest) > cols) {
    const chars = [...rest];
    let fit = 0;
    let used = 0;
    while (fit < chars.length && used + textColumns(chars[fit]!) <= cols) { used += textColumns(chars[fit]!); fit++; }
    const head = chars.slice(0, fit).join('');
    let cut = head.lastIndexOf(' ');
    let next: number;
    if (cut > 0) { next = cut + 1; } else {
      cut = Math.max(head.lastIndexOf('.'), head.lastIndexOf('-'), head.lastIndexOf('/')) + 1;
      if (cut <= 0) cut = head.length;
      next = cut;
    }
    out.push(head.slice(0, cut).trimEnd());
    rest = rest.slice(next).trimStart();
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}
