// labgen's flows agree with tshark's decoding of the same files (every committed fixture, plus rewritten variants).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { addVlanTags, fixture, fixtureBytes, flowFacts, hasTool, need, pcapToPcapng, toBigEndianPcap, tsharkFlowFacts } from './helpers.js';

const FIXTURE_DIRS = ['flannel-vxlan', 'calico-vxlan', 'calico-routed', 'calico-ipip', 'formats'];
const files = FIXTURE_DIRS.flatMap((dir) => readdirSync(fixture(dir)).sort().map((name) => `${dir}/${name}`));

test('there are fixtures to compare (A-D, cooked and format variants of four modes)', () => {
  assert.ok(files.length >= 4 * 6 + 4, `${files.length} fixtures`);
});

for (const file of files) {
  test(`tshark agrees on ${file}`, async (t) => {
    if (!need(t, [[hasTool('tshark'), 'tshark']])) return;
    const path = fixture(file);
    const ours = await analyzeFile(path);
    const theirs = tsharkFlowFacts(path);
    assert.equal(ours.packets, theirs.frames, 'frame count');
    assert.deepEqual(flowFacts(ours), theirs.facts);
  });
}

test('tshark agrees on rewritten captures: big-endian pcap, big-endian nanosecond pcapng, 802.1Q tags', async (t) => {
  if (!need(t, [[hasTool('tshark'), 'tshark']])) return;
  const dir = mkdtempSync(join(tmpdir(), 'labgen-tshark-'));
  try {
    const sources = ['flannel-vxlan/B.pcap', 'calico-ipip/C.pcap', 'calico-vxlan/w1-any.pcap'];
    for (const source of sources) {
      const le = fixtureBytes(source);
      const variants: Array<[string, Buffer]> = [
        ['be.pcap', toBigEndianPcap(le)],
        ['be-nano.pcapng', pcapToPcapng(le, { littleEndian: false, nanosecond: true })],
      ];
      if (le.readUInt32LE(20) === 1) variants.push(['vlan.pcap', addVlanTags(le, 42)]);
      for (const [suffix, bytes] of variants) {
        const path = join(dir, `${source.replace('/', '-')}.${suffix}`);
        writeFileSync(path, bytes);
        const ours = await analyzeFile(path);
        const theirs = tsharkFlowFacts(path);
        assert.equal(ours.packets, theirs.frames, path);
        assert.deepEqual(flowFacts(ours), theirs.facts, path);
        assert.ok(theirs.facts.length > 0, `${path}: tshark saw flows`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});
