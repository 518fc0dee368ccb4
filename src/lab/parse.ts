// Pure parsing: YAML text -> schema check -> cross-field rules. No file access; load.ts reads.
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from '../errors.js';
import type { Registries } from '../registries.js';
import { crossFieldProblems } from './rules.js';
import type { LabDefinition } from './types.js';
import { schemaValidator } from './validate.js';

/** Result of parsing a lab: the definition when valid, and every problem found. */
export interface ParseResult { lab?: LabDefinition; problems: Problem[] }

const validators = new WeakMap<Registries, (data: unknown) => Problem[]>();

function pathSegments(path: string): (string | number)[] {
  return path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** 1-based line of the node at a dotted path (or its nearest existing parent). */
function lineOf(doc: Document, lines: LineCounter, path: string): number | undefined {
  const segs = pathSegments(path);
  for (;;) {
    const node = segs.length ? doc.getIn(segs, true) : doc.contents;
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
    if (!segs.length) return undefined;
    segs.pop();
  }
}

/** Parses and validates a lab definition held in memory. */
export function parseLab(text: string, reg: Registries): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length) {
    return { problems: doc.errors.map((e) => ({ path: '', line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}`, fix: 'fix the YAML syntax' })) };
  }
  if (doc.contents === null || isScalar(doc.contents)) return { problems: [{ path: '', message: 'a lab file must be a YAML mapping (name:, os:, nodes: ...)', fix: 'start from labs/flannel-4node.yaml' }] };
  // maxAliasCount bounds alias expansion (a "billion laughs" file cannot blow up memory).
  const data: unknown = doc.toJS({ maxAliasCount: 50 });
  const { lab, problems } = checkLab(data, reg);
  return { lab, problems: problems.map((p) => ({ ...p, line: p.line ?? lineOf(doc, lines, p.path) })) };
}

/** Validates a lab held as plain data (a parsed file, possibly with command-line overrides applied). */
export function checkLab(data: unknown, reg: Registries): ParseResult {
  let validate = validators.get(reg);
  if (!validate) { validate = schemaValidator(reg); validators.set(reg, validate); }
  const schemaProblems = validate(data);
  if (schemaProblems.length) return { problems: [...schemaProblems, ...rulesDespiteUnknownKeys(data, schemaProblems, validate, reg)] };
  const lab = data as LabDefinition;
  const problems = crossFieldProblems(lab, reg);
  return problems.length ? { problems } : { lab, problems };
}

/**
 * Unknown keys do not hide the cross-field problems: when they are the schema's only complaint, the rules run on the
 * lab without them, so a lab with a typo'd key and a duplicate IP reports both at once.
 */
function rulesDespiteUnknownKeys(data: unknown, schemaProblems: Problem[], validate: (d: unknown) => Problem[], reg: Registries): Problem[] {
  if (!schemaProblems.every((p) => p.message === 'unknown key')) return [];
  const copy = structuredClone(data);
  for (const p of schemaProblems) {
    const segs = pathSegments(p.path);
    const key = segs.pop();
    let cur: unknown = copy;
    for (const s of segs) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[s] : undefined;
    if (cur !== null && typeof cur === 'object' && key !== undefined) delete (cur as Record<string | number, unknown>)[key];
  }
  return validate(copy).length ? [] : crossFieldProblems(copy as LabDefinition, reg);
}
