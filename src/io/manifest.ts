// .labgen/manifest.json: what labgen wrote into a lab directory (hashes of its files, the paths of its secrets), so
// labgen can tell its own output from the user's files. Read back as untrusted input: every path is checked.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { readInLab, relPathProblem } from './safe-path.js';

/** labgen's own state directory inside a lab directory. */
export const STATE_DIR = '.labgen';
/** Where labgen records what it wrote. */
export const MANIFEST = '.labgen/manifest.json';

/** What labgen wrote: file -> sha256 of its content, and the secret files (listed, not hashed in this 0644 file). */
export interface Manifest { files: Record<string, string>; secrets: string[] }

/** The hash the manifest records. */
export function sha256(text: string | Buffer): string { return createHash('sha256').update(text).digest('hex'); }

/** The manifest's text for a set of files. */
export function manifestText(m: Manifest): string { return `${JSON.stringify({ files: m.files, secrets: m.secrets }, null, 2)}\n`; }

/** Checks a parsed manifest; returns the problems (empty: valid). */
export function manifestProblems(v: unknown): string[] {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(v)) return ['must be a JSON object { "files": {...}, "secrets": [...] }'];
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (k !== 'files' && k !== 'secrets') problems.push(`${k}: unknown key`);
  if (!isObj(v.files)) problems.push('files: must be an object of path -> sha256');
  else for (const [p, h] of Object.entries(v.files)) {
    const bad = relPathProblem(p) ?? (p.startsWith(`${STATE_DIR}/`) ? 'is inside .labgen/' : undefined);
    if (bad) problems.push(`files[${JSON.stringify(p.slice(0, 80))}]: ${bad}`);
    if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) problems.push(`files[${JSON.stringify(p.slice(0, 80))}]: hash must be 64 hex digits`);
  }
  if (v.secrets !== undefined) {
    if (!Array.isArray(v.secrets)) problems.push('secrets: must be an array of paths');
    else v.secrets.forEach((p: unknown, i) => { const bad = relPathProblem(p); if (bad) problems.push(`secrets[${i}]: ${bad}`); });
  }
  return problems;
}

/** A manifest that is there but unreadable or invalid: exit 2 with the fix. Only an explicit --adopt goes past it (the
 * directory is then treated as one labgen did not write: none of its files is overwritten). */
export class CorruptManifestError extends UsageError {}

/** Reads a lab directory's manifest: undefined when there is none; a corrupt one is an error (exit 2) that says what
 * to do, never "no manifest" (which would drop the protection of the files the user edited). */
export function readManifest(dir: string): Manifest | undefined {
  const buf = readInLab(dir, MANIFEST);
  if (!buf) return undefined;
  let v: unknown;
  let problems: string[];
  try { v = JSON.parse(buf.toString('utf8')); problems = manifestProblems(v); } catch (e) { problems = [`not JSON: ${(e as Error).message}`]; }
  if (problems.length) {
    throw new CorruptManifestError(`${dir}/${MANIFEST} is corrupt, so labgen cannot tell the files it wrote from yours`,
      `${problems.slice(0, 10).map((p) => `  ${p}`).join('\n')}\n      fix: restore it (e.g. git checkout ${MANIFEST}), or render the lab into a new directory (labgen render <lab> --out NEWDIR) and move your own files over, `
      + `or, after checking every file there is as you want it, take the directory over with labgen render <lab> --out ${dir} --adopt (labgen then treats every file there as yours: it overwrites none, and refuses where one differs from what it would write)`);
  }
  const m = v as { files: Record<string, string>; secrets?: string[] };
  return { files: m.files, secrets: m.secrets ?? [] };
}

/** Whether a path is one labgen wrote, according to a manifest. */
export function isOurs(m: Manifest | undefined, path: string): boolean {
  return m !== undefined && (Object.hasOwn(m.files, path) || m.secrets.includes(path));
}
