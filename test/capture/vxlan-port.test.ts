// VXLAN on a lab's own port (flannel's cni.options.port): decoded only when asked, by analyze --vxlan-port and by verify.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runAnalyze } from '../../src/commands/analyze.js';
import { UsageError } from '../../src/errors.js';
import { fixtureBytes, pcapRecordOffsets } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'labgen-vxlan-port-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The flannel B capture with every outer UDP destination port 8472 rewritten to `port` (checksums are not checked). */
function withPort(port: number): string {
  const pcap = Buffer.from(fixtureBytes('flannel-vxlan/B.pcap'));
  let rewritten = 0;
  for (const off of pcapRecordOffsets(pcap)) {
    const frame = off + 16;
    if (pcap.readUInt16BE(frame + 12) !== 0x0800 || pcap[frame + 14 + 9] !== 17) continue;
    const udp = frame + 14 + (pcap[frame + 14]! & 0x0f) * 4;
    if (pcap.readUInt16BE(udp + 2) === 8472) { pcap.writeUInt16BE(port, udp + 2); rewritten++; }
  }
  assert.ok(rewritten >= 8, `rewrote ${rewritten} VXLAN packets`);
  const path = join(dir, `B-${port}.pcap`);
  writeFileSync(path, pcap);
  return path;
}

test('VXLAN on UDP 9999 is plain UDP by default and VXLAN with --vxlan-port 9999', async () => {
  const file = withPort(9999);
  const [plain] = await runAnalyze({ pcap: [file], json: true }, () => undefined);
  assert.ok(plain!.flows.every((f) => f.encapsulation !== 'vxlan'));
  const [decoded] = await runAnalyze({ pcap: [file], json: true, vxlanPort: [9999] }, () => undefined);
  const vx = decoded!.flows.find((f) => f.encapsulation === 'vxlan');
  assert.ok(vx, JSON.stringify(decoded!.flows));
  assert.equal(vx.udpPort, 9999);
  assert.equal(vx.vni, 1);
  assert.deepEqual([vx.inner.source, vx.inner.destination, vx.inner.protocol], ['10.244.1.2', '10.244.2.2', 'icmp']);
  assert.equal(vx.echoRequests, 4);
});

test('--vxlan-port outside 1..65535 is a usage error', async () => {
  await assert.rejects(runAnalyze({ pcap: [withPort(9999)], json: true, vxlanPort: [70000] }, () => undefined), (e: unknown) => e instanceof UsageError && e.exitCode === 2);
});
