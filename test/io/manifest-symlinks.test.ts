// A lab directory's manifest, and symlinks planted in it, cannot make labgen read, write or delete outside the lab.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertRefused, runLabgen, renderedLab, snapshot, vagrantCalls } from './helpers.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A file outside the lab, with an unusual mode, that must stay exactly as it is. */
function victim(root: string): { path: string; check(): void } {
  const path = join(root, 'victim.txt');
  writeFileSync(path, 'precious\n');
  chmodSync(path, 0o640);
  const before = snapshot(root).get('./victim.txt');
  return { path, check: () => { assert.equal(snapshot(root).get('./victim.txt'), before, 'victim.txt outside the lab is unchanged, mode included'); } };
}

for (const [what, path] of [['../victim.txt', '../victim.txt'], ['an absolute path', '/ABS/victim.txt'], ['provision/../../victim.txt', 'provision/../../victim.txt']] as const) {
  test(`a manifest listing ${what} is refused as corrupt (exit 2); render deletes nothing outside`, async () => {
    const { h, dir } = await renderedLab();
    const v = victim(h.work);
    const mf = join(dir, '.labgen/manifest.json');
    const m = JSON.parse(readFileSync(mf, 'utf8')) as { files: Record<string, string> };
    m.files[path.replace('/ABS', h.work)] = sha('precious\n');
    writeFileSync(mf, JSON.stringify(m));
    for (const args of [['render', 'calico-4node', '--out', dir], ['render', 'calico-4node', '--out', dir, '--force'], ['destroy', dir, '--purge']]) {
      const r = await runLabgen(h, args);
      assertRefused(r, /manifest\.json is corrupt/);
      assert.match(r.err, /only paths inside the lab directory/);
      assert.match(r.err, /fix: restore it/);
    }
    v.check();
    assert.deepEqual(vagrantCalls(h), []);
  });
}

test('a manifest that is not JSON is an error that says what to do, never "no manifest" (user edits stay protected)', async () => {
  const { h, dir } = await renderedLab();
  writeFileSync(join(dir, 'provision/lab.env'), 'MY=edit\n');
  writeFileSync(join(dir, '.labgen/manifest.json'), '{ not json');
  const before = snapshot(dir);
  const r = await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--force']);
  assertRefused(r, /manifest\.json is corrupt, so labgen cannot tell the files it wrote from yours/);
  assert.match(r.err, /not JSON/);
  assert.deepEqual(snapshot(dir), before);
  assert.equal(readFileSync(join(dir, 'provision/lab.env'), 'utf8'), 'MY=edit\n');
});

test('(a) provision replaced by a symlink to another directory: re-render refuses and writes nothing there', async () => {
  const { h, dir } = await renderedLab();
  const elsewhere = join(h.work, 'elsewhere');
  mkdirSync(elsewhere);
  rmSync(join(dir, 'provision'), { recursive: true });
  symlinkSync(elsewhere, join(dir, 'provision'));
  for (const args of [['render', 'flannel-4node', '--out', dir], ['render', 'calico-4node', '--out', dir, '--force']]) {
    const r = await runLabgen(h, args);
    assertRefused(r, new RegExp(`${escape(join(dir, 'provision'))} is a symbolic link, where labgen expects a directory`));
  }
  assert.deepEqual(readdirSync(elsewhere), [], 'no file was written through the link');
});

test('(b) planted *.labgen-tmp symlinks are never written through; their targets keep content and mode', async () => {
  const { h, dir } = await renderedLab();
  const v = victim(h.work);
  symlinkSync(v.path, join(dir, 'Vagrantfile.labgen-tmp'));
  symlinkSync(v.path, join(dir, 'labgen.json.labgen-tmp'));
  symlinkSync(v.path, join(dir, '.labgen/manifest.json.labgen-tmp'));
  writeFileSync(join(dir, 'provision/lab.env.labgen-tmp'), 'planted\n');
  const r = await runLabgen(h, ['render', 'calico-4node', '--out', dir]);
  assert.equal(r.code, 0, r.err);
  v.check();
  for (const f of ['Vagrantfile', 'labgen.json']) {
    assert.ok(lstatSync(join(dir, f)).isFile(), `${f} is a regular file, not the planted link`);
    assert.match(readFileSync(join(dir, f), 'utf8'), /calico-4node/);
  }
  assert.ok(lstatSync(join(dir, 'Vagrantfile.labgen-tmp')).isSymbolicLink(), 'the planted link is left as it was');
  assert.equal(readFileSync(join(dir, 'provision/lab.env.labgen-tmp'), 'utf8'), 'planted\n', 'a file labgen did not write is left alone');
});

