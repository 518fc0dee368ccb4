// --out edge cases, explicit modes under umask 000, and create over a running lab with another CNI.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { tempDir } from '../helpers/render.js';
import { assertRefused, labgenSync, runLabgen, snapshot, vagrantCalls } from './helpers.js';

test('--out naming a dangling symlink: exit 2 with a message, no stack trace, nothing created', async () => {
  const h = fakeHost();
  const link = join(h.work, 'lab');
  symlinkSync(join(h.work, 'nowhere'), link);
  for (const cmd of ['render', 'create']) {
    assertRefused(await runLabgen(h, [cmd, 'flannel-4node', '--out', link]), /is a symbolic link to something that does not exist/);
  }
  assert.ok(!existsSync(join(h.work, 'nowhere')));
  assert.deepEqual(vagrantCalls(h), []);
});

test('--out with no value: exit 2, never a render into the current directory', () => {
  const cwd = tempDir('labgen-out-');
  for (const args of [['render', 'flannel-4node', '--out'], ['render', 'flannel-4node', '--out', '--force'], ['render', 'flannel-4node', '--out=']]) {
    const r = labgenSync(args, { cwd });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /--out needs a directory/);
    assert.doesNotMatch(r.err, /internal error/);
  }
  assert.deepEqual(readdirSync(cwd), [], 'nothing written into the current directory');
});

/** Every directory and file under a lab, by mode: nothing group- or world-writable; secrets private. */
function assertModes(dir: string): void {
  for (const [rel, desc] of snapshot(dir)) {
    const [kind, mode] = desc.split(' ');
    const m = parseInt(mode!, 8);
    assert.equal(m & 0o022, 0, `${rel} is ${desc}: group/world-writable`);
    if (rel === './secrets') assert.equal(m, 0o700, `${rel} ${desc}`);
    else if (rel.startsWith('./secrets/')) assert.equal(m, 0o600, `${rel} ${desc}`);
    else if (kind === 'dir' && rel !== './.labgen/nodes') assert.equal(m, 0o755, `${rel} ${desc}`);
  }
}

test('under umask 000 every directory and file gets an explicit mode: new directory, update, and recreated secrets/', () => {
  const root = tempDir('labgen-umask-');
  const dir = join(root, 'lab');
  const umask = { shellPrefix: 'umask 000;' };
  assert.equal(labgenSync(['render', 'flannel-4node', '--out', dir], umask).code, 0);
  assertModes(dir);
  // The update path: another lab over it, with directories (secrets/ included) to recreate.
  rmSync(join(dir, 'secrets'), { recursive: true });
  rmSync(join(dir, 'provision', 'nodes'), { recursive: true });
  const r = labgenSync(['render', 'calico-4node', '--out', dir, '--force'], umask);
  assert.equal(r.code, 0, r.err);
  assertModes(dir);
  assert.equal(lstatSync(join(dir, 'secrets')).mode & 0o777, 0o700);
});

test('create calico-4node over a flannel lab whose VMs exist is refused with the fix; nothing is run or written', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const c = await runLabgen(h, ['create', 'flannel-4node', '--out', dir, '--poll-interval=50ms']);
  assert.equal(c.code, 0, c.err);
  const before = snapshot(dir);
  const ups = () => vagrantCalls(h).filter((x) => x.startsWith('vagrant up')).length;
  const n = ups();
  const r = await runLabgen(h, ['create', 'calico-4node', '--out', dir, '--poll-interval=50ms']);
  assertRefused(r, /holds flannel-4node with flannel .*, and its VMs exist \(master, worker1, worker2, worker3\)/);
  assert.match(r.err, /destroy that lab first \(labgen destroy .*\), or create this one in another directory \(--out DIR\)/);
  assert.equal(ups(), n, 'no vagrant up');
  assert.deepEqual(snapshot(dir), before, 'nothing written');
  // The same CNI is a resume, not a change; after destroy the directory takes the other lab.
  assert.equal((await runLabgen(h, ['destroy', dir])).code, 0);
  const again = await runLabgen(h, ['create', 'calico-4node', '--out', dir, '--poll-interval=50ms']);
  assert.equal(again.code, 0, again.err);
});
