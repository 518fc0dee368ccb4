// What render/create add to a lab directory: topology.svg and a README that embeds it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphFiles } from '../../src/graph/files.js';
import { escapeMarkdown } from '../../src/graph/lab-readme.js';
import { makeLab, svgStrings } from './graph-fixtures.js';

test('graphFiles gives topology.svg (the lab picture) and README.md', () => {
  const lab = makeLab(4);
  const files = graphFiles(lab);
  assert.deepEqual(files.map((f) => [f.path, f.mode, f.secret ?? false]), [['topology.svg', 0o644, false], ['README.md', 0o644, false]]);
  assert.ok(svgStrings(files[0]!.content).includes('worker3.lab.com'));
});

test('the README says what the lab is, lists the nodes, embeds the picture and says how to use it', () => {
  const lab = makeLab(4);
  const readme = graphFiles(lab)[1]!.content;
  assert.match(readme, /^# graph-4node\n/);
  assert.ok(readme.includes('![topology](topology.svg)'));
  for (const n of lab.nodes) assert.match(readme, new RegExp(`^\\| ${n.name} \\| ${n.hostname.replace(/\./g, '\\.')} \\| ${n.role} \\| 2 \\| 3072 MB \\| enp0s3 10\\.0\\.2\\.15/24 \\| enp0s8 ${n.ip.replace(/\./g, '\\.')}/24 \\|$`, 'm'));
  for (const s of ['labgen create .', 'vagrant ssh master', 'kubectl --kubeconfig kubeconfig get nodes', '10.244.0.0/16', lab.cni.summary, '10.0.0.254']) assert.ok(readme.includes(s), `missing ${s}`);
});

test('a hostile description is shown as text in the README, not as HTML or Markdown', () => {
  const lab = makeLab(2, (d) => { d.description = '<script>alert(1)</script> | *bold* [x](http://e) & ok'; });
  const readme = graphFiles(lab)[1]!.content;
  assert.ok(!readme.includes('<script>'));
  assert.ok(readme.includes('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\[x\\](http://e) &amp; ok'));
  assert.equal(escapeMarkdown('a_b`c'), 'a\\_b\\`c');
});
