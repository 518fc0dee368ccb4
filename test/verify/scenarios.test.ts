// verify's explanation and scenarios end to end on the fake vagrant/kubectl, served real captures and real kernel
// state that labgen demo recorded (test/fixtures/demo), including a node whose state cannot be read.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import { verifyContext as context } from '../helpers/verify-context.js';
import { packageRoot } from '../../src/lab/load.js';
import type { RunReport } from '../../src/verify/report.js';
import { judge } from '../../src/verify/verdict.js';
import type { FileAnalysis } from '../../src/capture/analysis.js';
import type { ResolvedLab } from '../../src/lab/types.js';

const root = packageRoot();
const fakes = join(root, 'test', 'fakes', 'verify');
const demo = (scenario: string) => join(root, 'test', 'fixtures', 'demo', scenario);
const scratch = mkdtempSync(join(tmpdir(), 'labgen-verify-scenarios-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
async function verify(scenario: string, extraEnv: NodeJS.ProcessEnv = {}, json = true) {
  const dir = join(scratch, `lab${++n}`);
  const state = join(scratch, `state${n}`);
  mkdirSync(state);
  const r = context({ PATH: `${fakes}:/usr/bin:/bin` });
  assert.equal(await main(['render', 'flannel-4node', '--out', dir], r.ctx), 0, r.err.join('\n'));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n', { mode: 0o600 });
  const fx = demo(scenario);
  const v = context({ PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: state, FAKE_CAPTURES: fx, FAKE_NODE_STATE: join(fx, 'nodes'), FAKE_POD_STATE: join(fx, 'pods'), ...extraEnv });
  const code = await main(['verify', dir, '--scenario', scenario, ...(json ? ['--json'] : [])], v.ctx);
  return { code, dir, state, out: v.out, err: v.err, report: json && v.out.length ? JSON.parse(v.out.join('\n')) as RunReport : undefined };
}

const facts = (r: RunReport) => r.explanation.hops.flatMap((h) => h.facts.map((f) => f.text)).join('\n');

test('verify cross-node: the explanation reads both nodes (one ssh each) and both pods, and ties B to the fdb entry', async () => {
  const r = await verify('cross-node');
  assert.equal(r.code, 0, r.err.join('\n'));
  const rep = r.report!;
  assert.equal(rep.scenario, 'cross-node');
  assert.deepEqual(rep.explanation.missing, []);
  assert.deepEqual(rep.explanation.problems, []);
  assert.match(facts(rep), /ip route get 10\.244\.2\.2: 10\.244\.2\.2 via 10\.244\.2\.0 dev flannel\.1/);
  assert.match(facts(rep), /fdb on flannel\.1: 66:1a:b0:00:00:03 -> dst 10\.0\.0\.3 \(worker2\.lab\.com\)/);
  const ssh = readFileSync(join(r.state, 'ssh.log'), 'utf8').split('\n').filter((l) => l.includes('@@labgen-state'));
  assert.deepEqual(ssh.map((l) => l.split(':')[0]), ['worker1', 'worker2'], 'one state read per node');
  assert.match(ssh[0]!, /ip -j -d link show/);
  assert.match(ssh[0]!, /bridge -j fdb show/);
  assert.match(ssh[0]!, /ip -j route get 10\.244\.2\.2/);
  // The same facts in the record on disk, and the run's picture carries the routes and fdb it found.
  const onDisk = JSON.parse(readFileSync(join(rep.captures, 'verify.json'), 'utf8')) as RunReport;
  assert.deepEqual(onDisk.explanation, rep.explanation);
  const svg = readFileSync(join(rep.captures, 'topology.svg'), 'utf8');
  assert.ok(svg.includes('10.244.2.2 -&gt; flannel.1 via 10.244.2.0'), 'topology.svg shows the route');
  assert.ok(svg.includes('fdb 66:1a:b0:00:00:03 -&gt; 10.0.0.3'), 'topology.svg shows the fdb entry');
});

test('verify text output: hop by hop with the command behind each fact', async () => {
  const r = await verify('cross-node', {}, false);
  assert.equal(r.code, 0, r.err.join('\n'));
  const text = r.out.join('\n');
  assert.match(text, /How the packet travels \(cross-node\), from the kernel's own state:/);
  assert.match(text, /\[worker1\.lab\.com: bridge -j fdb show\]/);
  assert.match(text, /B captured: VXLAN 10\.0\.0\.2 -> 10\.0\.0\.3 UDP 8472 VNI 1 icmp/);
});

test('verify with a node whose state cannot be read: reported as unknown with the ssh error, the wire verdict still stands', async () => {
  const r = await verify('cross-node', { FAKE_UNREADABLE: 'worker2' }, false);
  assert.equal(r.code, 0, r.err.join('\n'));
  const text = r.out.join('\n');
  assert.match(text, /State that could not be read \(not guessed\):/);
  assert.match(text, /\? worker2\.lab\.com: ip -j -d link show: could not be read: vagrant ssh worker2/);
  assert.match(text, /State of worker2\.lab\.com could not be fully read/);
  assert.doesNotMatch(text, /worker2\.lab\.com: ip -j -d link show\]/, 'no fact is attributed to the unreadable node');
});

test('verify --scenario same-node: a peer pod pinned beside the source, plain at A/D, nothing at B/C, and why', async () => {
  const r = await verify('same-node');
  assert.equal(r.code, 0, r.err.join('\n'));
  const rep = r.report!;
  assert.equal(rep.pair.dst.ip, '10.244.1.3');
  assert.equal(rep.pair.dst.node, 'worker1.lab.com');
  const b = rep.verdict.points.find((p) => p.point === 'B')!;
  assert.match(b.expected, /nothing of ICMP 10\.244\.1\.2 <-> 10\.244\.1\.3: both pods are on worker1\.lab\.com/);
  assert.ok(b.ok);
  assert.match(facts(rep), /it never reaches enp0s8, so B and C see nothing of it/);
  const peer = readFileSync(join(r.state, 'applied-peer.yaml'), 'utf8');
  assert.match(peer, /nodeName: "worker1\.lab\.com"/);
  assert.ok(existsSync(join(r.state, 'deleted-peer')), 'the peer pod is removed');
});

test('same-node verdict: pod packets at B or C are a contradiction (pure judge on a hand-made flow)', () => {
  const pair = { src: { name: 'a', ip: '10.244.1.2', node: 'worker1.lab.com' }, dst: { name: 'p', ip: '10.244.1.3', node: 'worker1.lab.com' }, srcNodeIp: '10.0.0.2', dstNodeIp: '10.0.0.2' };
  const icmp = { encapsulation: 'none' as const, inner: { source: '10.244.1.2', destination: '10.244.1.3', protocol: 'icmp' }, packets: 2, echoRequests: 1, echoReplies: 1 };
  const file = (flows: unknown[]) => ({ file: 'x', linkTypes: ['ethernet'], packets: 2, capturedBytes: 100, flows, other: {} }) as unknown as FileAnalysis;
  const lab = { cni: { encapsulation: { kind: 'vxlan', udpPort: 8472, vni: 1, device: 'flannel.1' } } } as unknown as ResolvedLab;
  const where = { A: 'a', B: 'b', C: 'c', D: 'd' };
  const good = judge(lab, pair, where, { A: file([icmp]), B: file([]), C: file([]), D: file([icmp]) }, 'same-node');
  assert.equal(good.ok, true);
  const bad = judge(lab, pair, where, { A: file([icmp]), B: file([icmp]), C: file([]), D: file([icmp]) }, 'same-node');
  assert.equal(bad.ok, false);
  assert.match(bad.points[1]!.problems[0]!, /B shows the pods' packets although both are on worker1\.lab\.com/);
});

test('verify --scenario service: A shows the ClusterIP, B/C/D the backing pod after kube-proxy\'s DNAT, read from the nat table', async () => {
  const r = await verify('service');
  assert.equal(r.code, 0, r.err.join('\n'));
  const rep = r.report!;
  assert.deepEqual(rep.service, { ip: '10.96.0.100', port: 80 });
  const [a, b, , d] = rep.verdict.points;
  assert.match(a!.expected, /plain routed TCP 10\.244\.1\.2 <-> 10\.96\.0\.100/);
  assert.match(b!.expected, /VXLAN UDP 8472 VNI 1 between 10\.0\.0\.2 <-> 10\.0\.0\.3, carrying TCP 10\.244\.1\.2 <-> 10\.244\.2\.2/);
  assert.match(d!.expected, /TCP 10\.244\.1\.2 <-> 10\.244\.2\.2/);
  assert.match(facts(rep), /kube-proxy: -A KUBE-SEP-\S+ -p tcp -j DNAT --to-destination 10\.244\.2\.2:8080/);
  assert.match(facts(rep), /rewritten \(DNAT, PREROUTING\) to 10\.244\.2\.2 before the routing decision/);
  assert.ok(existsSync(join(r.state, 'httpd-started')));
  assert.match(readFileSync(join(r.state, 'applied-service.yaml'), 'utf8'), /targetPort: 8080/);
  assert.ok(existsSync(join(r.state, 'deleted-service')));
});

test('verify --scenario service fails on captures without the Service address at A', async () => {
  const r = await verify('service', { FAKE_CAPTURES: demo('cross-node') });
  assert.equal(r.code, 1);
  assert.match(r.report!.verdict.points[0]!.problems.join(' '), /no TCP between 10\.244\.1\.2 and 10\.96\.0\.100 arrived at A/);
});
