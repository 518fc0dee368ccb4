// Reads a rendered lab directory back (labgen.json) for status, destroy and doctor.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';

/** Whether a directory holds a rendered lab. */
export function isLabDir(dir: string): boolean { return existsSync(join(dir, 'labgen.json')); }

/** The resolved lab of a lab directory; UsageError (exit 2) when it is not one. */
export function readLabDir(dir: string): { dir: string; lab: ResolvedLab } {
  const abs = resolve(dir);
  const p = join(abs, 'labgen.json');
  if (!existsSync(p)) throw new UsageError(`${abs} is not a lab directory (no labgen.json)`, 'name the directory `labgen create --out` or `labgen render --out` wrote');
  try {
    const j = JSON.parse(readFileSync(p, 'utf8')) as { labgen?: number; lab?: ResolvedLab };
    if (j.labgen !== 1 || !j.lab?.nodes) throw new Error('unknown format');
    return { dir: abs, lab: j.lab };
  } catch (e) {
    throw new UsageError(`${p} cannot be read: ${(e as Error).message}`, 'render the lab again: labgen render <lab> --out <dir>');
  }
}
