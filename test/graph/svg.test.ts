// The SVG says what the lab is (every label), stays well-formed whatever the lab's values, needs nothing from outside,
// and a real SVG renderer (rsvg-convert) draws it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { layoutLab } from '../../src/graph/layout.js';
import { escapeXml, toSvg } from '../../src/graph/svg.js';
import { requireTool } from '../helpers/tools.js';
import { articleOverlay, makeLab, readSvg, svgStrings } from './graph-fixtures.js';
import { allElements, parseXml } from './xml.js';

const made: string[] = [];
/** A temp dir removed when the file's tests end. */
function scratch(): string { const d = mkdtempSync(join(tmpdir(), 'labgen-graph-')); made.push(d); return d; }
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const has = (strings: string[], s: string) => strings.some((t) => t.includes(s));

describe('SVG content', () => {
  test('every node, FQDN, role, size, both NICs, the host adapter, the networks, pod CIDR and CNI are labelled', () => {
    const lab = makeLab(4);
    const texts = svgStrings(toSvg(layoutLab(lab)));
    for (const n of lab.nodes) {
      for (const s of [n.name, n.hostname, `${n.role}, 2 vCPU, 3072 MB`, `${n.ip}/24`]) assert.ok(texts.includes(s), `missing ${s}`);
    }
    for (const s of ['NIC1 enp0s3', 'NIC2 enp0s8', '10.0.2.15/24', 'host (vboxnet)', '10.0.0.254', 'NAT (VirtualBox)', '10.0.2.0/24 in each VM', 'host-only', '10.0.0.0/24']) {
      assert.ok(texts.includes(s), `missing ${s}`);
    }
    assert.equal(texts.filter((t) => t === 'NIC1 enp0s3').length, 4);
    assert.equal(texts.filter((t) => t === 'NIC2 enp0s8').length, 4);
    for (const s of ['10.244.0.0/16', lab.cni.summary, 'UDP 8472', 'VNI 1', 'flannel.1']) assert.ok(has(texts, s), `missing ${s}`);
    assert.ok(!has(texts, 'pods 10.244.'), 'no per-node slices without a running cluster');
  });

  test('libvirt: NIC1 is the management network by DHCP, the host side is the libvirt bridge', () => {
    const lab = makeLab(3, (d) => { d.provider = { name: 'libvirt' }; d.cni.interface = 'auto'; });
    const texts = svgStrings(toSvg(layoutLab(lab)));
    for (const s of ['management (vagrant-libvirt)', lab.network.nat.cidr, 'dhcp', 'host (libvirt bridge)', `NIC2 ${lab.nodes[0]!.nics[1].name}`]) assert.ok(texts.includes(s), `missing ${s}`);
    assert.ok(has(texts, "on the NIC holding the node's host-only address"));
  });

  test('calico IP-in-IP is described as such', () => {
    const lab = makeLab(2, (d) => { d.cni = { plugin: 'calico', interface: 'enp0s8' }; });
    assert.ok(has(svgStrings(toSvg(layoutLab(lab))), 'IP-in-IP (IP protocol 4), tunl0'));
  });

  test('an overlay adds per-node slices, A-D markers and what was seen at each', () => {
    const lab = makeLab(4);
    const overlay = articleOverlay(lab);
    const svg = toSvg(layoutLab(lab, overlay));
    const s = readSvg(svg);
    const texts = s.texts.map((t) => t.label);
    for (let i = 0; i < 4; i++) assert.ok(texts.includes(`pods 10.244.${i}.0/24`));
    for (const p of ['A', 'B', 'C', 'D']) {
      assert.equal(s.circles.filter((c) => c.kind === `marker-${p}`).length, 2, `${p}: one marker in the picture, one in the legend`);
      assert.equal(texts.filter((t) => t === p).length, 2);
    }
    const all = texts.join(' ');
    for (const c of overlay.captures!) assert.ok(all.includes(c.seen), `missing what ${c.point} saw`);
    assert.ok(texts.includes('worker1 NIC2 enp0s8') && texts.includes('worker2 NIC2 enp0s8'), 'B and C name the node and its NIC2');
    assert.ok(has(texts, 'pod labgen-verify-7d9c-abcde') && has(texts, '10.244.2.7 veth99c0de'));
    // B sits beside worker1's NIC2 box: same height, to its right.
    const b = s.circles.find((c) => c.kind === 'marker-B')!;
    const nic2 = s.rects.filter((r) => r.kind === 'nic2').find((r) => Math.abs(r.y + r.height / 2 - (b.y + b.height / 2)) < 0.01 && b.x >= r.x + r.width);
    assert.ok(nic2, 'marker B is next to a NIC2 box');
  });
});

