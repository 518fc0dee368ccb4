// Keeps secrets (bootstrap token, PEM keys, kubeconfig key data) out of terminal output and log files.
// Every line is stripped of terminal escape sequences first: a token split by colour codes is still a token.
import { BOOTSTRAP_TOKEN_SOURCE } from '../render/secrets.js';

/** Bootstrap tokens anywhere in a line (kubeadm's format, from render/secrets.ts). */
export const TOKEN_PATTERN = new RegExp(`\\b${BOOTSTRAP_TOKEN_SOURCE}\\b`, 'g');
/** `name: value` lines whose value is a secret: kubeconfig key data, a Secret's tls.key, private keys, tokens, passwords. */
const KUBECONFIG_SECRET = /\b(client-key-data|client-certificate-data|[\w.-]*\.key|[\w-]*private[-_]?key|token|password):\s*\S+/gi;
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PEM_END = /-----END ([A-Z0-9 ]+)-----/;

/**
 * Terminal escape sequences (ECMA-48): CSI (ESC [ or the C1 byte U+009B) with parameters, OSC (ESC ] or U+009D)
 * up to BEL or ST, other two-character ESC sequences, and any stray C1 control.
 */
const ESCAPES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[@-Z\\-_]|\u001b|[\u0080-\u009f]/g;

/** The text without terminal escape sequences (colours, cursor moves, titles). */
export function stripEscapes(text: string): string { return text.replace(ESCAPES, ''); }

/** The part of a line before its payload: Vagrant's `    master: ` machine prefix and indentation. */
const PREFIX = /^(\s*(?:[a-z][a-z0-9-]{0,31}:\s)?\s*)/;
/**
 * A line of key material: only base64 characters, 40 or more (PEM bodies are 64 a line, DER of a 2048-bit RSA key is
 * ~1,600 characters on one line), with a character outside hex (so a sha256 digest line is kept).
 */
const KEY_LINE = /^(?=.*[g-zG-Z+/])(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9+/]{40,}={0,2}$/;
/** Any long base64 line continues a run KEY_LINE started. */
const KEY_CONTINUED = /^[A-Za-z0-9+/]{40,}={0,2}$/;
/** A shorter base64 line: redacted only right after KEY_LINE lines (the last line of a PEM body), once. */
const KEY_TAIL = /^[A-Za-z0-9+/]{1,63}={0,2}$/;

/** A line redactor with memory: a PEM block (BEGIN to END) or a run of key-material lines is dropped whole. */
export interface Redactor { line(text: string): string | undefined }

/** A redactor that also hides the given literal secrets (e.g. the lab's bootstrap token read from secrets/). */
export function createRedactor(literals: string[] = []): Redactor {
  let inPem = false;
  /** In a run of key-material lines ('run'), or just after its short last line ('tail', where an END line may follow). */
  let keyRun: 'none' | 'run' | 'tail' = 'none';
  const known = literals.map((s) => s.trim()).filter((s) => s.length >= 8);
  return {
    line(raw) {
      const text = stripEscapes(raw);
      if (inPem) {
        if (PEM_END.test(text)) { inPem = false; return text.replace(/^(.*?)-----END.*$/, '$1<redacted PEM block>'); }
        return undefined;
      }
      const begin = PEM_BEGIN.exec(text);
      if (begin) {
        keyRun = 'none';
        if (PEM_END.test(text.slice(begin.index + begin[0].length))) return text.replace(/-----BEGIN[\s\S]*-----END [A-Z0-9 ]+-----/, '<redacted PEM block>');
        inPem = true;
        return undefined;
      }
      // Key material without its BEGIN line (cut off, or printed from the middle): the run of base64 lines goes,
      // up to and including an END line, as one marker.
      const prefix = PREFIX.exec(text)?.[1] ?? '';
      const payload = text.slice(prefix.length).trimEnd();
      if (keyRun !== 'none') {
        const state = keyRun;
        keyRun = 'none';
        if (PEM_END.test(payload)) return undefined;
        if (state === 'run' && KEY_CONTINUED.test(payload)) { keyRun = 'run'; return undefined; }
        if (state === 'run' && KEY_TAIL.test(payload)) { keyRun = 'tail'; return undefined; }
      }
      if (KEY_LINE.test(payload)) { keyRun = 'run'; return `${prefix}<redacted key material>`; }
      if (PEM_END.test(payload) && payload.replace(PEM_END, '').trim() === '') return `${prefix}<redacted PEM block>`;
      let t = text;
      for (const k of known) t = t.split(k).join('<redacted>');
      return t.replace(TOKEN_PATTERN, '<redacted-token>').replace(KUBECONFIG_SECRET, '$1: <redacted>');
    },
  };
}

/** Redacts a whole text at once. */
export function redactText(text: string, literals: string[] = []): string {
  const r = createRedactor(literals);
  return text.split('\n').map((l) => r.line(l)).filter((l): l is string => l !== undefined).join('\n');
}
