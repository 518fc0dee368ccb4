// Schema validation with ajv: every problem at once, each as `path: message` with the fix.
import AjvModule, { type ErrorObject } from 'ajv';
import type { Problem } from '../errors.js';
import type { Registries } from '../registries.js';
import { inertText, quoteInert } from './inert.js';
import type { JsonSchema } from './json-schema.js';
import { buildLabSchema } from './schema.js';

// ajv ships CommonJS with a default export; under NodeNext the class sits on `.default`.
const Ajv = AjvModule.default ?? AjvModule;

/** Turns ajv's `/nodes/0/ip` into the dotted form users read: `nodes[0].ip`. */
export function toDottedPath(pointer: string): string {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : joinPath(acc, seg)), '');
}

/** A key from the lab file as a path segment: cut to 64 characters, every unsafe character escaped (safe to print). */
export function keySegment(key: string): string { return inertText(key.length > 64 ? `${key.slice(0, 61)}...` : key); }

/** Appends a key to a dotted path (the one path format of problems, also used by parse.ts's line index). */
export function joinPath(path: string, key: string): string {
  const seg = keySegment(key);
  return path ? `${path}.${seg}` : seg;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return quoteInert(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** One ajv error as a Problem, or undefined for the structural noise ajv adds (`if` failures). */
function toProblem(e: ErrorObject, data: unknown): Problem | undefined {
  const path = toDottedPath(e.instancePath);
  const schema = e.parentSchema as JsonSchema | undefined;
  const fix = schema?.['x-fix'];
  switch (e.keyword) {
    case 'if': return undefined;
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schema?.properties ?? {});
      return { path: joinPath(path, key), message: 'unknown key', fix: allowed.length ? `remove it, or use one of: ${allowed.join(', ')}` : 'remove it' };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      const sub = schema?.properties?.[key];
      return { path: joinPath(path, key), message: 'is required', fix: sub?.description ? `add ${key}: ${sub.description}` : `add ${key}` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const value = valueAt(data, e.instancePath);
      const typeHint = typeof value === 'number' && allowed.every((a) => typeof a === 'string') ? ' (a number here: quote it)' : '';
      return { path, message: `${describe(value)} is not one of ${allowed.map((a) => describe(a)).join(', ')}${typeHint}`, fix: fix ?? `use one of: ${allowed.map((a) => String(a)).join(', ')}` };
    }
    case 'type': {
      const value = valueAt(data, e.instancePath);
      return { path, message: `must be ${(e.params as { type: string }).type}, got ${describe(value)}`, fix: typeof value === 'number' && schema?.type === 'string' ? 'quote the value' : fix };
    }
    case 'pattern': return { path, message: `${describe(valueAt(data, e.instancePath))} is not valid (${schema?.description ?? 'see the schema'})`, fix };
    default: return { path, message: e.message ?? e.keyword, fix };
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** A compiled validator for the registries' schema; compile once, validate many. */
export function schemaValidator(reg: Registries): (data: unknown) => Problem[] {
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'x-fix', schemaType: 'string' });
  const validate = ajv.compile(buildLabSchema(reg));
  return (data) => {
    if (validate(data)) return [];
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const e of validate.errors ?? []) {
      const p = toProblem(e, data);
      if (!p) continue;
      const key = `${p.path}\u0000${p.message}`;
      if (!seen.has(key)) { seen.add(key); out.push(p); }
    }
    return out;
  };
}
