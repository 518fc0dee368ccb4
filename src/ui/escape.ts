// Makes text safe to show on a terminal: control characters, bidi overrides and line separators in lab-controlled
// strings (names, descriptions, labgen.json values, vagrant's output) are shown as visible escapes, never obeyed.

// ESC and the other C0 controls except \t and \n, DEL, the C1 controls (U+0080-U+009F, CSI U+009B among them), the
// bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069), and the line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same, plus \t and \n: a table cell or a one-line label never spans or breaks lines.
// eslint-disable-next-line no-control-regex
const UNSAFE_CELL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\u001b': '\\e', '\r': '\\r', '\t': '\\t', '\n': '\\n', '\b': '\\b', '\u0007': '\\a' };

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Text for a terminal line (or several): every unsafe character becomes a visible escape (`\e`, `\x9b`, `\u202e`); tabs and newlines stay. */
export function escapeTerminal(text: string): string { return text.replace(UNSAFE, visible); }

/** Text for one cell or label: as escapeTerminal, and tabs and newlines become `\t`, `\n` too. */
export function escapeCell(text: string): string { return text.replace(UNSAFE_CELL, visible); }

/**
 * JSON text whose strings carry no character a terminal would obey: JSON.stringify already writes C0 controls as
 * \u00XX; this also writes DEL, C1, bidi controls and U+2028/2029 as \uXXXX, which JSON parsers read back unchanged.
 */
export function escapeJson(json: string): string {
  // eslint-disable-next-line no-control-regex
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
