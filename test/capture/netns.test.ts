// Builds the article's path for real in network namespaces (scripts/netns-capture.sh), pings across it and checks A-D.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FileAnalysis, Flow } from '../../src/capture/analysis.js';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { hasTool, need, REPO_ROOT } from './helpers.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'netns-capture.sh');
const PINGS = 4;

interface Expected {
  encapsulation: Flow['encapsulation'];
  udpPort?: number;
  vni?: number;
}

const MODES: Record<string, Expected> = {
  'flannel-vxlan': { encapsulation: 'vxlan', udpPort: 8472, vni: 1 },
  'calico-vxlan': { encapsulation: 'vxlan', udpPort: 4789, vni: 4096 },
  'calico-ipip': { encapsulation: 'ipip' },
  'calico-routed': { encapsulation: 'none' },
};

const isRoot = process.getuid?.() === 0;

test('scripts/netns-capture.sh passes shellcheck', (t) => {
  if (!need(t, [[hasTool('shellcheck'), 'shellcheck']])) return;
  execFileSync('shellcheck', [SCRIPT], { stdio: 'pipe' });
});

/** The one ICMP flow of a capture point: pod 10.244.1.x <-> pod 10.244.2.x, every ping answered. */
function pingFlow(a: FileAnalysis): Flow {
  const icmp = a.flows.filter((f) => f.inner.protocol === 'icmp');
  assert.equal(icmp.length, 1, `${a.file}: one ICMP flow, got ${JSON.stringify(icmp)}`);
  const flow = icmp[0] as Flow;
  assert.match(flow.inner.source, /^10\.244\.1\.\d+$/, a.file);
  assert.match(flow.inner.destination, /^10\.244\.2\.\d+$/, a.file);
  assert.equal(flow.echoRequests, PINGS, `${a.file}: echo requests`);
  assert.equal(flow.echoReplies, PINGS, `${a.file}: echo replies`);
  return flow;
}

for (const [mode, expected] of Object.entries(MODES)) {
  test(`netns ${mode}: plain at A and D, ${expected.encapsulation} between 10.0.0.2 and 10.0.0.3 at B and C`, { timeout: 120_000 }, async (t) => {
    const tools: Array<[boolean, string]> = [[isRoot, 'root'], [hasTool('ip'), 'ip (iproute2)'], [hasTool('bridge'), 'bridge (iproute2)'],
      [hasTool('tcpdump'), 'tcpdump'], [hasTool('ping'), 'ping (iputils-ping)']];
    if (mode === 'calico-ipip') tools.push([hasTool('python3'), 'python3']);
    if (!need(t, tools)) return;
    const out = mkdtempSync(join(tmpdir(), `labgen-netns-${mode}-`));
    try {
      const run = spawnSync('bash', [SCRIPT, mode, out], { encoding: 'utf8', timeout: 110_000, env: { ...process.env, PING_COUNT: String(PINGS) } });
      assert.equal(run.status, 0, `netns-capture.sh ${mode} failed:\n${run.stdout}\n${run.stderr}`);
      const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`lgcap-${run.pid}-`));
      assert.deepEqual(left, [], 'the script removed its namespaces');
      for (const point of ['A', 'D']) {
        const a = await analyzeFile(join(out, `${point}.pcap`));
        const flow = pingFlow(a);
        assert.equal(flow.encapsulation, 'none', `${point}: the pod NIC sees the plain packet`);
        assert.equal(flow.outer, undefined);
        assert.ok(a.flows.every((f) => f.encapsulation === 'none'), `${point}: nothing encapsulated on a pod NIC`);
      }
      for (const point of ['B', 'C']) {
        const a = await analyzeFile(join(out, `${point}.pcap`));
        const flow = pingFlow(a);
        assert.equal(flow.encapsulation, expected.encapsulation, `${point}: encapsulation on the wire`);
        if (expected.encapsulation === 'none') {
          assert.equal(flow.outer, undefined);
        } else {
          assert.deepEqual(flow.outer, { source: '10.0.0.2', destination: '10.0.0.3' }, `${point}: outer header between the nodes`);
        }
        assert.equal(flow.udpPort, expected.udpPort, `${point}: UDP port`);
        assert.equal(flow.vni, expected.vni, `${point}: VNI`);
      }
      const cooked = await analyzeFile(join(out, 'w1-any.pcap'));
      assert.deepEqual(cooked.linkTypes, ['linux-sll2']);
      assert.ok(cooked.flows.some((f) => f.encapsulation === expected.encapsulation && f.inner.protocol === 'icmp'));
      assert.deepEqual((await analyzeFile(join(out, 'w2-any.pcap'))).linkTypes, ['linux-sll']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('netns-capture.sh refuses an unknown mode with exit 2, naming the valid ones', (t) => {
  if (!need(t, [[isRoot, 'root'], [hasTool('ip'), 'ip (iproute2)']])) return;
  const run = spawnSync('bash', [SCRIPT, 'weave', join(tmpdir(), 'unused')], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /flannel-vxlan\|calico-vxlan\|calico-routed\|calico-ipip/);
});
