// `labgen validate` and `labgen render` on invalid labs: exit 2, every problem as `path: message`, nothing written.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { labFixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';

describe('labgen validate', () => {
  it('exits 0 on a valid fixture and a shipped lab', async () => {
    for (const ref of [labFixture('valid-article'), 'flannel-4node']) {
      const r = await runCli(['validate', ref]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /: valid \(4 nodes, flannel v[\d.]+ \(vxlan\), virtualbox\)/);
    }
  });

  it('exits 2 and prints every problem as `path (line n): message` with its fix', async () => {
    const r = await runCli(['validate', labFixture('invalid-many-rule-problems')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not valid: 3 problems/);
    assert.match(r.stderr, /^ {2}nodes\[2\]\.ip \(line 27\): IP address "10\.0\.0\.3" is already used by nodes\[1\]$/m);
    assert.match(r.stderr, /^ {2}network\.hostOnly\.hostAddress \(line 11\): 10\.0\.0\.1 is the address of nodes\[0\] \(master\)$/m);
    assert.match(r.stderr, /^ {2}nodes\[0\]\.cpus \(line 25\): a control plane needs at least 2 CPUs/m);
    assert.equal((r.stderr.match(/^ {6}fix: /gm) ?? []).length, 3, 'one fix line per problem');
    assert.equal(r.stdout, '', 'problems go to stderr');
  });

  it('--json prints {valid:false, problems:[...]} with path, message, fix and line, and exits 2', async () => {
    const r = await runCli(['validate', labFixture('invalid-many-schema-problems'), '--json']);
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout) as { valid: boolean; problems: { path: string; message: string; fix?: string; line?: number }[] };
    assert.equal(doc.valid, false);
    assert.deepEqual(doc.problems.map((p) => p.path).sort(), ['colour', 'nodes[1].ip', 'os.family']);
    for (const p of doc.problems) {
      assert.equal(typeof p.message, 'string');
      assert.equal(typeof p.line, 'number');
      assert.ok(p.fix, `${p.path} has no fix`);
    }
  });

  it('--json on a valid lab prints {valid:true, problems:[]}', async () => {
    const r = await runCli(['validate', 'calico-4node', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { valid: boolean; problems: unknown[]; lab: string };
    assert.deepEqual({ valid: doc.valid, problems: doc.problems, lab: doc.lab }, { valid: true, problems: [], lab: 'calico-4node' });
  });

  it('checks the lab again with the overrides applied', async () => {
    // A named NIC becomes auto under libvirt, with a notice; the lab stays valid.
    const ok = await runCli(['validate', 'flannel-4node', '--provider', 'libvirt', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const doc = JSON.parse(ok.stdout) as { notices: string[] };
    assert.ok(doc.notices.some((n) => n.includes('auto')), 'the notice explains the NIC change');
    // A host-only network on 192.168.121.0/24 is fine for VirtualBox but is libvirt's management network.
    const fixture = labFixture('valid-hostonly-libvirt-collision');
    assert.equal((await runCli(['validate', fixture])).code, 0);
    const bad = await runCli(['validate', fixture, '--provider', 'libvirt']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /with --provider libvirt is not valid/);
    assert.match(bad.stderr, /provider\.libvirt\.managementNetwork\.cidr: the management network 192\.168\.121\.0\/24 overlaps network\.hostOnly\.cidr/);
    assert.match(bad.stderr, /fix: pick a management network apart from the lab's networks, e\.g\. 192\.168\.123\.0\/24/, 'the fix must not suggest the colliding default');
  });

  it('exits 2 for a YAML syntax error, naming the line', async () => {
    const r = await runCli(['validate', labFixture('invalid-yaml-syntax')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\(document\) \(line 22\): YAML: /);
  });

  it('--cni bogus is a usage error listing the known plugins', async () => {
    const r = await runCli(['validate', 'flannel-4node', '--cni', 'bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bogus/);
    assert.match(r.stderr, /flannel/);
    assert.match(r.stderr, /calico/);
  });

  it('an unknown lab name lists the known labs', async () => {
    const r = await runCli(['validate', 'no-such-lab']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /lab "no-such-lab" is not known\. Known labs are \[.*flannel-4node.*\]/);
  });
});

describe('labgen render on an invalid lab', () => {
  it('exits 2 and writes nothing: the --out directory does not exist afterwards', async () => {
    for (const name of ['invalid-many-rule-problems', 'invalid-unknown-key', 'invalid-yaml-syntax', 'invalid-libvirt-interface-name']) {
      const parent = tempDir();
      const out = join(parent, 'lab');
      const r = await runCli(['render', labFixture(name), '--out', out]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /is not valid/);
      assert.equal(existsSync(out), false, `${name}: ${out} was created`);
    }
  });

  it('exits 2 and writes nothing when an override makes the lab invalid', async () => {
    const out = join(tempDir(), 'lab');
    const r = await runCli(['render', labFixture('valid-hostonly-libvirt-collision'), '--provider', 'libvirt', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(existsSync(out), false);
  });
});
