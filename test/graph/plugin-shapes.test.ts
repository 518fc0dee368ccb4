// The picture follows what the plugins declare: NIC1 as per-VM NAT engines (VirtualBox) or one shared network
// (libvirt's management network), and pod slices as the CNI cuts them (flannel one /24 per node; Calico /26 IPAM
// blocks, several per node, read after Ready from the cluster's blockaffinities).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockAffinities } from '../../src/cni/calico/index.js';
import { graphReadyHook } from '../../src/commands/graph.js';
import { graphFiles } from '../../src/graph/files.js';
import { graphFacts } from '../../src/graph/facts.js';
import { layoutLab } from '../../src/graph/layout.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { toSvg } from '../../src/graph/svg.js';
import { libvirt } from '../../src/providers/libvirt/index.js';
import { defaultRegistries } from '../../src/registries.js';
import { Registry } from '../../src/registry.js';
import type { Provider } from '../../src/providers/types.js';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { makeLab, svgStrings } from './graph-fixtures.js';

test('VirtualBox: one NAT engine box per VM above its NIC1, no shared NAT bar; the legend says why', () => {
  const lab = makeLab(4);
  const l = layoutLab(lab);
  const engines = l.rects.filter((r) => r.kind === 'nat-engine');
  assert.equal(engines.length, 4);
  assert.equal(l.lines.filter((x) => x.kind === 'bar-nat').length, 0);
  // Each engine sits right above its node's NIC1, joined to it.
  const nic1 = l.rects.filter((r) => r.kind === 'nic1');
  engines.forEach((e, i) => {
    const n = nic1[i]!;
    assert.ok(Math.abs(e.x + e.width / 2 - (n.x + n.width / 2)) < 0.5 && e.y + e.height <= n.y, `engine ${i} above NIC1 ${i}`);
    assert.ok(l.lines.some((x) => x.kind === 'connector-nat' && x.x1 === n.x + n.width / 2 && x.y1 === e.y + e.height && x.y2 === n.y));
  });
  const texts = svgStrings(toSvg(l));
  assert.equal(texts.filter((t) => t === 'NAT engine').length, 4);
  assert.equal(texts.filter((t) => t === '10.0.2.2').length, 4);
  assert.ok(texts.some((t) => t.includes('each VM has its own NAT engine: NIC1 is 10.0.2.15 behind 10.0.2.2 in every VM')));
});

test('libvirt: one management network bar shared by every VM, no engines', () => {
  const lab = makeLab(3, (d) => { d.provider = { name: 'libvirt' }; d.cni.interface = 'auto'; });
  const l = layoutLab(lab);
  assert.equal(l.rects.filter((r) => r.kind === 'nat-engine').length, 0);
  assert.equal(l.lines.filter((x) => x.kind === 'bar-nat').length, 1);
  const m = toMermaid(lab);
  assert.match(m, /^ {2}nat\("management \(vagrant-libvirt\)<br\/>192\.168\.121\.0\/24"\)$/m);
  for (let i = 0; i < 3; i++) assert.match(m, new RegExp(`^  nat ---\\|"NIC1 [^"]+<br/>dhcp"\\| n${i}$`, 'm'));
});

