// The newcomer's path: doctor's fixes follow what is installed and each failed check is printed once, -v and
// version print the version, create takes a lab directory, failures name their step in plain words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVirtualboxFix, newestVirtualboxFor } from '../../src/providers/virtualbox/versions.js';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { runCli } from '../helpers/cli.js';
import { execaRunner } from '../../src/host/real-process.js';
import { realClock } from '../../src/host/clock.js';
import { fakeProbe } from '../fakes/run-labgen.js';
import type { Runner } from '../../src/host/process.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { graphFiles } from '../../src/graph/files.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('labgen -v, labgen version and labgen --version print the version', async () => {
  for (const argv of [['-v'], ['version'], ['--version']]) {
    const out: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
    let r;
    try { r = await runCli(argv); } finally { console.log = orig; }
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal([...r.out, ...out].join('\n').trim(), VERSION, argv.join(' '));
  }
});

test('no VirtualBox under Vagrant 2.3.4: the fix is VirtualBox 7.0 (its driver map ends there) or a newer Vagrant first', async () => {
  assert.equal(newestVirtualboxFor([2, 3, 4]), '7.0');
  assert.equal(newestVirtualboxFor([2, 4, 9]), '7.2');
  const h = fakeHost(['vagrant', 'kubectl', 'ip']);
  const r = await runLabgen(h, ['doctor', 'flannel-4node'], { env: { FAKE_VAGRANT_VERSION: '2.3.4' } });
  assert.equal(r.code, 1);
  const fix = /fail\s+VirtualBox.*\n\s+fix: (.*)\n\s+(.*)/.exec(r.out);
  assert.ok(fix, r.out);
  assert.match(fix[1]!, /^install VirtualBox 7\.0, the newest this Vagrant 2\.3\.4 drives/);
  assert.match(fix[2]!, /or, for VirtualBox 7\.2: first install Vagrant 2\.4\.9\+/);
  assert.doesNotMatch(r.out, /install VirtualBox 7\.1 or 7\.2/);
  assert.match(installVirtualboxFix([2, 4, 9]), /^install VirtualBox 7\.2, which this Vagrant 2\.4\.9 drives/);
  assert.match(installVirtualboxFix(undefined), /^install Vagrant 2\.4\.9\+ .* and VirtualBox 7\.2/);
});

test('doctor prints each failed check once', async () => {
  const h = fakeHost(['kubectl', 'ip']);
  const r = await runLabgen(h, ['doctor', 'flannel-4node']);
  assert.equal(r.code, 1);
  const all = `${r.out}\n${r.err}`;
  assert.equal(all.match(/fail\s+vagrant\s/g)?.length, 1, all);
  assert.equal(all.match(/fail\s+VirtualBox\s/g)?.length, 1, all);
  assert.equal(all.match(/fix: install Vagrant: /g)?.length, 1, all);
  assert.match(r.err, /vagrant, VirtualBox failed/);
});

test('labgen create DIR brings up a rendered lab directory as it is (create . from the lab README)', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'from-elsewhere');
  const rendered = await runLabgen(h, ['render', 'calico-4node', '--out', dir], { ctx: { extraRenderers: [graphFiles] } });
  assert.equal(rendered.code, 0, rendered.err);
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^labgen create \.$/m);
  const before = process.cwd();
  process.chdir(dir);
  try {
    const r = await runLabgen(h, ['create', '.', '--poll-interval=50ms', '--skip-doctor']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`Using the lab directory ${dir} as rendered \\(calico-4node`));
    assert.match(r.out, /calico-4node is Ready: 4 nodes/);
    const changed = await runLabgen(h, ['create', '.', '--cni', 'flannel']);
    assert.equal(changed.code, 2);
    assert.match(changed.err, /--cni flannel cannot change a lab directory/);
  } finally { process.chdir(before); }
  const notLab = await runLabgen(h, ['create', h.root]);
  assert.equal(notLab.code, 2);
  assert.match(notLab.err, /is not a lab directory/);
});

/** A runner that drops the given vagrant output lines, as if the guest never printed them. */
function dropping(env: NodeJS.ProcessEnv, drop: RegExp): Runner {
  const inner = execaRunner(env, 5000);
  return { run: (cmd, args, opts) => inner.run(cmd, args, opts?.onLine ? { ...opts, onLine: (l, s) => { if (!drop.test(l)) opts.onLine!(l, s); } } : opts) };
}

test('a provisioning that ends without LABGEN-DONE is said in plain words, naming the last step', async () => {
  const h = fakeHost();
  const env = h.env();
  const host = { runner: dropping(env, /LABGEN-DONE node=worker3/), clock: realClock, probe: fakeProbe(), onInterrupt: () => () => {} };
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', `${h.work}/lab`, '--skip-doctor'], { ctx: { host } });
  assert.equal(r.code, 1);
  assert.match(r.out, /worker3\s+FAILED provisioning stopped before its last step \(the last one started was cleanup\): the node is not fully set up/);
  assert.doesNotMatch(r.out + r.err, /LABGEN-DONE/);
});

test('a provisioner that fails before any step names the provisioner, not "vagrant up"', async () => {
  const h = fakeHost();
  const env = h.env({ FAKE_VAGRANT_FAIL: 'worker1:hosts' });
  const host = { runner: dropping(env, /LABGEN-(STEP|FAIL) node=worker1/), clock: realClock, probe: fakeProbe(), onInterrupt: () => () => {} };
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', `${h.work}/lab`, '--skip-doctor'], { env: { FAKE_VAGRANT_FAIL: 'worker1:hosts' }, ctx: { host } });
  assert.equal(r.code, 1);
  assert.match(r.err, /^labgen: provisioner labgen-base failed on worker1 \(full log: /m);
  assert.doesNotMatch(r.out + r.err, /at vagrant up/);
});
