// Regenerates test/fixtures/golden/<case>/ from the shipped labs (`npm run golden`); the golden test only compares.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { GOLDEN_DIR, goldenCases, renderGolden } from '../test/helpers/golden.js';
import { ROOT } from '../test/helpers/paths.js';

rmSync(GOLDEN_DIR, { recursive: true, force: true });
let total = 0;
for (const c of goldenCases()) {
  const files = renderGolden(c);
  for (const [path, content] of files) {
    const target = join(GOLDEN_DIR, c.name, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  total += files.size;
  console.log(`${c.name}: ${files.size} files`);
}
console.log(`wrote ${total} files under ${relative(ROOT, GOLDEN_DIR)}; review them with git diff before committing`);