test('the drawing asks the plugin, not its name: a provider declaring per-VM NAT gets engines whatever it is called', () => {
  const reg = defaultRegistries();
  const perVm: Provider = { ...libvirt, nic1Shape: () => ({ kind: 'per-vm', name: 'NAT (someday)', gateway: '10.9.9.9' }), hostOnlyAdapter: 'br-lab' };
  const providers = new Registry<Provider>('provider', [perVm]);
  const lab = makeLab(2, (d) => { d.provider = { name: 'libvirt' }; d.cni.interface = 'auto'; });
  const facts = graphFacts(lab, { ...reg, providers });
  const l = layoutLab(lab, undefined, facts);
  assert.equal(l.rects.filter((r) => r.kind === 'nat-engine').length, 2);
  const texts = svgStrings(toSvg(l));
  for (const s of ['NAT (someday)', '10.9.9.9', 'host (br-lab)']) assert.ok(texts.includes(s), `missing ${s}`);
  assert.match(toMermaid(lab, undefined, facts), /^ {2}nat1\("NAT \(someday\): worker1#39;s own engine/m);
});

test('Calico: the legend says /26 IPAM blocks, several per node; a node with two blocks shows both', () => {
  const lab = makeLab(3, (d) => { d.cni = { plugin: 'calico' }; });
  const texts = svgStrings(toSvg(layoutLab(lab)));
  assert.ok(texts.some((t) => t.includes('pod CIDR 10.244.0.0/16: /26 IPAM blocks of 10.244.0.0/16, one or more per node')), texts.join('|'));
  const slices = [{ node: lab.nodes[0]!.hostname, podCidr: '10.244.0.0/26' }, { node: lab.nodes[1]!.hostname, podCidr: '10.244.0.128/26' }, { node: lab.nodes[1]!.hostname, podCidr: '10.244.0.192/26' }];
  const withSlices = svgStrings(toSvg(layoutLab(lab, { podSlices: slices })));
  assert.ok(withSlices.includes('pods 10.244.0.128/26, 10.244.0.192/26'), withSlices.join('|'));
  assert.ok(withSlices.includes('pods 10.244.0.0/26'));
  assert.match(toMermaid(lab, { podSlices: slices }), /worker1<br\/>[^"]*<br\/>pods 10\.244\.0\.128\/26, 10\.244\.0\.192\/26"/);
  const flannel = svgStrings(toSvg(layoutLab(makeLab(2))));
  assert.ok(flannel.some((t) => t.includes('pod CIDR 10.244.0.0/16: one /24 per node (node.spec.podCIDR)')));
});

test('blockaffinities: confirmed, not deleted blocks of v1 (deleted "false") and v3 (deleted false) resources', () => {
  const doc = { items: [
    { spec: { node: 'b', cidr: '10.244.0.192/26', state: 'confirmed', deleted: 'false' } },
    { spec: { node: 'b', cidr: '10.244.0.64/26', state: 'confirmed', deleted: false } },
    { spec: { node: 'a', cidr: '10.244.0.0/26', state: 'confirmed' } },
    { spec: { node: 'c', cidr: '10.244.1.0/26', state: 'pending' } },
    { spec: { node: 'd', cidr: '10.244.1.64/26', state: 'confirmed', deleted: 'true' } },
    { spec: { node: 'e', cidr: 'not a cidr', state: 'confirmed' } },
  ] };
  assert.deepEqual(blockAffinities(doc), [{ node: 'a', podCidr: '10.244.0.0/26' }, { node: 'b', podCidr: '10.244.0.64/26' }, { node: 'b', podCidr: '10.244.0.192/26' }]);
  assert.deepEqual(blockAffinities({ nope: 1 }), []);
});

test('after Ready, create redraws topology.svg with the slices the CNI declares: Calico blocks from blockaffinities', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['create', 'libvirt-calico-vxlan', '--out', dir, '--poll-interval=50ms'], { env: { FAKE_VAGRANT_MS: JSON.stringify({ default: { import: 0, clone: 0, boot: 0, step: 0 } }) }, ctx: { extraRenderers: [(lab) => graphFiles(lab)], readyHooks: [graphReadyHook] } });
  assert.equal(r.code, 0, r.err);
  assert.ok(h.calls().some((c) => /^kubectl --kubeconfig \S+ --request-timeout=10s get blockaffinities -o json$/.test(c)), 'read the blocks');
  const texts = svgStrings(readFileSync(join(dir, 'topology.svg'), 'utf8'));
  assert.ok(texts.includes('pods 10.244.0.0/26'), texts.join('|'));
  assert.ok(texts.includes('pods 10.244.0.128/26, 10.244.0.192/26'), 'worker1 holds two blocks');
  assert.ok(!texts.some((t) => /pods 10\.244\.\d+\.0\/24/.test(t)), 'not node.spec.podCIDR, which Calico does not use');
});
