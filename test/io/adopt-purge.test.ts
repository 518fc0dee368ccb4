// labgen removes only what it wrote, and never takes over or overwrites a directory's files it did not write.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { assertRefused, runLabgen, renderedLab, snapshot, vagrantCalls } from './helpers.js';

/** A user's project: a thesis, a README and a .gitignore of their own, with their own modes. */
function project(root: string): string {
  const dir = join(root, 'mydocs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'thesis.txt'), 'precious\n');
  writeFileSync(join(dir, 'README.md'), '# my project\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  chmodSync(join(dir, 'thesis.txt'), 0o600);
  return dir;
}

test('render --force into a directory labgen did not create is refused (exit 2), nothing written', async () => {
  const h = fakeHost();
  const dir = project(h.work);
  const before = snapshot(dir);
  assertRefused(await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--force']), /exists and was not written by labgen[\s\S]*--adopt/);
  assertRefused(await runLabgen(h, ['render', 'flannel-4node', '--out', dir]), /exists and was not written by labgen/);
  assert.deepEqual(snapshot(dir), before);
});

test('--adopt writes the lab but keeps the user\'s README.md and .gitignore; a clash on a file the lab needs is refused', async () => {
  const h = fakeHost();
  const dir = project(h.work);
  const mine = snapshot(dir);
  const r = await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--adopt', '--force']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /kept your own .*\.gitignore/);
  const after = snapshot(dir);
  for (const f of ['./thesis.txt', './README.md', './.gitignore']) assert.equal(after.get(f), mine.get(f), `${f} untouched`);
  assert.ok(existsSync(join(dir, 'Vagrantfile')) && existsSync(join(dir, 'labgen.json')));
  // A re-render (even forced) still never overwrites them.
  assert.equal((await runLabgen(h, ['render', 'calico-4node', '--out', dir, '--force'])).code, 0);
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), 'node_modules/\n');

  const other = join(h.work, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'Vagrantfile'), '# my own Vagrantfile\n');
  const before = snapshot(other);
  assertRefused(await runLabgen(h, ['render', 'flannel-4node', '--out', other, '--adopt', '--force']), /holds files labgen did not write where the lab needs its own: Vagrantfile/);
  assert.deepEqual(snapshot(other), before, 'nothing written');
});

test('destroy --purge on an adopted directory removes only labgen\'s files, keeps the rest, says so, and reports no VM destroyed when none existed', async () => {
  const h = fakeHost();
  const dir = project(h.work);
  const mine = snapshot(dir);
  assert.equal((await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--adopt'])).code, 0);
  const r = await runLabgen(h, ['destroy', dir, '--purge']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /No VM of flannel-4node existed: nothing to destroy/);
  assert.doesNotMatch(r.out, /Destroyed \d/);
  assert.match(r.out, /kept .*mydocs because it holds files labgen did not write/);
  assert.match(r.out, /thesis\.txt/);
  assert.deepEqual(vagrantCalls(h).filter((c) => c.startsWith('vagrant destroy')), [], 'no VM existed, so none was destroyed');
  assert.deepEqual(snapshot(dir), mine, 'exactly the user\'s files are left, with their modes');
  const j = await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--adopt']);
  assert.equal(j.code, 0);
  const json = JSON.parse((await runLabgen(h, ['destroy', dir, '--purge', '--json'])).out) as { destroyed: string[]; notCreated: string[]; dirRemoved: boolean; left: string[] };
  assert.deepEqual(json.destroyed, []);
  assert.equal(json.notCreated.length, 4);
  assert.equal(json.dirRemoved, false);
  assert.deepEqual(json.left.sort(), ['.gitignore', 'README.md', 'thesis.txt']);
});

test('destroy reports the VMs that really existed; --purge of a pure lab directory removes it; a file you changed is kept', async () => {
  const { h, dir } = await renderedLab();
  mkdirSync(join(h.state, 'machines'), { recursive: true });
  writeFileSync(join(h.state, 'machines', 'worker2.json'), JSON.stringify({ state: 'running', provisioned: true }));
  const r = await runLabgen(h, ['destroy', dir]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Destroyed 1 VM of flannel-4node: worker2 \(master, worker1, worker3 did not exist\)/);
  assert.deepEqual(vagrantCalls(h).filter((c) => c.startsWith('vagrant destroy')), ['vagrant destroy -f --no-color -- worker2']);

  writeFileSync(join(dir, 'provision/lab.env'), 'MY=edit\n');
  const kept = await runLabgen(h, ['destroy', dir, '--purge']);
  assert.equal(kept.code, 0, kept.err);
  assert.match(kept.out, /provision\/lab\.env \(changed by you\)/);
  assert.deepEqual([...snapshot(dir).keys()].sort(), ['.', './provision', './provision/lab.env']);

  const pure = await renderedLab('calico-4node');
  const p = await runLabgen(pure.h, ['destroy', pure.dir, '--purge']);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /removed .* \(only labgen's files were in it\)/);
  assert.ok(!existsSync(pure.dir));
});
