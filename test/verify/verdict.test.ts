// The pure verdict: what each CNI should put on the wire at A-D, judged on hand-made analyses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileAnalysis, Flow } from '../../src/capture/analysis.js';
import type { WireEncapsulation, ResolvedLab } from '../../src/lab/types.js';
import { judge, type CapturePoint, type PingPair } from '../../src/verify/verdict.js';
import { pickPair, podsFromJson, remoteCapture, tcpdumpCommand } from '../../src/verify/plan.js';

const pair: PingPair = { src: { name: 'a', ip: '10.244.1.2', node: 'worker1.lab.com' }, dst: { name: 'b', ip: '10.244.2.2', node: 'worker2.lab.com' }, srcNodeIp: '10.0.0.2', dstNodeIp: '10.0.0.3' };
const where = { A: 'veth1', B: 'enp0s8', C: 'enp0s8', D: 'veth2' };
const icmp = (extra: Partial<Flow> = {}): Flow => ({ encapsulation: 'none', inner: { source: '10.244.1.2', destination: '10.244.2.2', protocol: 'icmp' }, packets: 10, echoRequests: 5, echoReplies: 5, ...extra });
const file = (flows: Flow[]): FileAnalysis => ({ file: 'x.pcap', linkTypes: ['ethernet'], packets: 10, capturedBytes: 1000, flows, other: {} } as unknown as FileAnalysis);
const lab = (encapsulation: WireEncapsulation) => ({ cni: { encapsulation } }) as unknown as ResolvedLab;
const vxlan: WireEncapsulation = { kind: 'vxlan', udpPort: 8472, vni: 1, device: 'flannel.1' };
const tunnel = (kind: 'vxlan' | 'ipip', port?: number, vni?: number) => icmp({ encapsulation: kind, outer: { source: '10.0.0.2', destination: '10.0.0.3' }, udpPort: port, vni });

function analyses(bc: Flow[], ad: Flow[] = [icmp()]): Record<CapturePoint, FileAnalysis> {
  return { A: file(ad), B: file(bc), C: file(bc), D: file(ad) };
}

test('flannel VXLAN: plain at A/D, UDP 8472 VNI 1 between the nodes at B/C is ok', () => {
  const v = judge(lab(vxlan), pair, where, analyses([tunnel('vxlan', 8472, 1)]));
  assert.equal(v.ok, true, JSON.stringify(v.points, null, 1));
});

test('flannel VXLAN: the wrong VNI, the wrong port, IP-in-IP, or plain packets at B/C are each contradictions', () => {
  for (const bad of [tunnel('vxlan', 8472, 4096), tunnel('vxlan', 4789, 1), tunnel('ipip'), icmp()]) {
    const v = judge(lab(vxlan), pair, where, analyses([bad]));
    assert.equal(v.ok, false);
    assert.deepEqual(v.points.filter((p) => !p.ok).map((p) => p.point), ['B', 'C']);
    assert.match(v.points[1]!.problems.join(' '), /expected VXLAN UDP 8472 VNI 1 between 10\.0\.0\.2 <-> 10\.0\.0\.3/);
  }
});

test('Calico IP-in-IP and plain routing (host-gw, Calico None) are judged on their own wire formats', () => {
  assert.equal(judge(lab({ kind: 'ipip', device: 'tunl0' }), pair, where, analyses([tunnel('ipip')])).ok, true);
  assert.equal(judge(lab({ kind: 'none' }), pair, where, analyses([icmp()])).ok, true);
  assert.equal(judge(lab({ kind: 'none' }), pair, where, analyses([tunnel('vxlan', 4789, 4096)])).ok, false);
});

test('nothing arrived, or requests without replies, fails with the reason', () => {
  const none = judge(lab(vxlan), pair, where, analyses([], []));
  assert.equal(none.ok, false);
  assert.match(none.points[0]!.problems[0]!, /no ICMP between 10\.244\.1\.2 and 10\.244\.2\.2 arrived at A/);
  const noReplies = judge(lab(vxlan), pair, where, analyses([tunnel('vxlan', 8472, 1)], [icmp({ echoReplies: 0 })]));
  assert.equal(noReplies.ok, false);
  assert.match(noReplies.points[0]!.problems.join(' '), /no echo replies at A/);
  const missing = judge(lab(vxlan), pair, where, { A: file([icmp()]) });
  assert.match(missing.points[3]!.problems[0]!, /no capture file for D/);
});

test('WireGuard: cleartext pod ICMP between the nodes is a contradiction, node-to-node UDP is expected', () => {
  const wg: WireEncapsulation = { kind: 'wireguard', udpPort: 51820, device: 'flannel-wg' };
  const udp: Flow = { encapsulation: 'none', inner: { source: '10.0.0.2', destination: '10.0.0.3', protocol: 'udp' }, packets: 10, echoRequests: 0, echoReplies: 0 };
  assert.equal(judge(lab(wg), pair, where, analyses([udp])).ok, true);
  assert.equal(judge(lab(wg), pair, where, analyses([icmp()])).ok, false);
});

test('pods are paired across two different workers, sorted by the lab\'s worker order', () => {
  const l = { nodes: [
    { name: 'master', hostname: 'master.lab.com', role: 'control-plane', index: 0, ip: '10.0.0.1' },
    { name: 'worker1', hostname: 'worker1.lab.com', role: 'worker', index: 1, ip: '10.0.0.2' },
    { name: 'worker2', hostname: 'worker2.lab.com', role: 'worker', index: 2, ip: '10.0.0.3' },
  ] } as unknown as ResolvedLab;
  const pods = podsFromJson(JSON.stringify({ items: [
    { metadata: { name: 'p2' }, status: { phase: 'Running', podIP: '10.244.2.5' }, spec: { nodeName: 'worker2.lab.com' } },
    { metadata: { name: 'p0' }, status: { phase: 'Pending' }, spec: {} },
    { metadata: { name: 'p1' }, status: { phase: 'Running', podIP: '10.244.1.9' }, spec: { nodeName: 'worker1.lab.com' } },
  ] }));
  assert.deepEqual(pods.map((p) => p.name), ['p1', 'p2']);
  const chosen = pickPair(l, pods)!;
  assert.equal(chosen.src.name, 'p1');
  assert.equal(chosen.dstNode.ip, '10.0.0.3');
  assert.equal(pickPair(l, [pods[0]!]), undefined);
});

test('the capture command refuses an interface name that is not a plain Linux name', () => {
  const c = remoteCapture('0123456789abcdef', 'A');
  assert.match(tcpdumpCommand(c, 'enp0s8', 30), /timeout 30 sh -c 'echo \$\$ >\/tmp\/labgen-capture-0123456789abcdef-A\.pid; exec tcpdump -i enp0s8 /);
  assert.throws(() => tcpdumpCommand(c, 'eth0;reboot', 30), /unexpected interface name/);
  assert.throws(() => remoteCapture('x; rm -rf /', 'A'), /unexpected run token/);
});
