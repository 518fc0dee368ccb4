// The golden cases (every shipped lab, plus the --cni/--provider variants) shared by the golden test and scripts/update-golden.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../../src/errors.js';
import { listLabFiles } from '../../src/lab/load.js';
import type { LabOverrides } from '../../src/lab/overrides.js';
import { defaultRegistries } from '../../src/registries.js';
import { ROOT } from './paths.js';
import { renderInMemory } from './render.js';

/** Where golden output lives: test/fixtures/golden/<case>/<file>. */
export const GOLDEN_DIR = join(ROOT, 'test', 'fixtures', 'golden');

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