test('(c) .labgen replaced by a symlink: plain destroy refuses and does not delete <target>/nodes', async () => {
  const { h, dir } = await renderedLab();
  const target = join(h.work, 'target');
  mkdirSync(join(target, 'nodes'), { recursive: true });
  writeFileSync(join(target, 'nodes', 'keep.txt'), 'mine\n');
  rmSync(join(dir, '.labgen'), { recursive: true });
  symlinkSync(target, join(dir, '.labgen'));
  const before = snapshot(target);
  for (const args of [['destroy', dir], ['destroy', dir, '--purge'], ['status', dir], ['render', 'flannel-4node', '--out', dir, '--force']]) {
    assertRefused(await runLabgen(h, args), new RegExp(`${escape(join(dir, '.labgen'))} is a symbolic link`));
  }
  assert.deepEqual(snapshot(target), before);
  assert.deepEqual(vagrantCalls(h), []);
});

test('logs/, a log file, secrets/ca.key or labgen.json as symlinks: refused before anything runs or is written', async () => {
  for (const [what, plant] of [
    ['logs -> elsewhere', (dir: string, out: string) => { mkdirSync(out); symlinkSync(out, join(dir, 'logs')); }],
    ['logs/master.log -> file', (dir: string, out: string) => { mkdirSync(join(dir, 'logs')); writeFileSync(out, 'x\n'); symlinkSync(out, join(dir, 'logs', 'master.log')); }],
    ['secrets/ca.key -> file', (dir: string, out: string) => { writeFileSync(out, 'x\n'); rmSync(join(dir, 'secrets/ca.key')); symlinkSync(out, join(dir, 'secrets/ca.key')); }],
    ['labgen.json -> file', (dir: string, out: string) => { writeFileSync(out, readFileSync(join(dir, 'labgen.json'))); rmSync(join(dir, 'labgen.json')); symlinkSync(out, join(dir, 'labgen.json')); }],
  ] as const) {
    const { h, dir } = await renderedLab();
    // The VMs exist, so destroy would write its logs.
    mkdirSync(join(h.state, 'machines'), { recursive: true });
    for (const n of ['master', 'worker1', 'worker2', 'worker3']) writeFileSync(join(h.state, 'machines', `${n}.json`), JSON.stringify({ state: 'running', provisioned: true }));
    const out = join(h.work, 'out-target');
    plant(dir, out);
    const before = snapshot(out);
    const d = await runLabgen(h, what.startsWith('secrets') ? ['render', 'flannel-4node', '--out', dir] : ['destroy', dir]);
    assertRefused(d, /is a symbolic link, where labgen expects/);
    assert.deepEqual(snapshot(out), before, what);
    assert.deepEqual(vagrantCalls(h).filter((c) => c.startsWith('vagrant destroy')), [], what);
  }
});

test('a FIFO where labgen expects its manifest is refused, never opened (no hang)', async () => {
  const { h, dir } = await renderedLab();
  rmSync(join(dir, '.labgen/manifest.json'));
  const { spawnSync } = await import('node:child_process');
  spawnSync('mkfifo', [join(dir, '.labgen/manifest.json')]);
  assert.ok(existsSync(join(dir, '.labgen/manifest.json')));
  assertRefused(await runLabgen(h, ['render', 'flannel-4node', '--out', dir]), /is a FIFO, where labgen expects a regular file/);
});

test('a corrupt manifest names --adopt as the way to take the directory over; --adopt then overwrites none of the user\'s files', async () => {
  const { h, dir } = await renderedLab();
  writeFileSync(join(dir, '.labgen/manifest.json'), '{ not json');
  const r = await runLabgen(h, ['render', 'flannel-4node', '--out', dir]);
  assertRefused(r, /manifest\.json is corrupt/);
  assert.match(r.err, new RegExp(`take the directory over with labgen render <lab> --out ${escape(dir)} --adopt`));
  // With --adopt every file there counts as the user's: an edited one is refused, never overwritten.
  writeFileSync(join(dir, 'provision/lab.env'), 'MY=edit\n');
  const before = snapshot(dir);
  const edited = await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--adopt', '--force']);
  assertRefused(edited, /holds files labgen did not write where the lab needs its own: provision\/lab\.env/);
  assert.deepEqual(snapshot(dir), before, 'nothing was written');
  // Once the user put the file back as labgen writes it, --adopt takes the directory over and writes a valid manifest.
  const fresh = await renderedLab();
  writeFileSync(join(dir, 'provision/lab.env'), readFileSync(join(fresh.dir, 'provision/lab.env')));
  const ok = await runLabgen(h, ['render', 'flannel-4node', '--out', dir, '--adopt']);
  assert.equal(ok.code, 0, ok.err);
  const m = JSON.parse(readFileSync(join(dir, '.labgen/manifest.json'), 'utf8')) as { files: Record<string, string> };
  assert.equal(m.files['provision/lab.env'], sha(readFileSync(join(dir, 'provision/lab.env'), 'utf8')));
  assert.equal((await runLabgen(h, ['render', 'flannel-4node', '--out', dir])).code, 0, 'the directory is labgen\'s again');
});
