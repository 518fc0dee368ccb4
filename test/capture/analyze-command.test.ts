// The `analyze` command module: yargs parsing, text and JSON output, typed errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import yargs from 'yargs';
import { CaptureError, CaptureInputError } from '../../src/capture/capture-error.js';
import type { FileAnalysis } from '../../src/capture/analysis.js';
import { analyzeCommand, runAnalyze, type AnalyzeArgs } from '../../src/commands/analyze.js';
import { UsageError } from '../../src/errors.js';
import { fixture } from './helpers.js';

test('yargs parses `analyze <pcap..> --json` into the files and the flag', async () => {
  let seen: AnalyzeArgs | undefined;
  await yargs(['analyze', 'a.pcap', 'b.pcapng', '--json'])
    .command({ ...analyzeCommand({ output: { out: () => undefined, err: () => undefined, isTTY: false } }), handler: (args) => { seen = args; } })
    .strict()
    .parseAsync();
  assert.deepEqual(seen?.pcap, ['a.pcap', 'b.pcapng']);
  assert.equal(seen?.json, true);
});

test('yargs refuses `analyze` without a file', async () => {
  await assert.rejects(
    async () => yargs(['analyze']).command({ ...analyzeCommand({ output: { out: () => undefined, err: () => undefined, isTTY: false } }), handler: () => undefined }).fail((msg) => { throw new Error(msg); }).parseAsync(),
    /Not enough non-option arguments/,
  );
});

test('text output: one block per file, the VXLAN line with port and VNI', async () => {
  let text = '';
  await runAnalyze({ pcap: [fixture('flannel-vxlan/A.pcap'), fixture('flannel-vxlan/B.pcap')], json: false }, (s) => { text += s; });
  const blocks = text.trimEnd().split('\n\n');
  assert.equal(blocks.length, 2);
  assert.match(blocks[0] ?? '', /A\.pcap: pcap \(little-endian, microsecond\), ethernet, 11 packets/);
  assert.match(blocks[0] ?? '', /none\s+10\.244\.1\.2 -> 10\.244\.2\.2\s+icmp\s+8 packets: 4 echo requests, 4 echo replies/);
  assert.match(blocks[1] ?? '', /vxlan\s+10\.0\.0\.2 -> 10\.0\.0\.3\s+udp\/8472 vni 1\s+10\.244\.1\.2 -> 10\.244\.2\.2\s+icmp\s+8 packets: 4 echo requests, 4 echo replies/);
});

test('--json prints one parseable array with every file', async () => {
  let text = '';
  const results = await runAnalyze({ pcap: [fixture('calico-ipip/B.pcap'), fixture('formats/flannel-vxlan-B.pcapng')], json: true }, (s) => { text += s; });
  const parsed = JSON.parse(text) as FileAnalysis[];
  assert.deepEqual(parsed, results);
  assert.equal(parsed[0]?.flows.find((f) => f.inner.protocol === 'icmp')?.encapsulation, 'ipip');
  assert.equal(parsed[1]?.format, 'pcapng');
});

test('errors are typed: corrupt capture exit 2 (bad input) with file and offset, missing file exit 2, no files exit 2', async () => {
  const sink = (): void => undefined;
  await assert.rejects(runAnalyze({ pcap: [fixture('broken/truncated-record.pcap')], json: false }, sink),
    (e: unknown) => e instanceof CaptureError && e.exitCode === 2 && e.offset === 468);
  await assert.rejects(runAnalyze({ pcap: ['/nonexistent/x.pcap'], json: false }, sink),
    (e: unknown) => e instanceof CaptureInputError && e.exitCode === 2);
  await assert.rejects(runAnalyze({ pcap: [], json: false }, sink), (e: unknown) => e instanceof UsageError && e.exitCode === 2);
});
