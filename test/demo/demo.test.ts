// labgen demo for real: every shipped CNI mode and every scenario built in network namespaces, captured, explained,
// and checked against the kernel state it read; the namespaces are checked gone afterwards, also after Ctrl-C.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { DemoReport } from '../../src/demo/report.js';
import { parseFdb, parseNeighbours, parseNumber, parseRoutes } from '../../src/explain/parse.js';
import { routeGetKey } from '../../src/explain/state.js';
import { packageRoot } from '../../src/lab/load.js';
import { defaultRegistries } from '../../src/registries.js';
import { hasTool, need } from '../capture/helpers.js';

const root = packageRoot();
const scratch = mkdtempSync(join(tmpdir(), 'labgen-demo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

/** Lab files for the modes no shipped lab uses: flannel host-gw, Calico without encapsulation (BGP-routed). */
function variant(name: string, from: string, replace: [string, string]): string {
  const text = readFileSync(join(root, 'labs', `${from}.yaml`), 'utf8');
  assert.ok(text.includes(replace[0]), `${from}.yaml has ${replace[0]}`);
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, text.replace(replace[0], replace[1]).replace(/^name: .*$/m, `name: ${name}`));
  return file;
}

const MODES: { mode: string; lab: () => string; kind: 'vxlan' | 'ipip' | 'none'; port?: number; vni?: number; device: string; mtu: number; slice: number }[] = [
  { mode: 'flannel vxlan', lab: () => 'flannel-4node', kind: 'vxlan', port: 8472, vni: 1, device: 'flannel.1', mtu: 1450, slice: 24 },
  // Routed modes: the device is the lab's host-only NIC (enp0s8 in both labs).
  { mode: 'flannel host-gw', lab: () => variant('flannel-hostgw', 'flannel-4node', ['backend: vxlan', 'backend: host-gw']), kind: 'none', device: 'enp0s8', mtu: 1500, slice: 24 },
  { mode: 'calico ipip', lab: () => 'calico-4node', kind: 'ipip', device: 'tunl0', mtu: 1480, slice: 26 },
  { mode: 'calico vxlan', lab: () => 'libvirt-calico-vxlan', kind: 'vxlan', port: 4789, vni: 4096, device: 'vxlan.calico', mtu: 1450, slice: 26 },
  { mode: 'calico none (BGP-routed)', lab: () => variant('calico-routed', 'calico-4node', ['encapsulation: IPIP', 'encapsulation: None']), kind: 'none', device: 'enp0s8', mtu: 1500, slice: 26 },
];

function tools(t: TestContext, extra: [boolean, string][] = []): boolean {
  return need(t, [[isRoot, 'root'], [hasTool('ip'), 'ip (iproute2)'], [hasTool('bridge'), 'bridge (iproute2)'], [hasTool('tcpdump'), 'tcpdump'], [hasTool('ping'), 'ping (iputils-ping)'], [hasTool('python3'), 'python3'], [hasTool('iptables'), 'iptables'], ...extra]);
}

function namespaces(prefix: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`${prefix}-`));
}

function context(): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { reg: defaultRegistries(), output: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, extraRenderers: [], env: process.env }, out, err };
}

let runs = 0;
/** Runs labgen demo in-process; returns the report. */
export async function runDemoCommand(lab: string, scenario: string, pings = 3): Promise<{ code: number; report: DemoReport; out: string; dir: string; err: string }> {
  const dir = join(scratch, `run${++runs}`);
  const c = context();
  const code = await main(['demo', lab, '--scenario', scenario, '--pings', String(pings), '--out', dir, '--json'], c.ctx);
  return { code, report: JSON.parse(c.out.join('\n') || '{}') as DemoReport, out: c.out.join('\n'), dir, err: c.err.join('\n') };
}

