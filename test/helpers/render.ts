// Renders labs in memory or into temp directories through the same core functions `labgen render` uses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLab } from '../../src/pipeline/prepare.js';
import { writeProject } from '../../src/io/write-project.js';
import type { LabOverrides } from '../../src/lab/overrides.js';
import type { ResolvedLab } from '../../src/lab/types.js';
import { defaultRegistries, type Registries } from '../../src/registries.js';
import { createEngine } from '../../src/render/engine.js';
import { renderLab } from '../../src/render/render.js';
import { generateSecrets, type LabSecrets } from '../../src/render/secrets.js';
import type { RenderedFile } from '../../src/render/types.js';

let shared: LabSecrets | undefined;
/** One set of secrets per test process (RSA key generation is slow). */
export function testSecrets(): LabSecrets { return (shared ??= generateSecrets()); }

/** A rendered lab: the resolved definition and its files. */
export interface RenderedLab { lab: ResolvedLab; files: RenderedFile[]; byPath: Map<string, RenderedFile> }

/** Renders a lab (name or path) with overrides, in memory. */
export function renderInMemory(ref: string, overrides: LabOverrides = {}, reg: Registries = defaultRegistries(), secrets = testSecrets()): RenderedLab {
  const { lab } = prepareLab(ref, overrides, reg);
  const files = renderLab(lab, reg, createEngine(), secrets);
  return { lab, files, byPath: new Map(files.map((f) => [f.path, f])) };
}

/** The content of one rendered file; throws with the list of files when it is missing. */
export function fileOf(r: RenderedLab, path: string): string {
  const f = r.byPath.get(path);
  if (!f) throw new Error(`${path} was not rendered; files: ${[...r.byPath.keys()].join(', ')}`);
  return f.content;
}

const tempDirs: string[] = [];
process.once('exit', () => { if (!process.env.LABGEN_KEEP_TMP) for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

/** A fresh temp directory, removed when the test process ends unless LABGEN_KEEP_TMP is set. */
export function tempDir(prefix = 'labgen-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Renders a lab and writes it (as `labgen render --out` would) into a new temp directory. */
export function renderToTemp(ref: string, overrides: LabOverrides = {}, reg: Registries = defaultRegistries()): RenderedLab & { dir: string } {
  const r = renderInMemory(ref, overrides, reg);
  const dir = join(tempDir(), r.lab.name);
  writeProject(dir, r.files, false);
  return { ...r, dir };
}
