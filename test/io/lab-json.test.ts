// A tampered labgen.json never reaches a path or a command: every reader re-validates it by the lab file's own rules.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { assertRefused, runLabgen, renderedLab, snapshot, vagrantCalls } from './helpers.js';

type Json = { labgen: number; definition: Record<string, any>; lab: Record<string, any> };

/** Tampers like an attacker who knows the format: the definition and the resolved lab alike. */
const tampers: Record<string, (j: Json) => void> = {
  'node name /.*/ (a Vagrant regex)': (j) => { j.definition.nodes[1].name = '/.*/'; j.lab.nodes[1].name = '/.*/'; j.lab.workers[0].name = '/.*/'; },
  'node name --provider=x (an option)': (j) => { j.definition.nodes[1].name = '--provider=x'; j.lab.nodes[1].name = '--provider=x'; j.lab.workers[0].name = '--provider=x'; },
  'node name ../../x (a path)': (j) => { j.definition.nodes[0].name = '../../x'; j.lab.nodes[0].name = '../../x'; j.lab.controlPlane.name = '../../x'; },
  'node name cafe (a prefix of some Vagrant machine id)': (j) => { j.definition.nodes[1].name = 'cafe'; j.lab.nodes[1].name = 'cafe'; j.lab.workers[0].name = 'cafe'; },
  'ip: null': (j) => { j.definition.nodes[1].ip = null; j.lab.nodes[1].ip = null; },
  'ip breaking out of quotes': (j) => { j.definition.nodes[1].ip = "10.0.0.2'; touch /tmp/x; '"; j.lab.nodes[1].ip = j.definition.nodes[1].ip; },
  'unknown provider': (j) => { j.definition.provider = { name: 'hyperv' }; j.lab.provider.name = 'hyperv'; },
  'lab name ../x': (j) => { j.definition.name = '../x'; j.lab.name = '../x'; },
  'libvirt uri with command=': (j) => { j.definition.provider = { name: 'libvirt', libvirt: { uri: 'qemu+ssh://localhost/system?command=/tmp/evil' } }; },
  'resolved lab edited, definition intact': (j) => { j.lab.nodes[1].name = '--provider=x'; },
  'definition missing (older format)': (j) => { delete (j as Partial<Json>).definition; },
  'not an object': (j) => { for (const k of Object.keys(j)) delete (j as any)[k]; (j as any).labgen = 1; (j as any).definition = []; },
};

for (const [what, tamper] of Object.entries(tampers)) {
  test(`labgen.json with ${what}: destroy, status, doctor, verify and graph exit 2 naming the file, and run nothing`, async () => {
    const { h, dir } = await renderedLab();
    const file = join(dir, 'labgen.json');
    const j = JSON.parse(readFileSync(file, 'utf8')) as Json;
    tamper(j);
    writeFileSync(file, JSON.stringify(j));
    const before = snapshot(h.root);
    for (const cmd of [['destroy', dir], ['destroy', dir, '--purge'], ['status', dir], ['doctor', dir], ['verify', dir], ['graph', dir, '--out', join(h.work, 'g.svg')]]) {
      const r = await runLabgen(h, cmd);
      assertRefused(r, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    }
    assert.deepEqual(vagrantCalls(h), [], 'no vagrant command ran');
    assert.deepEqual(snapshot(h.root), before, 'nothing was written anywhere in the sandbox');
  });
}

test('a lab file cannot name a node with hex digits only (a Vagrant machine-id prefix)', async () => {
  const { h } = await renderedLab();
  const lab = join(h.work, 'hex.yaml');
  writeFileSync(lab, `name: hex
os: { family: el }
network: { hostOnly: { cidr: 10.0.0.0/24 } }
kubernetes: { version: "1.35" }
cni: { plugin: flannel }
nodes:
  - { name: master, hostname: master.lab.com, role: control-plane, ip: 10.0.0.1 }
  - { name: beef, hostname: beef.lab.com, role: worker, ip: 10.0.0.2 }
`);
  const r = await runCli(['validate', lab]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nodes\[1\]\.name/);
  assert.match(r.stderr, /at least one letter after f/);
});
