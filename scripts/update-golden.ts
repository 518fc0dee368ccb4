// Regenerates test/fixtures/golden/ from the shipped labs (`npm run golden`); the golden test only compares. A file
// two or more cases render byte for byte is kept once in golden/shared/ and named from each case's SHARED listing.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { GOLDEN_DIR, goldenCases, goldenLayout, renderGolden, SHARED_DIR, SHARED_LISTING } from '../test/helpers/golden.js';
import { ROOT } from '../test/helpers/paths.js';

rmSync(GOLDEN_DIR, { recursive: true, force: true });
const rendered = new Map(goldenCases().map((c) => [c.name, renderGolden(c)]));
const { shared, cases } = goldenLayout(rendered);
const write = (target: string, content: string) => { mkdirSync(dirname(target), { recursive: true }); writeFileSync(target, content); };
for (const [file, content] of shared) write(join(GOLDEN_DIR, SHARED_DIR, file), content);
let total = 0;
for (const [name, { own, listing }] of cases) {
  for (const [path, content] of own) write(join(GOLDEN_DIR, name, path), content);
  if (listing) write(join(GOLDEN_DIR, name, SHARED_LISTING), listing);
  total += rendered.get(name)!.size;
  console.log(`${name}: ${rendered.get(name)!.size} files (${own.size} its own)`);
}
console.log(`${total} rendered files kept as ${[...cases.values()].reduce((n, c) => n + c.own.size, 0)} own files and ${shared.size} shared ones under ${relative(ROOT, GOLDEN_DIR)}; review them with git diff before committing`);
