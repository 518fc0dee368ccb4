// Reads a rendered lab directory back (labgen.json): what status, destroy, doctor, verify and graph start from.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { checkLabJson } from './lab-json.js';

/** The file render writes into every lab directory. */
export const LAB_JSON = 'labgen.json';

/** Whether a directory is a lab directory labgen rendered. */
export function isLabDir(dir: string): boolean { return existsSync(join(dir, LAB_JSON)); }

/** Reads and checks one labgen.json; a missing, unreadable or foreign file is a usage error (exit 2). */
export function readLabFile(file: string): ResolvedLab {
  let value: unknown;
  try { value = JSON.parse(readFileSync(file, 'utf8')) as unknown; } catch (e) {
    throw new UsageError(`${file} cannot be read: ${(e as Error).message}`, 'render the lab again: labgen render <lab> --out <dir> --force');
  }
  const { lab, problems } = checkLabJson(value);
  if (!lab) throw new InvalidInputError(file, problems);
  return lab;
}

/** Loads the resolved lab of a lab directory (default: the current one), or explains how to get one (exit 2). */
export function readLabDir(dirArg: string | undefined): { dir: string; lab: ResolvedLab } {
  const dir = resolve(dirArg ?? '.');
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`, 'pass the directory `labgen render --out` or `labgen create --out` wrote (e.g. ./flannel-4node)');
  if (!isLabDir(dir)) throw new UsageError(`${dir} is not a lab directory (no ${LAB_JSON})`, 'pass the directory `labgen render --out` or `labgen create --out` wrote (e.g. ./flannel-4node)');
  return { dir, lab: readLabFile(join(dir, LAB_JSON)) };
}
