// What "a whole lab" means for the kill and concurrency tests: labgen.json, the manifest and every file it lists
// belong to one and the same lab, exactly as a clean render of that lab writes them, with no temporary file anywhere.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readLabDir } from '../../src/io/lab-dir.js';
import { defaultRegistries } from '../../src/registries.js';
import { tempDir } from '../helpers/render.js';
import { labgenSync } from './helpers.js';

type Manifest = { files: Record<string, string>; secrets: string[] };

/** The manifests of clean renders of the two labs the tests alternate (secrets do not enter any listed file). */
export function referenceLabs(): Map<string, Manifest> {
  const refs = new Map<string, Manifest>();
  for (const lab of ['flannel-4node', 'calico-4node']) {
    const dir = join(tempDir('labgen-ref-'), lab);
    const r = labgenSync(['render', lab, '--out', dir]);
    assert.equal(r.code, 0, r.err);
    refs.set(lab, JSON.parse(readFileSync(join(dir, '.labgen/manifest.json'), 'utf8')) as Manifest);
  }
  return refs;
}

function allPaths(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? [p, ...allPaths(dir, p)] : [p];
  });
}

/** Reads the directory as the next command does (readLabDir completes an interrupted update), then checks it. */
export function assertWholeLab(dir: string, refs: Map<string, Manifest>, what = ''): string {
  const { lab } = readLabDir(dir, defaultRegistries());
  const ref = refs.get(lab.name);
  assert.ok(ref, `${what}: labgen.json names ${lab.name}`);
  const m = JSON.parse(readFileSync(join(dir, '.labgen/manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(Object.keys(m.files).sort(), Object.keys(ref.files).sort(), `${what}: the manifest lists ${lab.name}'s files`);
  for (const [p, hash] of Object.entries(m.files)) {
    assert.equal(hash, ref.files[p], `${what}: ${p} is ${lab.name}'s`);
    assert.equal(createHash('sha256').update(readFileSync(join(dir, p))).digest('hex'), hash, `${what}: ${p} matches the manifest`);
  }
  for (const s of ref.secrets) assert.ok(existsSync(join(dir, s)), `${what}: ${s}`);
  const paths = allPaths(dir);
  const allowed = new Set([...Object.keys(m.files), ...m.secrets, '.labgen/manifest.json']);
  const extra = paths.filter((p) => !allowed.has(p) && !allowed.has(p) && ![...allowed].some((a) => a.startsWith(`${p}/`)));
  assert.deepEqual(extra, [], `${what}: nothing but ${lab.name}'s files (no journal, staging directory or *.labgen-tmp)`);
  const siblings = readdirSync(dirname(dir)).filter((n) => n.startsWith(`.${basename(dir)}.labgen-`));
  assert.deepEqual(siblings, [], `${what}: no staging directory beside the lab`);
  return lab.name;
}
