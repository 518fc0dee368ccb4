// Reads a rendered lab directory back (labgen.json): what status, verify, graph and destroy start from.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';

/** The file render writes into every lab directory. */
export const LAB_JSON = 'labgen.json';

/** Whether a directory is a lab directory labgen rendered. */
export function isLabDir(dir: string): boolean { return existsSync(join(dir, LAB_JSON)); }

/** Loads the resolved lab of a lab directory, or explains how to get one (exit 2). */
export function readLabDir(dirArg: string | undefined): { dir: string; lab: ResolvedLab } {
  const dir = resolve(dirArg ?? '.');
  const file = join(dir, LAB_JSON);
  if (!existsSync(file)) throw new UsageError(`${dir} is not a lab directory (no ${LAB_JSON})`, 'pass the directory `labgen render` or `labgen create` wrote (e.g. ./flannel-4node)');
  let doc: { labgen?: number; lab?: ResolvedLab };
  try { doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc; } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`, 'render the lab again with labgen render --force');
  }
  if (doc.labgen !== 1 || !doc.lab?.nodes) throw new UsageError(`${file} was not written by this labgen`, 'render the lab again with labgen render --force');
  return { dir, lab: doc.lab };
}
