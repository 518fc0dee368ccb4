// labgen status and destroy on a lab created against the fakes.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';

test('status shows each VM and the node table; without the API it says so; destroy (parallel) then --purge', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  assert.equal((await runLabgen(h, ['create', 'flannel-4node', '--out', dir, '--poll-interval=50ms'])).code, 0);
  const s = await runLabgen(h, ['status', dir]);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /^\s+worker2\s+running\s+yes\s+10\.0\.0\.3$/m);
  assert.match(s.out, /^\s+worker2\.lab\.com\s+Ready\s+<none>/m);
  rmSync(join(h.state, 'api-up'));
  const down = await runLabgen(h, ['status', dir, '--json']);
  const j = JSON.parse(down.out) as { vms: { state: string }[]; api: { answering: boolean; error: string } };
  assert.equal(j.api.answering, false);
  assert.match(j.api.error, /connection to the server 10\.0\.0\.1:6443 was refused/);
  assert.deepEqual(j.vms.map((v) => v.state), ['running', 'running', 'running', 'running']);

  const d = await runLabgen(h, ['destroy', dir]);
  assert.equal(d.code, 0, d.err);
  const destroys = h.calls().filter((c) => c.startsWith('vagrant destroy'));
  assert.deepEqual(destroys.map((c) => c.split(' ').at(-1)).sort(), ['master', 'worker1', 'worker2', 'worker3']);
  assert.ok(existsSync(join(dir, 'Vagrantfile')) && !existsSync(join(dir, 'kubeconfig')) && !existsSync(join(dir, '.labgen/nodes')));
  const after = await runLabgen(h, ['status', dir]);
  assert.match(after.out, /^\s+master\s+not_created\s+no/m);
  assert.equal((await runLabgen(h, ['destroy', dir, '--purge'])).code, 0);
  assert.ok(!existsSync(dir));
});

test('status on a directory that is not a lab exits 2', async () => {
  const h = fakeHost();
  const r = await runLabgen(h, ['status', h.work]);
  assert.equal(r.code, 2);
  assert.match(r.err, /is not a lab directory/);
});