for (const m of MODES) {
  for (const scenario of ['cross-node', 'same-node', 'service'] as const) {
    test(`demo ${m.mode}, ${scenario}: the wire as the CNI says, explained from the kernel state it read, namespaces gone`, { timeout: 120_000 }, async (t) => {
      if (!tools(t)) return;
      const r = await runDemoCommand(m.lab(), scenario);
      assert.equal(r.code, 0, `${r.err}\n${r.out.slice(0, 3000)}`);
      const rep = r.report;
      assert.equal(rep.ok, true);
      const prefix = rep.namespaces.replace(/-\*$/, '');
      assert.match(prefix, /^lgd[0-9a-f]{6}$/);
      assert.deepEqual(namespaces(prefix), [], 'every namespace of the run is gone');
      assert.deepEqual(rep.leftovers, []);
      assert.deepEqual(rep.explanation.missing, [], 'all state was read');
      assert.deepEqual(rep.explanation.problems, []);
      assert.match(rep.disclaimer, /not Kubernetes/);
      assert.ok(existsSync(join(r.dir, 'topology.svg')) && existsSync(join(r.dir, 'README.md')));

      // The explanation against the raw kernel state in the same report, parsed here on its own.
      const st = rep.state;
      const route = parseRoutes(st.srcNode.state[routeGetKey(rep.pair.dst.ip)]!.stdout);
      assert.ok(route.ok);
      const dev = route.value[0]!.dev!;
      const facts = rep.explanation.hops.flatMap((h) => h.facts.map((f) => f.text)).join('\n');
      assert.ok(facts.includes(`ip route get ${rep.pair.dst.ip}: ${rep.pair.dst.ip}${route.value[0]!.gateway ? ` via ${route.value[0]!.gateway}` : ''} dev ${dev}`), facts);
      const podMtu = parseNumber(st.srcPod.state.mtu!.stdout);
      assert.ok(podMtu.ok);
      assert.equal(podMtu.value, m.mtu, 'pod MTU the CNI configures');
      assert.equal(rep.explanation.mtu.pod, m.mtu);
      assert.ok(rep.podSlices.every((s) => s.podCidr.endsWith(`/${m.slice}`)));
      const b = rep.analyses.B!;
      if (scenario === 'same-node') {
        assert.notEqual(dev, m.device, 'a same-node destination is not routed to the tunnel or the NIC');
        assert.ok(!b.flows.some((f) => f.inner.protocol === 'icmp'), 'nothing of the ping at B');
        assert.ok(facts.includes(`never reaches ${rep.ifaces.B.iface}, so B and C see nothing of it`), facts);
        return;
      }
      assert.equal(dev, m.device, `the kernel routes the destination pod to ${m.device}`);
      const proto = scenario === 'service' ? 'tcp' : 'icmp';
      const flow = b.flows.find((f) => f.inner.protocol === proto)!;
      assert.equal(flow.encapsulation, m.kind);
      assert.equal(flow.inner.destination === rep.pair.dst.ip || flow.inner.source === rep.pair.dst.ip, true, 'B carries the pod address, never the Service address');
      if (m.kind === 'vxlan') {
        assert.deepEqual([flow.udpPort, flow.vni, flow.outer], [m.port, m.vni, { source: rep.pair.srcNodeIp, destination: rep.pair.dstNodeIp }]);
        const neigh = parseNeighbours(st.srcNode.state.neigh!.stdout);
        const fdb = parseFdb(st.srcNode.state.fdb!.stdout);
        assert.ok(neigh.ok && fdb.ok);
        const mac = neigh.value.find((n) => n.dst === route.value[0]!.gateway && n.dev === m.device)!.lladdr!;
        const entry = fdb.value.find((f) => f.dev === m.device && f.mac === mac)!;
        assert.equal(entry.dst, rep.pair.dstNodeIp, 'the fdb entry points at the destination node');
        assert.ok(facts.includes(`fdb on ${m.device}: ${mac} -> dst ${rep.pair.dstNodeIp}`));
      } else if (m.kind === 'ipip') {
        assert.deepEqual(flow.outer, { source: rep.pair.srcNodeIp, destination: rep.pair.dstNodeIp });
        assert.equal(route.value[0]!.gateway, rep.pair.dstNodeIp, 'IP-in-IP: the route\'s next hop is the remote node');
        const links = JSON.parse(st.srcNode.state.links!.stdout) as { ifname: string; linkinfo?: { info_kind?: string } }[];
        const kind = links.find((l) => l.ifname === 'tunl0')?.linkinfo?.info_kind;
        if (kind === 'tun') assert.match(rep.ipipStandIn ?? '', /no ipip module/, 'the stand-in is said plainly');
        else assert.equal(kind, 'ipip');
      } else {
        assert.equal(flow.outer, undefined);
        assert.equal(route.value[0]!.gateway, rep.pair.dstNodeIp, 'routed: the next hop is the remote node');
      }
      if (scenario === 'service') {
        const a = rep.analyses.A!.flows.find((f) => f.inner.protocol === 'tcp')!;
        assert.equal(a.inner.destination, rep.service!.ip, 'A shows the ClusterIP');
        assert.match(facts, new RegExp(`DNAT --to-destination ${rep.pair.dst.ip.replace(/\./g, '\\.')}:8080`));
      }
    });
  }
}

/** Starts labgen demo as a child, waits for the ping, sends a signal; returns the exit code and the prefix used. */
async function interrupted(signal: NodeJS.Signals, waitFor: RegExp): Promise<{ code: number | null; prefix: string; dir: string; stderr: string }> {
  const dir = join(scratch, `signal-${signal}`);
  const child = spawn(process.execPath, [join(root, 'bin', 'labgen.js'), 'demo', 'flannel-4node', '--pings', '100', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && waitFor.test(stderr)) { sent = true; child.kill(signal); }
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  return { code, prefix: stderr.match(/namespaces (lgd[0-9a-f]{6})-\*/)?.[1] ?? '', dir, stderr };
}

for (const [signal, when] of [['SIGINT', /pinging/], ['SIGTERM', /building/]] as const) {
  test(`demo stopped by ${signal} (${when.source}): exit 130, every namespace removed, no run directory left`, { timeout: 60_000 }, async (t) => {
    if (!tools(t)) return;
    const r = await interrupted(signal, when);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.prefix, /^lgd[0-9a-f]{6}$/, r.stderr);
    assert.deepEqual(namespaces(r.prefix), []);
    assert.equal(existsSync(r.dir), false);
    assert.match(r.stderr, /demo stopped: namespaces lgd[0-9a-f]{6}-\* removed/);
  });
}

test('demo refuses an unknown scenario with exit 2, naming the valid ones, before creating anything', async (t) => {
  if (!need(t, [[hasTool('ip'), 'ip (iproute2)']])) return;
  const c = context();
  const before = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  assert.equal(await main(['demo', 'flannel-4node', '--scenario', 'multicast'], c.ctx), 2);
  assert.match(c.err.join('\n'), /Choices: "cross-node", "same-node", "service"/);
  assert.equal(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), before);
});
