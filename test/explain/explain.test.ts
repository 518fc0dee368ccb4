// The explanation on real kernel state (recorded by labgen demo in test/fixtures/demo) and the state script's framing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { explainPath, type ExplainInput } from '../../src/explain/explain.js';
import { formatExplanation } from '../../src/explain/format.js';
import { parseFdb, parseLinks, parseRoutes } from '../../src/explain/parse.js';
import { allFailed, nodeStateCommands, parseStateScript, podStateCommands, routeGetKey, stateScript, type RunState } from '../../src/explain/state.js';
import { packageRoot } from '../../src/lab/load.js';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'demo');
const SRC = '10.244.1.2';
const DST = '10.244.2.2';
const nodeCmds = nodeStateCommands([DST, SRC, '10.0.0.2', '10.0.0.3']);
const readNode = (scenario: string, node: string, cmds = nodeCmds) => parseStateScript(readFileSync(join(fixtures, scenario, 'nodes', `${node}.txt`), 'utf8'), cmds);
const readPod = (scenario: string, pod: string) => parseStateScript(readFileSync(join(fixtures, scenario, 'pods', `${pod}.txt`), 'utf8'), podStateCommands());

async function input(scenario: 'cross-node' | 'same-node', state: RunState, dstIp = DST, dstNode = 'worker2.lab.com', dstNodeIp = '10.0.0.3'): Promise<ExplainInput> {
  const analyses = Object.fromEntries(await Promise.all((['A', 'B', 'C', 'D'] as const).map(async (p) => [p, await analyzeFile(join(fixtures, scenario, `${p}.pcap`))])));
  return {
    scenario, encapsulation: { kind: 'vxlan', udpPort: 8472, vni: 1, device: 'flannel.1' }, nic: { src: 'enp0s8', dst: 'enp0s8' },
    src: { pod: 'a', ip: SRC, node: 'worker1.lab.com', nodeIp: '10.0.0.2' }, dst: { pod: 'b', ip: dstIp, node: dstNode, nodeIp: dstNodeIp },
    nodes: [{ name: 'master.lab.com', ip: '10.0.0.1' }, { name: 'worker1.lab.com', ip: '10.0.0.2' }, { name: 'worker2.lab.com', ip: '10.0.0.3' }, { name: 'worker3.lab.com', ip: '10.0.0.4' }], state, analyses,
  };
}

test('the state script frames every command with its exit status, and a real sh runs it (quotes and failures included)', () => {
  const cmds = [{ key: 'a', argv: ['echo', "it's $HOME `x`"] }, { key: 'b', argv: ['sh', '-c', 'echo oops >&2; exit 3'] }, { key: 'c', argv: ['printf', 'two\\nlines'] }];
  const out = execFileSync('sh', ['-c', stateScript(cmds)], { encoding: 'utf8' });
  const st = parseStateScript(out, cmds);
  assert.deepEqual(st.a, { ok: true, stdout: "it's $HOME `x`\n" }, 'the output comes back byte for byte');
  assert.equal(st.b!.ok, false);
  assert.match(st.b!.error!, /^exit 3: oops/);
  assert.equal(st.c!.stdout, 'two\nlines');
  assert.match(stateScript([{ key: 'n', argv: ['iptables', '-S'], root: true }], true), /sudo -n iptables -S/);
  assert.throws(() => nodeStateCommands(['10.0.0.1; rm -rf /']), /not IPv4/);
});

