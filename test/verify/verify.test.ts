// labgen verify end to end with fake vagrant and kubectl first on PATH, served captures the namespace script made.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import { verifyContext as context } from '../helpers/verify-context.js';
import { packageRoot } from '../../src/lab/load.js';
import { realClock } from '../../src/host/clock.js';
import { execaRunner } from '../../src/host/real-process.js';
import { fakeProbe } from '../fakes/run-labgen.js';

const root = packageRoot();
const fakes = join(root, 'test', 'fakes', 'verify');
const fixtures = (mode: string) => join(root, 'test', 'fixtures', 'pcap', mode);
const scratch = mkdtempSync(join(tmpdir(), 'labgen-verify-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** Renders a lab, pretends it is running (a kubeconfig), and runs verify against the fakes. */
async function verify(labArgs: string[], captures: string, extra: string[] = []) {
  const dir = join(scratch, `lab${++n}`);
  const state = join(scratch, `state${n}`);
  for (const d of [state]) rmSync(d, { recursive: true, force: true });
  (await import('node:fs')).mkdirSync(state);
  const r = context({ PATH: `${fakes}:/usr/bin:/bin` });
  assert.equal(await main(['render', ...labArgs, '--out', dir], r.ctx), 0, r.err.join('\n'));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n', { mode: 0o600 });
  const v = context({ PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: state, FAKE_CAPTURES: captures });
  const code = await main(['verify', dir, ...extra], v.ctx);
  return { code, dir, state, out: v.out, err: v.err };
}

for (const [name, labArgs, mode] of [
  ['flannel vxlan', ['flannel-4node'], 'flannel-vxlan'],
  ['calico VXLAN', ['libvirt-calico-vxlan'], 'calico-vxlan'],
] as const) {
  test(`verify on ${name}: captures at A-D match the CNI, pcaps are kept, the workload is removed`, async () => {
    const r = await verify([...labArgs], fixtures(mode), ['--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const report = JSON.parse(r.out.join('\n')) as { ok: boolean; captures: string; pair: { src: { ip: string }; dst: { ip: string } }; verdict: { points: { point: string; ok: boolean; echoRequests: number; echoReplies: number }[] } };
    assert.equal(report.ok, true);
    assert.equal(report.pair.src.ip, '10.244.1.2');
    assert.equal(report.pair.dst.ip, '10.244.2.2');
    assert.deepEqual(report.verdict.points.map((p) => p.point), ['A', 'B', 'C', 'D']);
    for (const p of report.verdict.points) { assert.ok(p.ok, `${p.point} should match`); assert.ok(p.echoRequests > 0 && p.echoReplies > 0); }
    assert.deepEqual(readdirSync(report.captures).filter((f) => f.endsWith('.pcap')).sort(), ['A.pcap', 'B.pcap', 'C.pcap', 'D.pcap']);
    assert.deepEqual(readFileSync(join(report.captures, 'B.pcap')), readFileSync(join(fixtures(mode), 'B.pcap')));
    assert.ok(existsSync(join(r.state, 'deleted')), 'the test workload is deleted afterwards');
    // A and D were captured on the pods' veths (found from eth0's iflink), B and C on the host-only NICs.
    assert.match(readFileSync(join(r.state, 'capture-A'), 'utf8'), /^worker1 vethworker17$/m);
    assert.match(readFileSync(join(r.state, 'capture-C'), 'utf8'), /^worker2 (enp0s8|eth1)$/m);
    assert.deepEqual((report as unknown as { podSlices: { node: string; podCidr: string }[] }).podSlices.map((s) => s.podCidr), ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']);
    // The run's picture marks A-D and shows each node's pod slice.
    const svg = readFileSync(join(report.captures, 'topology.svg'), 'utf8');
    for (const label of ['10.244.1.0/24', '10.244.2.0/24', 'labgen-verify-6d5f-a', 'vethworker17']) assert.ok(svg.includes(label), `topology.svg shows ${label}`);
    const applied = readFileSync(join(r.state, 'applied.yaml'), 'utf8');
    assert.match(applied, /replicas: 3/);
    assert.match(applied, /podAntiAffinity/);
  });
}

test('verify fails (exit 1) when the wire contradicts the CNI: a flannel VXLAN lab whose captures show IP-in-IP', async () => {
  const r = await verify(['flannel-4node'], fixtures('calico-ipip'), ['--keep']);
  assert.equal(r.code, 1);
  const text = r.out.join('\n');
  assert.match(text, /B: enp0s8 on worker1 {2}\[UNEXPECTED\]/);
  assert.match(text, /expected VXLAN UDP 8472 VNI 1 between 10\.0\.0\.2 <-> 10\.0\.0\.3.*saw ipip/);
  assert.match(text, /A: vethworker17 on worker1 \(pod labgen-verify-6d5f-a\) {2}\[as expected\]/);
  assert.match(r.err.join('\n'), /verify: the wire contradicts/);
  assert.equal(existsSync(join(r.state, 'deleted')), false, '--keep leaves the workload');
});

test('verify refuses a lab directory without a kubeconfig (exit 2, nothing run)', async () => {
  const dir = join(scratch, 'not-running');
  const r = context({ PATH: `${fakes}:/usr/bin:/bin` });
  assert.equal(await main(['render', 'flannel-4node', '--out', dir], r.ctx), 0);
  const v = context({ PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: join(scratch, 'nowhere') });
  assert.equal(await main(['verify', dir], v.ctx), 2);
  assert.match(v.err.join('\n'), /no kubeconfig: the lab is not running/);
  assert.equal(existsSync(join(dir, 'captures')), false);
});

test('Ctrl-C during the captures: exit 130, the captures stopped, the workload removed, no half-written run directory', async () => {
  const dir = join(scratch, 'interrupted');
  const state = join(scratch, 'state-interrupted');
  (await import('node:fs')).mkdirSync(state, { recursive: true });
  const r = context({ PATH: `${fakes}:/usr/bin:/bin` });
  assert.equal(await main(['render', 'flannel-4node', '--out', dir], r.ctx), 0);
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n', { mode: 0o600 });
  const env = { PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: state, FAKE_CAPTURES: fixtures('flannel-vxlan'), FAKE_TCPDUMP_SECONDS: '30' };
  const v = context(env);
  let interrupt: (() => void) | undefined;
  v.ctx.host = { runner: execaRunner(env, 2000), clock: realClock, probe: fakeProbe(), onInterrupt: (cb) => { interrupt = cb; return () => { interrupt = undefined; }; } };
  const run = main(['verify', dir], v.ctx);
  // Interrupt once the four captures are running on the (fake) nodes.
  while (!existsSync(join(state, 'capture-D'))) await new Promise((res) => setTimeout(res, 50));
  interrupt!();
  const code = await run;
  assert.equal(code, 130, v.err.join('\n'));
  assert.match(v.err.join('\n'), /verify stopped: the remote captures were ended and the test workload removed/);
  assert.ok(existsSync(join(state, 'deleted')), 'the workload was deleted after the interrupt');
  assert.deepEqual(existsSync(join(dir, 'captures')) ? readdirSync(join(dir, 'captures')) : [], [], 'no run directory is left');
  for (const point of ['A', 'B', 'C', 'D']) {
    const pid = Number(readFileSync(join(state, `pid-${point}`), 'utf8'));
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `the capture ${point} (pid ${pid}) was stopped, not left running`);
  }
});
