// A third CNI plugin defined here, plugged in with `reg.cni.with(...)`, renders a lab end to end through the CLI,
// without touching flannel or Calico code; unknown names list every known plugin.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CniPlugin } from '../../src/cni/types.js';
import { closedObject } from '../../src/lab/json-schema.js';
import { defaultRegistries } from '../../src/registries.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/render.js';

const fake: CniPlugin = {
  name: 'fake',
  description: 'a test plugin',
  versions: ['v9.9.9'],
  kubernetesMinors: { 'v9.9.9': ['1.35', '1.36', '1.37'] },
  hostFirewall: { mode: 'configured' },
  optionsSchema: closedObject({ mtu: { type: 'integer', minimum: 1000, maximum: 9000, default: 1450 } }),
  nicSelection: 'whatever the test says',
  resolveOptions: (o) => ({ mtu: 1450, ...(o ?? {}) }),
  rules: (lab) => (lab.cni.options?.mtu === 1234 ? [{ path: 'cni.options.mtu', message: '1234 is unlucky', fix: 'use 1450' }] : []),
  encapsulation: () => ({ kind: 'none' }),
  firewall: () => [{ port: '7777', protocol: 'udp', why: 'fake overlay' }],
  podSlicing: () => ({ prefixLength: 25, several: false, text: 'one /25 per node (fake)' }),
  readiness: () => ({ daemonSets: [{ namespace: 'kube-system', name: 'fake' }] }),
  logSources: () => [{ namespace: 'kube-system', selector: 'app=fake' }],
  summary: (v, o) => `fake ${v} (mtu ${String(o.mtu)})`,
  render: (lab) => [
    { path: 'cni/fake.conf', content: `network=${lab.kubernetes.podCidr} mtu=${String(lab.cni.options.mtu)} iface=${lab.cni.interface.mode === 'name' ? lab.cni.interface.name : 'auto'}\n`, mode: 0o644 },
    { path: 'cni/install.sh', content: '#!/usr/bin/env bash\necho fake\n', mode: 0o755 },
    { path: 'cni/node-prep.sh', content: '#!/usr/bin/env bash\necho fake\n', mode: 0o755 },
  ],
};

function labFile(options: string): string {
  const file = join(tempDir(), 'fake-lab.yaml');
  writeFileSync(file, `name: fake-lab
os: { family: el }
network: { hostOnly: { cidr: 10.0.0.0/24 } }
kubernetes: { version: "1.35" }
cni: { plugin: fake, interface: enp0s8${options} }
nodes:
  - { name: master, hostname: master.lab.com, role: control-plane, ip: 10.0.0.1 }
  - { name: worker1, hostname: worker1.lab.com, role: worker, ip: 10.0.0.2 }
`);
  return file;
}

describe('CNI plug-in registry', () => {
  const reg = defaultRegistries();
  reg.cni = reg.cni.with(fake);

  it('renders a lab with cni.plugin: fake end to end through main()', async () => {
    const out = join(tempDir(), 'lab');
    const r = await runCli(['render', labFile(', options: { mtu: 1400 }'), '--out', out], { reg });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fake v9\.9\.9 \(mtu 1400\)/);
    assert.equal(readFileSync(join(out, 'cni/fake.conf'), 'utf8'), 'network=10.244.0.0/16 mtu=1400 iface=enp0s8\n');
    assert.match(readFileSync(join(out, 'provision/nodes/worker1.env'), 'utf8'), /^FIREWALL_PORTS='10250\/tcp 10256\/tcp 30000-32767\/tcp 7777\/udp'$/m);
    assert.match(readFileSync(join(out, 'labgen.json'), 'utf8'), /"plugin": "fake"/);
  });

  it('validates the plugin\'s options schema and runs its rules', async () => {
    const bad = await runCli(['validate', labFile(', options: { mtu: 1, colour: red }')], { reg });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /cni\.options\.colour .*unknown key/);
    assert.match(bad.stderr, /cni\.options\.mtu .*1000/);
    const unlucky = await runCli(['validate', labFile(', options: { mtu: 1234 }')], { reg });
    assert.equal(unlucky.code, 2);
    assert.match(unlucky.stderr, /cni\.options\.mtu \(line \d+\): 1234 is unlucky\n\s+fix: use 1450/);
  });

  it('the default registries do not know it: the error lists the known plugins', async () => {
    const r = await runCli(['validate', labFile('')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cni\.plugin \(line 5\): "fake" is not one of "flannel", "calico"/);
  });

  it('--cni bogus lists the known plugins, the plugged-in one included', async () => {
    const r = await runCli(['render', 'flannel-4node', '--cni', 'bogus', '--out', join(tempDir(), 'x')], { reg });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bogus/);
    assert.match(r.stderr, /"flannel", "calico", "fake"|flannel, calico, fake/);
  });

  it('--cni fake switches a shipped lab to the plugin', async () => {
    const out = join(tempDir(), 'lab');
    const r = await runCli(['render', 'flannel-4node', '--cni', 'fake', '--out', out], { reg });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'cni/fake.conf'), 'utf8'), 'network=10.244.0.0/16 mtu=1450 iface=enp0s8\n');
  });
});
