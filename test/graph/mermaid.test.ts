// The Mermaid text: every node with its NICs, the networks and CNI, and labels that lab values cannot break.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMermaid, toMermaid } from '../../src/graph/mermaid.js';
import { articleOverlay, makeLab } from './graph-fixtures.js';

/** Every line's quoted labels, checked to be balanced (a raw " inside a label would unbalance them). */
function labels(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    assert.equal((line.match(/"/g) ?? []).length % 2, 0, `unbalanced quotes in: ${line}`);
    return [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  });
}

test('every node with its FQDN, role, size and both NICs; the networks, host adapter, pod CIDR and CNI', () => {
  const lab = makeLab(16);
  const text = toMermaid(lab);
  assert.match(text, /^---\ntitle: .*\n---\nflowchart TB\n/);
  const all = labels(text).join('\n');
  lab.nodes.forEach((n, i) => {
    assert.match(text, new RegExp(`^  n${i}\\["`, 'm'), `node ${n.name} has a box`);
    for (const s of [n.name, n.hostname, `${n.role}, 2 vCPU, 3072 MB`, `NIC2 enp0s8<br/>${n.ip}/24`]) assert.ok(all.includes(s), `missing ${s}`);
    // VirtualBox: each VM's NIC1 hangs off its own NAT engine, not one shared network.
    assert.match(text, new RegExp(`^  nat${i} ---\\|"NIC1 enp0s3<br/>10\\.0\\.2\\.15/24"\\| n${i}$`, 'm'));
    assert.ok(all.includes(`NAT (VirtualBox): ${n.name}#39;s own engine<br/>10.0.2.0/24<br/>gateway 10.0.2.2`), `missing ${n.name}'s NAT engine`);
    assert.match(text, new RegExp(`^  n${i} ---\\|"NIC2 enp0s8<br/>${n.ip.replace(/\./g, '\\.')}/24"\\| ho$`, 'm'));
  });
  assert.doesNotMatch(text, /^ {2}nat\(/m, 'no shared NAT node');
  for (const s of ['host-only<br/>10.0.0.0/24', 'host (vboxnet)<br/>10.0.0.254', 'pod CIDR 10.244.0.0/16: one /24 per node (node.spec.podCIDR)', `CNI ${lab.cni.summary}: UDP 8472, VNI 1, flannel.1`]) {
    assert.ok(all.includes(s), `missing ${s}`);
  }
});

test('a capture overlay adds A-D linked to their nodes, with what was seen, and the slices', () => {
  const lab = makeLab(4);
  const text = toMermaid(lab, articleOverlay(lab));
  for (const p of ['A', 'B', 'C', 'D']) assert.match(text, new RegExp(`^  cap${p}\\(\\("${p}"\\)\\)$`, 'm'));
  assert.match(text, /^ {2}capA -\.- n1$/m);
  assert.match(text, /^ {2}capC -\.- n2$/m, 'C given as an FQDN still finds worker2');
  assert.ok(labels(text).some((l) => l.includes('pods 10.244.2.0/24')));
});

test('quotes and markup in lab values and captures are written as Mermaid entity codes', () => {
  const lab = makeLab(2);
  lab.nodes[1]!.hostname = 'say "hi" <b>&#35;|`x`\'';
  const text = toMermaid(lab, { captures: [{ point: 'A', node: 'master', iface: 'eth0', seen: 'seen "this" & <that>' }] });
  labels(text);
  assert.ok(text.includes('say #34;hi#34; #60;b#62;#38;#35;35;#124;#96;x#96;#39;'));
  assert.ok(text.includes('seen #34;this#34; #38; #60;that#62;'));
  assert.ok(!text.includes('<b>') && !text.includes('"hi"'));
  assert.equal(escapeMermaid('a\nb'), 'a b', 'one line');
});
