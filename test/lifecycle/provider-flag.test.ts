// Issue 12 §5: the lab's provider is the one that runs. VAGRANT_DEFAULT_PROVIDER names another one, and every
// `vagrant up` labgen runs (create, resume, start) still carries the lab's --provider, so machines are the lab's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { execaRunner } from '../../src/host/real-process.js';
import { FAST, upCalls } from './helpers.js';

for (const [lab, provider, other] of [['libvirt-calico-vxlan', 'libvirt', 'virtualbox'], ['flannel-4node', 'virtualbox', 'libvirt']] as const) {
  test(`${lab}: with VAGRANT_DEFAULT_PROVIDER=${other}, every vagrant up passes --provider=${provider}`, async () => {
    const h = fakeHost();
    const dir = join(h.work, 'lab');
    const env = { VAGRANT_DEFAULT_PROVIDER: other };
    // The fake honours VAGRANT_DEFAULT_PROVIDER as vagrant does: without the flag, a new machine gets that provider.
    assert.equal((await runLabgen(h, ['render', lab, '--out', dir])).code, 0);
    const bare = await execaRunner(h.env(env)).run('vagrant', ['up', '--no-color', '--no-provision', 'worker1'], { cwd: dir });
    assert.equal(bare.exitCode, 0, bare.stderr);
    assert.match(bare.stdout, new RegExp(`Bringing machine 'worker1' up with '${other}' provider`));
    await execaRunner(h.env()).run('vagrant', ['destroy', '-f', 'worker1'], { cwd: dir });
    const before = upCalls(h).length;

    const c = await runLabgen(h, ['create', lab, '--out', dir, FAST], { env: { ...env, FAKE_VAGRANT_FAIL: 'worker2:kubeadm-join' } });
    assert.equal(c.code, 1, 'a failed worker, so that a resume runs another up');
    assert.equal((await runLabgen(h, ['create', lab, '--out', dir, FAST], { env })).code, 0);
    assert.equal((await runLabgen(h, ['stop', dir], { env })).code, 0);
    assert.equal((await runLabgen(h, ['start', dir, FAST], { env })).code, 0);
    const ups = upCalls(h).slice(before);
    assert.ok(ups.length >= 3, `create, resume and start each ran vagrant up: ${ups.join('; ')}`);
    for (const u of ups) assert.ok(u.split(' ').includes(`--provider=${provider}`), `without the lab's provider: ${u}`);
    for (const n of ['master', 'worker1', 'worker2', 'worker3']) {
      const m = JSON.parse(readFileSync(join(h.state, 'machines', `${n}.json`), 'utf8')) as { provider: string; state: string };
      assert.equal(m.provider, provider, `${n} was created by ${m.provider}`);
      assert.equal(m.state, 'running');
    }
  });
}
