// kill -9 at random moments of re-renders that alternate two labs into one directory: after every kill the next
// command sees one whole lab (labgen.json, Vagrantfile and every file of the same lab, manifest hashes matching, no
// temporary file), and the next plain render never refuses with "files you changed".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';
import { labgenAsync, labgenSync } from './helpers.js';
import { assertWholeLab, referenceLabs } from './whole-lab.js';

const LABS = ['flannel-4node', 'calico-4node'];

test('kill -9 at random moments during re-renders: the next command always sees one whole lab', async () => {
  const refs = referenceLabs();
  const dir = join(tempDir('labgen-kill-'), 'lab');
  assert.equal(labgenSync(['render', LABS[0]!, '--out', dir]).code, 0);
  // A render takes ~0.5-2.5 s here (mostly node's start-up); delays spread over that, so kills land in every phase.
  let killed = 0;
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const lab = LABS[(i + 1) % 2]!;
    const delay = Math.floor(Math.random() * 2500);
    const r = await labgenAsync(['render', lab, '--out', dir], { killAfterMs: delay });
    if (r.signal === 'SIGKILL') killed++;
    else assert.equal(r.code, 0, `iteration ${i} (${lab}, not killed): ${r.err}`);
    seen.add(assertWholeLab(dir, refs, `after iteration ${i} (${lab}, ${r.signal ?? 'exit'} after ${delay} ms)`));
  }
  assert.ok(killed > 0, 'some runs were killed');
  // The next plain render goes through (no "files you changed"), and leaves the lab it was asked for.
  const last = labgenSync(['render', LABS[1]!, '--out', dir]);
  assert.equal(last.code, 0, last.err);
  assert.equal(assertWholeLab(dir, refs, 'final'), LABS[1]);
  assert.ok(seen.size >= 1);
});

test('kill -9 right after the commit point (journal written, renames under way): the next command completes the update', async () => {
  const dir = join(tempDir('labgen-commit-'), 'lab');
  const write = pathToFileURL(join(ROOT, 'dist', 'src', 'io', 'write-project.js')).href;
  // Many files make the rename phase long enough to be caught; the child is killed as soon as the journal exists.
  const script = `const { writeProject } = await import(${JSON.stringify(write)});
const files = (tag) => Array.from({ length: 3000 }, (_, i) => ({ path: 'd' + (i % 30) + '/f' + i, content: tag + i + '\\n', mode: 0o644 }));
writeProject(${JSON.stringify(dir)}, files('A'), false);
process.stdout.write('created\\n');
await new Promise((r) => process.stdin.once('data', r));
writeProject(${JSON.stringify(dir)}, files('B'), false);
process.stdout.write('updated\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  while (!out.includes('created')) await new Promise((r) => setTimeout(r, 5));
  const journal = join(dir, '.labgen', 'journal.json');
  child.stdin.write('go\n');
  const t0 = Date.now();
  while (!existsSync(journal) && !out.includes('updated') && Date.now() - t0 < 60_000) { /* spin: the window is short */ }
  child.kill('SIGKILL');
  await closed;
  const { writeProject } = await import('../../src/io/write-project.js');
  const { interruptedUpdate, recoverUpdate } = await import('../../src/io/journal.js');
  const { readFileSync } = await import('node:fs');
  assert.ok(!out.includes('updated'), 'the child was killed before its update finished');
  assert.ok(existsSync(journal), 'killed after the commit point: the journal is there');
  assert.ok(interruptedUpdate(dir));
  assert.equal(recoverUpdate(dir), 'completed');
  for (let i = 0; i < 3000; i += 137) assert.equal(readFileSync(join(dir, `d${i % 30}`, `f${i}`), 'utf8'), `B${i}\n`, `f${i} is the new version`);
  assert.ok(!interruptedUpdate(dir));
  // And a plain write afterwards sees labgen's own unchanged files (no "files you changed").
  writeProject(dir, Array.from({ length: 3000 }, (_, i) => ({ path: `d${i % 30}/f${i}`, content: `B${i}\n`, mode: 0o644 })), false);
});
