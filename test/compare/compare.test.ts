// labgen compare on runs labgen demo made (flannel VXLAN, Calico IP-in-IP, Calico VXLAN), with the overhead
// figures checked against the captured frames' real sizes as tshark reads them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { compareRuns, parseRtt, type CompareColumn, type Comparison } from '../../src/compare/compare.js';
import { defaultRegistries } from '../../src/registries.js';
import { hasTool, need } from '../capture/helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'labgen-compare-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function context(): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { reg: defaultRegistries(), output: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, extraRenderers: [], env: process.env }, out, err };
}

/** Frame lengths of the ping at a capture point, as tshark decodes them (VXLAN on both ports). */
function tsharkSizes(pcap: string): number[] {
  const out = execFileSync('tshark', ['-n', '-r', pcap, '-d', 'udp.port==8472,vxlan', '-Y', 'icmp', '-T', 'fields', '-e', 'frame.len'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

test('compare flannel VXLAN vs Calico IP-in-IP vs Calico VXLAN, runs made by demo: overhead 50 / 20 / 50 from the captured sizes', { timeout: 180_000 }, async (t) => {
  if (!need(t, [[process.getuid?.() === 0, 'root'], [hasTool('ip'), 'ip (iproute2)'], [hasTool('tcpdump'), 'tcpdump'], [hasTool('ping'), 'ping'], [hasTool('python3'), 'python3'], [hasTool('tshark'), 'tshark']])) return;
  const runs: Record<string, string> = {};
  for (const lab of ['flannel-4node', 'calico-4node', 'libvirt-calico-vxlan']) {
    runs[lab] = join(scratch, lab);
    const c = context();
    assert.equal(await main(['demo', lab, '--pings', '4', '--out', runs[lab]!], c.ctx), 0, c.err.join('\n'));
  }
  const svg = join(scratch, 'compare.svg');
  const c = context();
  assert.equal(await main(['compare', ...Object.values(runs), '--json', '--svg', svg], c.ctx), 0, c.err.join('\n'));
  const cmp = JSON.parse(c.out.join('\n')) as Comparison;
  assert.deepEqual(cmp.problems, []);
  const want: Record<string, { overhead: number; mtu: number; slice: number; wire: RegExp }> = {
    'flannel-4node': { overhead: 50, mtu: 1450, slice: 24, wire: /^VXLAN UDP 8472 VNI 1 10\.0\.0\.2 -> 10\.0\.0\.3$/ },
    'calico-4node': { overhead: 20, mtu: 1480, slice: 26, wire: /^IP-in-IP 10\.0\.0\.2 -> 10\.0\.0\.3$/ },
    'libvirt-calico-vxlan': { overhead: 50, mtu: 1450, slice: 26, wire: /^VXLAN UDP 4789 VNI 4096 10\.0\.0\.2 -> 10\.0\.0\.3$/ },
  };
  for (const col of cmp.columns) {
    const w = want[col.run]!;
    // tshark's own reading of the same files: every echo is the same size at A, and the same size plus the overhead at B.
    const a = tsharkSizes(join(runs[col.run]!, 'A.pcap'));
    const b = tsharkSizes(join(runs[col.run]!, 'B.pcap'));
    assert.equal(a.length, 8, `${col.run}: 4 requests + 4 replies at A`);
    assert.equal(b.length, 8);
    assert.deepEqual(b.map((x, i) => x - a[i]!), Array(8).fill(w.overhead), `${col.run}: B - A per packet (tshark)`);
    assert.equal(col.overhead.measured, w.overhead, `${col.run}: compare's measured overhead`);
    assert.equal(col.overhead.nominal, w.overhead);
    assert.equal(col.overhead.agrees, true);
    assert.equal(col.podMtu, w.mtu);
    assert.equal(col.nicMtu, 1500);
    assert.equal(col.podMtu! + w.overhead, col.nicMtu, 'pod MTU + overhead = NIC MTU');
    assert.deepEqual(col.sliceLengths, [w.slice]);
    // From worker1's routing table: one slice per node (Calico: its blackhole route for its own block).
    assert.deepEqual(col.slices.map((x) => x.node.split('.')[0]).sort(), ['master', 'worker1', 'worker2', 'worker3']);
    assert.match(col.wire.B, w.wire);
    assert.ok(col.rttMs && col.rttMs.samples === 4 && col.rttMs.avg > 0);
    assert.ok(col.devices.length >= 6);
  }
  const picture = readFileSync(svg, 'utf8');
  for (const text of ['flannel v0.28.9 (vxlan)', 'calico v3.33.0 (IPIP)', 'calico v3.33.0 (VXLAN)', 'overhead: 20 bytes/packet', 'flannel.1', 'tunl0', 'vxlan.calico']) assert.ok(picture.includes(text), `compare.svg shows ${text}`);
  if (hasTool('rsvg-convert')) execFileSync('rsvg-convert', ['-o', join(scratch, 'compare.png'), svg]);
  const text = context();
  assert.equal(await main(['compare', ...Object.values(runs)], text.ctx), 0);
  assert.match(text.out.join('\n'), /overhead\/packet +50 bytes \(= 50, as the format says\) +20 bytes \(= 20, as the format says\)/);
  assert.match(text.out.join('\n'), /pod slices +\/24 per node: master 10\.244\.0\.0\/24, worker1 10\.244\.1\.0\/24.* \/26 per node: (\w+ 10\.244\.0\.\d+\/26, ){3}\w+ 10\.244\.0\.\d+\/26 /);
});

test('compare refuses fewer than two runs and directories that are not runs (exit 2, each problem named)', async () => {
  const empty = join(scratch, 'not-a-run');
  mkdirSync(empty, { recursive: true });
  const bad = join(scratch, 'bad-run');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'verify.json'), '{"lab": 3}');
  const one = context();
  assert.equal(await main(['compare', empty], one.ctx), 2);
  assert.match(one.err.join('\n'), /compare needs two or more run directories/);
  const c = context();
  assert.equal(await main(['compare', empty, bad, join(scratch, 'missing')], c.ctx), 2);
  const err = c.err.join('\n');
  assert.match(err, /not-a-run: holds neither verify\.json nor demo\.json/);
  assert.match(err, /bad-run\/verify\.json: lab: must be a string/);
  assert.match(err, /missing: is not a directory/);
});

test('RTT from iputils and busybox ping output; an overhead that disagrees with its wire format is a problem', () => {
  assert.deepEqual(parseRtt('rtt min/avg/max/mdev = 0.202/0.307/0.487/0.127 ms\n64 bytes: time=0.2 ms'), { min: 0.202, avg: 0.307, max: 0.487, samples: 1 });
  assert.deepEqual(parseRtt('64 bytes from 10.244.2.2: seq=0 ttl=62 time=0.900 ms\nround-trip min/avg/max = 0.9/0.9/0.9 ms'), { min: 0.9, avg: 0.9, max: 0.9, samples: 1 });
  assert.equal(parseRtt('no answer'), undefined);
  const col = { run: 'x', mode: 'VXLAN', overhead: { measured: 20, nominal: 50, agrees: false, from: '' } } as unknown as CompareColumn;
  assert.deepEqual(compareRuns([col]).problems, ['x: measured 20 bytes of outer headers per packet, VXLAN adds 50']);
});
