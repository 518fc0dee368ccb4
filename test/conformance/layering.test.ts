// Layers point one way: a command (src/commands/<verb>.ts) calls actions, lifecycle and pipeline code, never the other
// way round. A backwards import (an action taking a helper out of a command file) ties the core to a command's
// argument handling; this scan of every import in src/ refuses it, type-only imports and dynamic import() included.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/paths.js';

const SRC = join(ROOT, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports: static `import ... from`, `export ... from`, `import('x')`, bare `import 'x'`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const re of [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm]) {
    for (const m of text.matchAll(re)) out.push(m[1]!);
  }
  return out;
}

/** The src-relative path a relative specifier of `file` points at (`commands/snapshot.js`), or undefined for a package. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(SRC, resolve(dirname(file), spec)).split('\\').join('/');
}

/** The files of src/ that import from src/commands/, as `file: specifier`; only commands themselves and cli.ts may. */
function backwardsImports(): string[] {
  const found: string[] = [];
  for (const abs of walk(SRC)) {
    const file = relative(SRC, abs).split('\\').join('/');
    if (file.startsWith('commands/') || file === 'cli.ts') continue;
    for (const spec of importsOf(readFileSync(abs, 'utf8'))) {
      const t = target(abs, spec);
      if (t !== undefined && (t === 'commands' || t.startsWith('commands/'))) found.push(`src/${file}: imports ${spec}`);
    }
  }
  return found;
}

test('the import scan sees static, type-only, re-exported and dynamic imports (so the layering check can fail)', () => {
  const text = [
    "import { a } from '../commands/snapshot.js';",
    "import type { CommandContext } from '../commands/context.js';",
    "export { b } from './x.js';",
    "const m = await import('../commands/create.js');",
    "import '../commands/side-effect.js';",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['../commands/snapshot.js', '../commands/context.js', './x.js', '../commands/create.js', '../commands/side-effect.js']);
});

test('nothing under src/actions, src/lifecycle, src/pipeline (or anywhere below the commands) imports from src/commands', () => {
  const files = walk(SRC).map((f) => relative(SRC, f).split('\\').join('/'));
  for (const layer of ['actions/', 'lifecycle/', 'pipeline/']) assert.ok(files.some((f) => f.startsWith(layer)), `the scan sees src/${layer}`);
  assert.deepEqual(backwardsImports(), [], 'move what these files need out of src/commands (as saveFreshSnapshot went to src/lifecycle/snapshots.ts)');
});
