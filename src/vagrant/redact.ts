// Keeps secrets (bootstrap token, PEM keys, kubeconfig key data) out of terminal output and log files.
import { BOOTSTRAP_TOKEN_SOURCE } from '../render/secrets.js';

/** Bootstrap tokens anywhere in a line (kubeadm's format, from render/secrets.ts). */
export const TOKEN_PATTERN = new RegExp(`\\b${BOOTSTRAP_TOKEN_SOURCE}\\b`, 'g');
const KUBECONFIG_SECRET = /\b(client-key-data|client-certificate-data|token|password):\s*\S+/g;
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PEM_END = /-----END ([A-Z0-9 ]+)-----/;

/** A line redactor with memory: everything between a PEM BEGIN and END line is dropped, even across lines. */
export interface Redactor { line(text: string): string | undefined }

/** A redactor that also hides the given literal secrets (e.g. the lab's bootstrap token read from secrets/). */
export function createRedactor(literals: string[] = []): Redactor {
  let inPem = false;
  const known = literals.map((s) => s.trim()).filter((s) => s.length >= 8);
  return {
    line(text) {
      if (inPem) {
        if (PEM_END.test(text)) { inPem = false; return text.replace(/^(.*?)-----END.*$/, '$1<redacted PEM block>'); }
        return undefined;
      }
      const begin = PEM_BEGIN.exec(text);
      if (begin) {
        if (PEM_END.test(text.slice(begin.index + begin[0].length))) return text.replace(/-----BEGIN[\s\S]*-----END [A-Z0-9 ]+-----/, '<redacted PEM block>');
        inPem = true;
        return undefined;
      }
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
