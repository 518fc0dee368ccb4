// labgen.json: { labgen: 1, definition, lab }, the lab directory's record of the lab it holds. It is read back as
// untrusted input (lab directories are cloned from git and shared): the definition is re-validated by the lab file's
// own rules (schema + cross-field rules, so node names, IPs, the lab name, the provider and its URI are all checked
// again) and re-resolved, and the stored resolved lab must equal that result. Only the re-resolved lab is used.
import { isDeepStrictEqual } from 'node:util';
import type { Problem } from '../errors.js';
import { checkLab } from '../lab/parse.js';
import { resolveLab } from '../lab/resolve.js';
import type { LabDefinition, ResolvedLab } from '../lab/types.js';
import type { Registries } from '../registries.js';

/** The format this labgen writes and reads. */
export const LAB_JSON_FORMAT = 1;

/** The text of labgen.json for a lab: the validated definition (overrides applied) and what it resolved to. */
export function labJsonText(definition: LabDefinition, lab: ResolvedLab): string {
  return `${JSON.stringify({ labgen: LAB_JSON_FORMAT, definition, lab }, null, 2)}\n`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed labgen.json; returns the re-resolved lab, or every problem (paths relative to the file). */
export function checkLabJson(value: unknown, reg: Registries): { lab?: ResolvedLab; problems: Problem[] } {
  const fix = 'render the lab again (labgen render <lab> --out <dir>; secrets are kept), or restore labgen.json (e.g. git checkout labgen.json)';
  if (!isObj(value)) return { problems: [{ path: '', message: 'must be a JSON object { "labgen": 1, "definition": {...}, "lab": {...} }', fix }] };
  if (value.labgen !== LAB_JSON_FORMAT) return { problems: [{ path: 'labgen', message: `format ${JSON.stringify(value.labgen)?.slice(0, 40)} is not known; this labgen reads format ${LAB_JSON_FORMAT}`, fix }] };
  for (const k of Object.keys(value)) if (!['labgen', 'definition', 'lab'].includes(k)) return { problems: [{ path: k, message: 'unknown key', fix }] };
  if (!isObj(value.definition)) return { problems: [{ path: 'definition', message: 'missing: this lab directory was written by an older labgen, or edited', fix }] };
  const checked = checkLab(value.definition, reg);
  if (!checked.lab) return { problems: checked.problems.map((p) => ({ ...p, path: `definition${p.path ? `.${p.path}` : ''}`, fix: p.fix ?? fix })) };
  let lab: ResolvedLab;
  try { lab = resolveLab(checked.lab, reg); } catch (e) { return { problems: [{ path: 'definition', message: `cannot be resolved: ${(e as Error).message}`, fix }] }; }
  // JSON round trip: the stored lab is JSON, so compare like with like (no undefined members).
  const fresh = JSON.parse(JSON.stringify(lab)) as unknown;
  if (!isDeepStrictEqual(fresh, value.lab)) {
    return { problems: [{ path: `lab${firstDifference(fresh, value.lab)}`, message: 'differs from what its definition resolves to (edited by hand, or written by another labgen version)', fix }] };
  }
  return { lab, problems: [] };
}

/** The dotted path of the first place two JSON values differ ('' when they differ at the top), for the message. */
function firstDifference(a: unknown, b: unknown, depth = 0): string {
  if (depth > 20 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return '';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (isDeepStrictEqual(x, y)) continue;
    const seg = Array.isArray(a) ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k.slice(0, 40))}]`;
    return `${seg}${firstDifference(x, y, depth + 1)}`;
  }
  return '';
}
