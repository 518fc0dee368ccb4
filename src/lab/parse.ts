// Pure parsing: YAML text -> schema check -> cross-field rules. No file access; load.ts reads.
// Bounded and linear in the text's size: size, nesting depth and alias expansion are limited before any of them can
// cost memory or stack, duplicate keys are found with one set per mapping, problem lines come from one index.
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, type Document } from 'yaml';
import type { Problem } from '../errors.js';
import type { Registries } from '../registries.js';
import { crossFieldProblems } from './rules.js';
import type { LabDefinition } from './types.js';
import { joinPath, schemaValidator } from './validate.js';

/** Result of parsing a lab: the definition when valid, and every problem found. */
export interface ParseResult { lab?: LabDefinition; problems: Problem[] }

/**
 * Limits a real lab never reaches (the shipped labs are ~1 KB, 4 levels deep, without aliases). The size bounds the
 * time: the yaml parser is linear, a few microseconds per token, so 256 KiB of one-character tokens stays well under a
 * second where 1 MiB might not.
 */
export interface LabLimits {
  /** Largest lab file in bytes (UTF-8). */
  maxBytes: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
  /** yaml's maxAliasCount: how many nodes alias resolution may produce (bounds a "billion laughs" file). */
  maxAliasCount: number;
  /** Problems listed; the rest are counted in one last problem. */
  maxProblems: number;
}

/** The limits every command applies. */
export const LAB_LIMITS: LabLimits = { maxBytes: 256 * 1024, maxDepth: 64, maxAliasCount: 50, maxProblems: 100 };

const validators = new WeakMap<Registries, (data: unknown) => Problem[]>();

/** Keeps the first `max` problems and says how many more there were. */
export function capProblems(problems: Problem[], max = LAB_LIMITS.maxProblems): Problem[] {
  if (problems.length <= max) return problems;
  const rest = problems.length - max;
  return [...problems.slice(0, max), { path: '', message: `... and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'} (${problems.length.toLocaleString('en-US')} in all; only the first ${max} are listed)`, fix: 'fix the problems listed and run labgen validate again' }];
}

type CstToken = ReturnType<Parser['parse']> extends Generator<infer T> ? T : never;

/** The offset of the first CST token nested deeper than `max`, found without recursion (the CST parser is iterative). */
function tooDeep(tokens: CstToken[], max: number): number | undefined {
  const stack: [unknown, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, d] = stack.pop()!;
    if (!t || typeof t !== 'object') continue;
    const tok = t as { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
    const collection = tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection';
    const depth = collection ? d + 1 : d;
    if (depth > max) return tok.offset ?? 0;
    if (tok.type === 'document') stack.push([tok.value, depth]);
    else if (collection) for (const it of tok.items ?? []) { stack.push([it.key, depth], [it.value, depth]); }
  }
  return undefined;
}

/** One walk over the composed document: the line of every dotted path, and every duplicate key (one Set per mapping). */
function indexDocument(doc: Document, lines: LineCounter): { lineOf: Map<string, number>; duplicates: Problem[] } {
  const lineOf = new Map<string, number>();
  const duplicates: Problem[] = [];
  const lineAt = (n: unknown): number | undefined => {
    const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
    return r ? lines.linePos(r[0]).line : undefined;
  };
  const stack: [unknown, string][] = [[doc.contents, '']];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    const here = lineAt(node);
    if (here !== undefined && !lineOf.has(path)) lineOf.set(path, here);
    if (isMap(node)) {
      const seen = new Map<unknown, number | undefined>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        const keyLine = lineAt(pair.key);
        if (seen.has(k)) {
          const first = seen.get(k);
          duplicates.push({ path: '', line: keyLine, message: `YAML: Map keys must be unique: ${JSON.stringify(String(k)).slice(0, 60)} is defined again${first !== undefined ? ` (first at line ${first})` : ''}`, fix: 'fix the YAML syntax: keep one of the two keys' });
          continue;
        }
        seen.set(k, keyLine);
        const child = joinPath(path, String(k));
        const valueLine = lineAt(pair.value) ?? keyLine;
        if (valueLine !== undefined) lineOf.set(child, valueLine);
        if (pair.value && !isAlias(pair.value)) stack.push([pair.value, child]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => { if (item && !isAlias(item)) stack.push([item, `${path}[${i}]`]); });
    }
  }
  return { lineOf, duplicates };
}

/** The line of a path, or of its nearest parent the index knows. */
function lineFor(index: Map<string, number>, path: string): number | undefined {
  let p = path;
  for (;;) {
    const line = index.get(p);
    if (line !== undefined || p === '') return line;
    const up = p.replace(/(\.[^.[\]]+|\[[^\]]*\]|^[^.[\]]+)$/, '');
    if (up === p) return index.get('');
    p = up;
  }
}

