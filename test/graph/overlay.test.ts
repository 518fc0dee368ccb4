// Overlays from untrusted JSON (--overlay, a run's verify.json): checked with every problem; verify's result mapped to A-D.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overlayFromVerify, type VerifyRecord } from '../../src/graph/from-verify.js';
import { checkOverlay } from '../../src/graph/overlay.js';
import { articleOverlay, makeLab } from './graph-fixtures.js';

test('a valid overlay passes unchanged; nodes may be named by Vagrant name or FQDN', () => {
  const lab = makeLab(4);
  const overlay = articleOverlay(lab);
  assert.deepEqual(checkOverlay(JSON.parse(JSON.stringify(overlay)), lab), { overlay, problems: [] });
});

test('every problem at once, each with its path', () => {
  const lab = makeLab(3);
  const r = checkOverlay({
    extra: 1,
    podSlices: [{ node: 'worker9', podCidr: '10.244.9.0/24' }, 'x'],
    captures: [{ point: 'E', node: 'worker1', iface: 'eth0', seen: 'line\nbreak' }, { point: 'B', node: 'master' }],
  }, lab);
  assert.equal(r.overlay, undefined);
  const paths = r.problems.map((p) => p.path).sort();
  assert.deepEqual(paths, ['captures[0].point', 'captures[0].seen', 'captures[1].iface', 'captures[1].seen', 'extra', 'podSlices[0].node', 'podSlices[1]'].sort());
  assert.match(r.problems.find((p) => p.path === 'podSlices[0].node')!.fix!, /master, worker1, worker2/);
  assert.deepEqual(checkOverlay([], lab).problems.map((p) => p.path), ['']);
  assert.deepEqual(checkOverlay({ captures: {} }, lab).problems.map((p) => p.path), ['captures']);
});

test('a verify result becomes A/D on the test pods and B/C on the captured NICs, with the verdict', () => {
  const lab = makeLab(4);
  const rec: VerifyRecord = {
    pair: { src: { name: 'labgen-verify-a', ip: '10.244.1.5', node: 'worker1.lab.com' }, dst: { name: 'labgen-verify-b', ip: '10.244.2.7', node: 'worker2.lab.com' } },
    where: { A: 'veth11 on worker1 (pod labgen-verify-a)', B: 'enp0s8 on worker1', C: 'enp0s8 on worker2', D: 'veth22 on worker2 (pod labgen-verify-b)' },
    verdict: { points: [
      { point: 'A', seen: 'none 10.244.1.5 -> 10.244.2.7 icmp (5 req, 5 rep)', ok: true },
      { point: 'B', seen: 'vxlan 10.0.0.2 -> 10.0.0.3 UDP 8472 VNI 1 inner icmp', ok: true },
      { point: 'C', seen: 'nothing', ok: false },
      { point: 'D', seen: 'x'.repeat(400), ok: true },
    ] },
  };
  const o = overlayFromVerify(lab, rec);
  assert.deepEqual(o.captures!.map((c) => [c.point, c.node, c.iface, c.podName ?? '-', c.podIp ?? '-']), [
    ['A', 'worker1', 'veth11', 'labgen-verify-a', '10.244.1.5'],
    ['B', 'worker1', 'enp0s8', '-', '-'],
    ['C', 'worker2', 'enp0s8', '-', '-'],
    ['D', 'worker2', 'veth22', 'labgen-verify-b', '10.244.2.7'],
  ]);
  assert.equal(o.captures![1]!.seen, 'as expected: vxlan 10.0.0.2 -> 10.0.0.3 UDP 8472 VNI 1 inner icmp');
  assert.equal(o.captures![2]!.seen, 'UNEXPECTED: nothing');
  assert.ok(o.captures![3]!.seen.length <= 280 && o.captures![3]!.seen.endsWith('...'));
  assert.deepEqual(checkOverlay(o, lab).problems, [], 'what verify gives is a valid overlay');
});
