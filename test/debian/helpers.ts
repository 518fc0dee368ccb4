// Shared by the Debian and mirrors tests: lab variants (a shipped lab's text, edited, checked or written to a temp
// file) and what a Debian 12 node's /etc/os-release says.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../src/errors.js';
import { parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { tempDir } from '../helpers/render.js';

/** The lab's text after `edit`, which must change it (an edit that matches nothing would test nothing). */
export function editedLab(path: string, edit: (text: string) => string): string {
  const text = readFileSync(path, 'utf8');
  const out = edit(text);
  assert.notEqual(out, text, 'the edit changed nothing: the test would not test what it says');
  return out;
}

/** Every problem (schema and cross-field) of the edited lab. */
export function checkLabText(path: string, edit: (text: string) => string): Problem[] {
  return parseLab(editedLab(path, edit), defaultRegistries()).problems;
}

/** Writes the edited lab to a new temp file (named as the lab) and returns its path. */
export function labVariant(path: string, edit: (text: string) => string): string {
  const file = join(tempDir('labgen-variant-'), path.split('/').pop()!);
  writeFileSync(file, editedLab(path, edit));
  return file;
}

/** What Debian 12's /etc/os-release says (the fields the scripts read), for FakeNode's etc option. */
export const BOOKWORM = { 'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n' };