/** The aliases that name no anchor defined before them, each with its line. */
function unresolvedAliases(doc: Document, lines: LineCounter): Problem[] {
  const out: Problem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (!node.resolve(doc)) out.push({ path: '', line: node.range ? lines.linePos(node.range[0]).line : undefined, message: `YAML: alias *${node.source} refers to no anchor &${node.source} defined before it`, fix: `define &${node.source} before the alias, or write the value out` });
    } else if (isMap(node)) { for (const p of node.items) stack.push(p.key, p.value); } else if (isSeq(node)) stack.push(...node.items);
  }
  return out;
}

/** Parses and validates a lab definition held in memory. */
export function parseLab(text: string, reg: Registries, limits: LabLimits = LAB_LIMITS): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return { problems: [{ path: '', message: `the file is ${bytes.toLocaleString('en-US')} bytes; a lab file is at most ${limits.maxBytes.toLocaleString('en-US')} bytes (a real lab is a few KB)`, fix: 'pass a lab file (labs/flannel-4node.yaml is 1 KB)' }] };
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  // A file of garbage is one CST error token per character: list the first ones and stop before composing them.
  const errorTokens = tokens.filter((t) => t.type === 'error');
  if (errorTokens.length > limits.maxProblems) {
    return { problems: capProblems(errorTokens.map((t) => ({ path: '', line: lines.linePos(t.offset).line, message: `YAML: ${('message' in t ? String(t.message) : 'syntax error').split('\n')[0]}`, fix: 'fix the YAML syntax' })), limits.maxProblems) };
  }
  const deep = tooDeep(tokens, limits.maxDepth);
  if (deep !== undefined) return { problems: [{ path: '', line: lines.linePos(deep).line, message: `YAML: nesting deeper than ${limits.maxDepth} levels (a lab is about 4 deep)`, fix: 'a lab file is a mapping of a few levels: start from labs/flannel-4node.yaml' }] };
  const docs = new Composer({ uniqueKeys: false, prettyErrors: false, strict: true }).compose(tokens, true, text.length);
  // yaml's errors are Error objects: without stack traces each costs little (they are reported by line, not by stack).
  const stackTraceLimit = Error.stackTraceLimit;
  let doc: Document;
  let second: IteratorResult<Document>;
  try { Error.stackTraceLimit = 0; doc = docs.next().value as Document; second = docs.next(); } finally { Error.stackTraceLimit = stackTraceLimit; }
  const syntax: Problem[] = doc.errors.map((e) => ({ path: '', line: lines.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}`, fix: 'fix the YAML syntax' }));
  if (!second.done) syntax.push({ path: '', line: lines.linePos((second.value as Document).range?.[0] ?? 0).line, message: 'YAML: the file holds more than one document (a "---" line)', fix: 'keep one lab per file' });
  if (syntax.length) return { problems: capProblems(syntax, limits.maxProblems) };
  if (doc.contents === null || isScalar(doc.contents)) return { problems: [{ path: '', message: 'a lab file must be a YAML mapping (name:, os:, nodes: ...)', fix: 'start from labs/flannel-4node.yaml' }] };
  const { lineOf, duplicates } = indexDocument(doc, lines);
  if (duplicates.length) return { problems: capProblems(duplicates, limits.maxProblems) };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    const unresolved = unresolvedAliases(doc, lines);
    if (unresolved.length) return { problems: capProblems(unresolved, limits.maxProblems) };
    // yaml's "Excessive alias count": expanding the aliases would build more than maxAliasCount nodes.
    return { problems: [{ path: '', message: `YAML: the aliases (*name) expand to more than ${limits.maxAliasCount} nodes, as in a "billion laughs" file`, fix: 'write the values out, or use fewer aliases' }] };
  }
  const { lab, problems } = checkLab(data, reg, limits.maxProblems);
  return { lab, problems: problems.map((p) => ({ ...p, line: p.line ?? lineFor(lineOf, p.path) })) };
}

/** Validates a lab held as plain data (a parsed file, possibly with command-line overrides applied). */
export function checkLab(data: unknown, reg: Registries, maxProblems = LAB_LIMITS.maxProblems): ParseResult {
  let validate = validators.get(reg);
  if (!validate) { validate = schemaValidator(reg); validators.set(reg, validate); }
  const schemaProblems = validate(data);
  if (schemaProblems.length) return { problems: capProblems(schemaProblems, maxProblems) };
  const lab = data as LabDefinition;
  const problems = crossFieldProblems(lab, reg);
  return problems.length ? { problems: capProblems(problems, maxProblems) } : { lab, problems };
}