describe('SVG safety', () => {
  test('hostile text in the description and (hand-edited labgen.json) names cannot break the XML', () => {
    const evil = `<script>alert("x&y")</script> & 'q' ]]> <!-- -->`;
    const lab = makeLab(2, (d) => { d.description = evil; });
    lab.nodes[1]!.hostname = 'evil<&>"\'.lab';
    lab.nodes[1]!.name = 'bad\u0001name\ud800';
    const svg = toSvg(layoutLab(lab, { captures: [{ point: 'A', node: lab.nodes[1]!.hostname, iface: 'eth0', podName: '"><script>', podIp: '1.2.3.4', seen: '&lt; not an entity & <b>' }] }));
    const root = parseXml(svg);
    const names = allElements(root).map((e) => e.name);
    assert.ok(!names.includes('script') && !names.includes('b'), `unexpected elements: ${[...new Set(names)].join(', ')}`);
    const texts = svgStrings(svg);
    assert.ok(texts.join(' ').includes(evil.replace(/\s+/g, ' ')), 'the description is shown as text');
    assert.ok(texts.includes('evil<&>"\'.lab'));
    assert.ok(texts.includes('bad name\ufffd'), 'a control character becomes a space, a lone surrogate U+FFFD');
    assert.ok(texts.join(' ').includes('&lt; not an entity & <b>'));
    assert.equal(allElements(root).find((e) => e.name === 'desc')?.text, evil);
  });

  test('escapeXml escapes the five special characters and replaces characters XML forbids', () => {
    assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    assert.equal(escapeXml('a\u0000b\ufffec'), 'a\ufffdb\ufffdc');
    assert.equal(escapeXml('😀'), '😀', 'a surrogate pair is kept');
  });

  test('self-contained: no links, scripts, styles, images or external fonts; one generic font stack', () => {
    const lab = makeLab(4);
    const svg = toSvg(layoutLab(lab, articleOverlay(lab)));
    for (const bad of [/href\s*=/i, /url\(/i, /@import/i, /@font-face/i, /<script/i, /<style/i, /<image/i, /<foreignObject/i, /<use\b/i]) assert.doesNotMatch(svg, bad);
    const root = parseXml(svg);
    assert.equal(root.name, 'svg');
    assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
    assert.equal(root.attrs['font-family'], 'DejaVu Sans Mono, monospace');
    assert.ok(allElements(root).every((e) => e.attrs['font-family'] === undefined || e === root), 'texts inherit the one font stack');
  });
});

describe('SVG renders with rsvg-convert', () => {
  for (const [name, n, withOverlay] of [['4 nodes', 4, false], ['16 nodes', 16, false], ['4 nodes with captures', 4, true], ['1 node', 1, false]] as const) {
    test(name, (t) => {
      const rsvg = requireTool(t, 'rsvg-convert');
      if (!rsvg) return;
      const lab = makeLab(n);
      const svg = toSvg(layoutLab(lab, withOverlay ? articleOverlay(lab) : undefined));
      const dir = scratch();
      writeFileSync(join(dir, 'g.svg'), svg);
      execFileSync(rsvg, ['-o', join(dir, 'g.png'), join(dir, 'g.svg')], { stdio: ['ignore', 'ignore', 'pipe'] });
      const png = readFileSync(join(dir, 'g.png'));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      const s = readSvg(svg);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [Math.ceil(s.width), Math.ceil(s.height)], 'the PNG has the SVG\'s size');
    });
  }
  test('rsvg-convert rejects broken XML (so the tests above would notice)', (t) => {
    const rsvg = requireTool(t, 'rsvg-convert');
    if (!rsvg) return;
    const dir = scratch();
    writeFileSync(join(dir, 'bad.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>a & b</text></svg>');
    assert.throws(() => execFileSync(rsvg, ['-o', join(dir, 'bad.png'), join(dir, 'bad.svg')], { stdio: 'pipe' }));
  });
});
