// Geometry of the picture, read back from the SVG: no two texts overlap, nothing crosses a text, rows wrap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layoutLab, MAX_NODES_PER_ROW } from '../../src/graph/layout.js';
import { toSvg } from '../../src/graph/svg.js';
import { articleOverlay, boxesOverlap, makeLab, overlappingPairs, readSvg, type Box } from './graph-fixtures.js';

const inside = (a: Box, b: Box) => a.x >= b.x - 1e-6 && a.y >= b.y - 1e-6 && a.x + a.width <= b.x + b.width + 1e-6 && a.y + a.height <= b.y + b.height + 1e-6;
const isMarkerLetter = (t: Box, circles: Box[]) => /^[ABCD]$/.test(t.label) && circles.some((c) => inside(t, c));

function checkGeometry(svg: string): void {
  const s = readSvg(svg);
  assert.deepEqual(overlappingPairs(s.texts), [], 'texts overlap');
  for (const t of s.texts) assert.ok(inside(t, { x: 0, y: 0, width: s.width, height: s.height, label: 'canvas' }), `${t.label} is outside the canvas`);
  for (const t of s.texts) for (const l of s.lines) assert.ok(!boxesOverlap(t, l), `line ${l.kind} crosses text ${JSON.stringify(t.label)}`);
  for (const t of s.texts) {
    if (isMarkerLetter(t, s.circles)) continue;
    for (const c of s.circles) assert.ok(!boxesOverlap(t, c), `marker ${c.kind} covers text ${JSON.stringify(t.label)}`);
    // A text is either inside a box or clear of it, never across its border.
    for (const r of s.rects) assert.ok(!boxesOverlap(t, r) || inside(t, r), `text ${JSON.stringify(t.label)} crosses the border of ${r.kind}`);
  }
  assert.deepEqual(overlappingPairs(s.circles), [], 'markers overlap');
  const nodes = s.rects.filter((r) => r.kind.startsWith('node-'));
  assert.deepEqual(overlappingPairs(nodes), [], 'node boxes overlap');
  assert.deepEqual(overlappingPairs(s.rects.filter((r) => /^nic[12]$/.test(r.kind))), [], 'NIC boxes overlap');
  for (const t of s.texts) assert.ok(t.height >= 11, `text ${t.label} is too small to read`);
}

describe('layout geometry', () => {
  for (const n of [1, 2, 4, 5, 16, 64]) {
    test(`${n} node(s): no overlapping or cut text, ${Math.ceil(n / MAX_NODES_PER_ROW)} row(s) of nodes`, () => {
      const lab = makeLab(n);
      const svg = toSvg(layoutLab(lab));
      checkGeometry(svg);
      const nodes = readSvg(svg).rects.filter((r) => r.kind.startsWith('node-'));
      assert.equal(nodes.length, n);
      assert.equal(new Set(nodes.map((r) => r.y)).size, Math.ceil(n / MAX_NODES_PER_ROW));
    });
  }
  for (const n of [3, 4, 16]) {
    test(`${n} nodes with the article's capture overlay and pod slices: still no overlap`, () => {
      const lab = makeLab(n);
      checkGeometry(toSvg(layoutLab(lab, articleOverlay(lab))));
    });
  }
  test('long names, long FQDNs, a long description and wide characters still fit', () => {
    const lab = makeLab(6, (d) => {
      d.description = `${'A very long description of a lab that goes on and on '.repeat(3)}実験室の説明`.slice(0, 200);
      d.nodes[1]!.name = 'worker-with-a-very-long-name-abc';
      d.nodes[2]!.hostname = `${'segment-number-one-of-many.'.repeat(5)}lab.com`;
    });
    const overlay = articleOverlay(lab);
    overlay.captures![0]!.seen = 'x'.repeat(250);
    checkGeometry(toSvg(layoutLab(lab, overlay)));
  });
  test('the checker itself finds overlapping texts (so the tests above can fail)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="10" y="20" font-size="12">worker1</text><text x="30" y="22" font-size="12">worker2</text></svg>';
    assert.throws(() => checkGeometry(svg), /texts overlap/);
    const apart = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="10" y="20" font-size="12">worker1</text><text x="10" y="40" font-size="12">worker2</text></svg>';
    checkGeometry(apart);
  });
});