test('flannel VXLAN, cross-node: each hop is what the recorded kernel state says, the fdb and neighbour entries tie B to worker2', async () => {
  const state: RunState = {
    srcNode: { name: 'worker1.lab.com', state: readNode('cross-node', 'worker1') }, dstNode: { name: 'worker2.lab.com', state: readNode('cross-node', 'worker2') },
    srcPod: { name: 'a', state: readPod('cross-node', 'labgen-verify-6d5f-a') }, dstPod: { name: 'b', state: readPod('cross-node', 'labgen-verify-6d5f-b') },
  };
  const e = explainPath(await input('cross-node', state));
  assert.deepEqual(e.missing, []);
  assert.deepEqual(e.problems, []);
  // Cross-check against the raw outputs themselves, parsed here.
  const get = JSON.parse(state.srcNode.state[routeGetKey(DST)]!.stdout)[0];
  assert.equal(get.dev, 'flannel.1');
  const facts = e.hops.flatMap((h) => h.facts.map((f) => f.text)).join('\n');
  assert.ok(facts.includes(`ip route get ${DST}: ${DST} via ${get.gateway} dev flannel.1`), facts);
  const links = parseLinks(state.srcNode.state.links!.stdout);
  assert.ok(links.ok);
  const vtep = links.value.find((l) => l.ifname === 'flannel.1')!;
  assert.deepEqual([vtep.vxlan?.id, vtep.vxlan?.port, vtep.vxlan?.local], [1, 8472, '10.0.0.2']);
  const fdb = parseFdb(state.srcNode.state.fdb!.stdout);
  assert.ok(fdb.ok);
  const entry = fdb.value.find((f) => f.dev === 'flannel.1' && f.dst === '10.0.0.3')!;
  assert.ok(facts.includes(`fdb on flannel.1: ${entry.mac} -> dst 10.0.0.3 (worker2.lab.com)`));
  assert.match(facts, /enp0s8 MTU 1500 - flannel\.1 MTU 1450 = 50 bytes left for the outer headers/);
  assert.match(facts, /the pod's gateway 10\.244\.1\.1 is this bridge/);
  assert.match(facts, /the reply's way back: ip route get 10\.244\.1\.2: 10\.244\.1\.2 via 10\.244\.1\.0 dev flannel\.1/);
  assert.equal(e.hops.find((h) => h.point === 'B')!.seen, 'VXLAN 10.0.0.2 -> 10.0.0.3 UDP 8472 VNI 1 icmp 10.244.1.2 -> 10.244.2.2 (3 echo requests, 3 replies, 6 packets)');
  assert.deepEqual(e.path.map((d) => d.device).filter((d) => !d.startsWith('veth')), ['eth0', 'cni0', 'flannel.1', 'enp0s8', 'enp0s8', 'flannel.1', 'cni0', 'eth0']);
  assert.deepEqual(e.mtu, { pod: 1450, tunnel: 1450, nic: 1500 });
  // The allocation as worker1 routes it: its own /24 on cni0, the others' through their VTEPs' fdb entries.
  assert.deepEqual(e.slices.map((x) => `${x.node} ${x.cidr}`), ['master.lab.com 10.244.0.0/24', 'worker1.lab.com 10.244.1.0/24', 'worker2.lab.com 10.244.2.0/24'].concat(e.slices.length > 3 ? ['worker3.lab.com 10.244.3.0/24'] : []));
  assert.match(e.slices[0]!.how, /via VTEP 10\.244\.0\.0 \(fdb -> 10\.0\.0\.1\)/);
  assert.ok(formatExplanation(e).some((l) => l.includes('[worker1.lab.com: bridge -j fdb show]')));
});

test('the same kernel state judged against another CNI\'s device is a contradiction, not silently accepted', async () => {
  const state: RunState = {
    srcNode: { name: 'worker1.lab.com', state: readNode('cross-node', 'worker1') }, dstNode: { name: 'worker2.lab.com', state: readNode('cross-node', 'worker2') },
    srcPod: { name: 'a', state: readPod('cross-node', 'labgen-verify-6d5f-a') }, dstPod: { name: 'b', state: readPod('cross-node', 'labgen-verify-6d5f-b') },
  };
  const e = explainPath({ ...(await input('cross-node', state)), encapsulation: { kind: 'vxlan', udpPort: 4789, vni: 4096, device: 'vxlan.calico' } });
  assert.ok(e.problems.some((p) => /routes 10\.244\.2\.2 to flannel\.1, not to vxlan\.calico/.test(p)), e.problems.join('\n'));
  assert.ok(e.problems.some((p) => /worker2\.lab\.com has no vxlan\.calico/.test(p)));
});

test('a node whose state cannot be read: its hops are reported as unknown with the reason, nothing is invented', async () => {
  const state: RunState = {
    srcNode: { name: 'worker1.lab.com', state: readNode('cross-node', 'worker1') },
    dstNode: { name: 'worker2.lab.com', state: allFailed(nodeCmds, 'could not be read: ssh: connect to host worker2 port 22: Connection refused'), unreachable: 'could not be read: ssh refused' },
    srcPod: { name: 'a', state: readPod('cross-node', 'labgen-verify-6d5f-a') }, dstPod: { name: 'b', state: {} },
  };
  const e = explainPath(await input('cross-node', state));
  const where = new Set(e.missing.map((m) => m.where));
  assert.deepEqual([...where].sort(), ['b', 'worker2.lab.com']);
  assert.ok(e.missing.some((m) => m.where === 'worker2.lab.com' && m.command === 'ip -j -d link show' && /Connection refused/.test(m.error)));
  const decap = e.hops.find((h) => h.point === 'C')!;
  assert.deepEqual(decap.facts, [], 'nothing is said about worker2 without its state');
  // worker1's facts are still all there.
  assert.ok(e.hops.find((h) => h.point === 'B')!.facts.some((f) => f.text.startsWith('fdb on flannel.1')));
  assert.ok(formatExplanation(e).some((l) => /\? worker2\.lab\.com: ip -j -d link show: could not be read/.test(l)));
});

test('same-node: the route to the peer pod stays on the node, which is why B and C see nothing', async () => {
  const w1 = readNode('same-node', 'worker1', nodeStateCommands(['10.244.1.3', SRC, '10.0.0.2']));
  const state: RunState = {
    srcNode: { name: 'worker1.lab.com', state: w1 }, dstNode: { name: 'worker1.lab.com', state: w1 },
    srcPod: { name: 'a', state: readPod('same-node', 'labgen-verify-6d5f-a') }, dstPod: { name: 'peer', state: readPod('same-node', 'labgen-verify-peer') },
  };
  const e = explainPath(await input('same-node', state, '10.244.1.3', 'worker1.lab.com', '10.0.0.2'));
  assert.deepEqual(e.problems, []);
  const facts = e.hops.flatMap((h) => h.facts.map((f) => f.text)).join('\n');
  assert.match(facts, /10\.244\.1\.3 lives on this node: the kernel hands the packet to cni0 and it never reaches enp0s8, so B and C see nothing of it/);
  assert.equal(e.hops.find((h) => h.point === 'B')!.seen, 'nothing between the two ends of the path');
  assert.ok(!e.path.some((d) => d.device === 'flannel.1'));
});

test('parsers refuse what iproute2 does not print, with the reason', () => {
  assert.deepEqual(parseRoutes('Error: any valid prefix is expected'), { ok: false, reason: 'not JSON (Unexpected token \'E\', "Error: any"... is not valid JSON): Error: any valid prefix is expected' });
  assert.equal(parseLinks('{"ifindex": 1}').ok, false);
});
