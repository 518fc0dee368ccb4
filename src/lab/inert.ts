// Makes text read from a lab file or a lab directory safe to print: no character that drives the terminal or reorders text.

/** What patterns.text refuses in a lab file: C0 controls and DEL, C1 controls, line/paragraph separators, bidi controls. */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every unsafe character written as \uXXXX (for names and paths printed unquoted). */
export function inertText(text: string): string { return text.replace(UNSAFE_CHARS, hex); }

/** A value quoted as JSON, cut to `max` characters, with every unsafe character escaped: safe to print. */
export function quoteInert(value: string, max = 60): string {
  const cut = value.length > max ? `${value.slice(0, max - 3)}...` : value;
  return JSON.stringify(cut).replace(UNSAFE_CHARS, hex);
}
