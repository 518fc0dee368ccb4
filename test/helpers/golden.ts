// The golden cases (every shipped lab, plus the --cni/--provider variants) shared by the golden test and scripts/update-golden.ts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { InvalidInputError } from '../../src/errors.js';
import { listLabFiles } from '../../src/lab/load.js';
import type { LabOverrides } from '../../src/lab/overrides.js';
import { defaultRegistries } from '../../src/registries.js';
import { ROOT } from './paths.js';
import { renderInMemory } from './render.js';

/**
 * Where golden output lives: test/fixtures/golden/<case>/<file> for what only that case renders, and one copy of every
 * file two or more cases render byte for byte in test/fixtures/golden/shared/<sha256 prefix>-<name>, named from the
 * case's SHARED listing (`<path> <shared file>` lines). Every rendered byte is still compared.
 */
export const GOLDEN_DIR = join(ROOT, 'test', 'fixtures', 'golden');
/** The directory of by-content files shared by cases. */
export const SHARED_DIR = 'shared';
/** A case's listing of the files it takes from the shared directory. */
export const SHARED_LISTING = 'SHARED';

/** The shared file name of a content: its sha256 prefix (the content decides it) and the file's own name, to read. */
export function sharedName(path: string, content: string): string {
  return `${createHash('sha256').update(content).digest('hex').slice(0, 16)}-${basename(path)}`;
}

/** Splits every case's files into the shared store (contents rendered by two or more cases) and each case's own files. */
export function goldenLayout(rendered: Map<string, Map<string, string>>): { shared: Map<string, string>; cases: Map<string, { own: Map<string, string>; listing: string }> } {
  const uses = new Map<string, number>();
  for (const files of rendered.values()) for (const content of new Set(files.values())) uses.set(content, (uses.get(content) ?? 0) + 1);
  const shared = new Map<string, string>();
  const cases = new Map<string, { own: Map<string, string>; listing: string }>();
  for (const [name, files] of rendered) {
    const own = new Map<string, string>();
    const lines: string[] = [];
    for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      if ((uses.get(content) ?? 0) < 2) { own.set(path, content); continue; }
      const file = sharedName(path, content);
      shared.set(file, content);
      lines.push(`${path} ${file}`);
    }
    cases.set(name, { own, listing: lines.length ? `${lines.join('\n')}\n` : '' });
  }
  return { shared, cases };
}

/** A case's golden files as path -> content: its own files plus those its SHARED listing takes from the shared store. */
export function readGolden(name: string): Map<string, string> {
  const dir = join(GOLDEN_DIR, name);
  const out = readTree(dir);
  const listing = out.get(SHARED_LISTING);
  out.delete(SHARED_LISTING);
  for (const line of (listing ?? '').split('\n').filter(Boolean)) {
    const [path, file] = line.split(' ');
    const target = join(GOLDEN_DIR, SHARED_DIR, file!);
    if (!existsSync(target)) throw new Error(`${name}/${SHARED_LISTING}: ${file} is missing from ${SHARED_DIR}/`);
    if (out.has(path!)) throw new Error(`${name}: ${path} is both its own file and in ${SHARED_LISTING}`);
    out.set(path!, readFileSync(target, 'utf8'));
  }
  return out;
}

/** Every shared file some case's listing names. */
export function referencedShared(names: string[]): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    const p = join(GOLDEN_DIR, n, SHARED_LISTING);
    if (existsSync(p)) for (const line of readFileSync(p, 'utf8').split('\n').filter(Boolean)) out.add(line.split(' ')[1]!);
  }
  return out;
}

/** One golden case: a shipped lab, possibly with command-line overrides. */
export interface GoldenCase { name: string; lab: string; overrides: LabOverrides }

/** The shipped labs (labgen's own labs/, not ./labs of the caller). */
export function shippedLabs(): { name: string; path: string }[] { return listLabFiles([join(ROOT, 'labs')]); }

function isValid(lab: string, overrides: LabOverrides): boolean {
  try { renderInMemory(lab, overrides); return true; } catch (e) { if (e instanceof InvalidInputError) return false; throw e; }
}

/** Every case: each shipped lab; flannel-4node with --cni calico; each non-libvirt lab with --provider libvirt where valid. */
export function goldenCases(): GoldenCase[] {
  const reg = defaultRegistries();
  const cases: GoldenCase[] = [];
  for (const { name, path } of shippedLabs()) {
    cases.push({ name, lab: path, overrides: {} });
    const { lab } = renderInMemory(path, {}, reg);
    if (lab.provider.name !== 'libvirt' && isValid(path, { provider: 'libvirt' })) cases.push({ name: `${name}--provider-libvirt`, lab: path, overrides: { provider: 'libvirt' } });
  }
  cases.push({ name: 'flannel-4node--cni-calico', lab: join(ROOT, 'labs', 'flannel-4node.yaml'), overrides: { cni: 'calico' } });
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

/** The case's rendered files without secrets/ (random per render), as path -> content. */
export function renderGolden(c: GoldenCase): Map<string, string> {
  const { files } = renderInMemory(c.lab, c.overrides);
  return new Map(files.filter((f) => !f.secret && !f.path.startsWith('secrets/')).map((f) => [f.path, f.content]));
}

/** Every file under a directory, as relative path -> content (dotfiles included). */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
