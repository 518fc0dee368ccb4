// `labgen graph` end to end, in-process: targets (name, file, lab dir, run dir), formats, --out, --overlay, exit codes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { commands, main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { graphVerifyHook } from '../../src/commands/graph.js';
import { graphFiles } from '../../src/graph/files.js';
import { defaultRegistries } from '../../src/registries.js';
import type { VerifyResult } from '../../src/verify/run-verify.js';
import { labFixture } from '../helpers/paths.js';
import { articleOverlay, makeLab, readSvg, svgStrings } from './graph-fixtures.js';

async function run(argv: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = { reg: defaultRegistries(), output: { out: (l) => { out.push(l); }, err: (l) => { err.push(l); }, isTTY: false }, extraRenderers: [graphFiles], env: process.env };
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try { return { code: await main(argv, ctx), stdout: out.join('\n'), stderr: err.join('\n') }; } finally { process.chdir(before); }
}
const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'labgen-graph-cmd-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

describe('labgen graph', () => {
  test('is a registered command', () => {
    const ctx = { reg: defaultRegistries(), output: { out() {}, err() {}, isTTY: false }, extraRenderers: [], env: {} } as CommandContext;
    assert.ok(commands(ctx).some((c) => String(c.command).startsWith('graph ')));
  });

  test('a lab name: writes ./<name>.svg by default', async () => {
    const dir = tmp();
    const r = await run(['graph', 'flannel-4node'], dir);
    assert.equal(r.code, 0, r.stderr);
    const file = join(dir, 'flannel-4node.svg');
    assert.match(r.stdout, /^Wrote .*flannel-4node\.svg \(flannel-4node, 4 nodes\)$/);
    const texts = svgStrings(readFileSync(file, 'utf8'));
    for (const s of ['master.lab.com', 'worker3.lab.com', '10.0.0.4/24', 'host (vboxnet)', '10.0.0.254']) assert.ok(texts.includes(s), `missing ${s}`);
  });

  test('--format mermaid prints to stdout; --out - prints the SVG', async () => {
    const m = await run(['graph', 'flannel-4node', '--format', 'mermaid']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /flowchart TB/);
    assert.ok(m.stdout.includes('worker2.lab.com'));
    const s = await run(['graph', 'flannel-4node', '--out', '-']);
    assert.equal(s.code, 0, s.stderr);
    assert.ok(readSvg(s.stdout).texts.length > 20);
  });

  test('render writes topology.svg and README.md; graph DIR draws the same picture from labgen.json', async () => {
    const dir = join(tmp(), 'lab');
    assert.equal((await run(['render', 'flannel-4node', '--out', dir])).code, 0);
    for (const f of ['topology.svg', 'README.md']) assert.ok(existsSync(join(dir, f)), `${f} missing`);
    assert.ok(readFileSync(join(dir, 'README.md'), 'utf8').includes('![topology](topology.svg)'));
    const out = join(dir, 'again.svg');
    const r = await run(['graph', dir, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(dir, 'topology.svg'), 'utf8'));
  });

  test('--overlay marks A-D; a bad overlay is exit 2 with every problem', async () => {
    const dir = tmp();
    const lab = makeLab(4);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(articleOverlay(lab)));
    const r = await run(['graph', 'flannel-4node', '--overlay', join(dir, 'ok.json'), '--out', join(dir, 'o.svg')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /capture points A B C D/);
    assert.equal(readSvg(readFileSync(join(dir, 'o.svg'), 'utf8')).circles.length, 8);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ captures: [{ point: 'Z', node: 'nobody', iface: 'eth0', seen: 'x' }] }));
    const b = await run(['graph', 'flannel-4node', '--overlay', join(dir, 'bad.json')], dir);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /captures\[0\]\.point/);
    assert.match(b.stderr, /captures\[0\]\.node: "nobody" is not a node of lab flannel-4node/);
    writeFileSync(join(dir, 'notjson.json'), '{');
    assert.equal((await run(['graph', 'flannel-4node', '--overlay', join(dir, 'notjson.json')], dir)).code, 2);
  });

  test('a verify run directory draws that run: A-D with what each saw', async () => {
    const dir = join(tmp(), 'lab');
    assert.equal((await run(['render', 'flannel-4node', '--out', dir])).code, 0);
    const runDir = join(dir, 'captures', '2025-01-01T00-00-00Z');
    mkdirSync(runDir, { recursive: true });
    const report = {
      pair: { src: { name: 'p-a', ip: '10.244.1.5', node: 'worker1.lab.com' }, dst: { name: 'p-b', ip: '10.244.2.7', node: 'worker2.lab.com' } },
      where: { A: 'veth1 on worker1 (pod p-a)', B: 'enp0s8 on worker1', C: 'enp0s8 on worker2', D: 'veth2 on worker2 (pod p-b)' },
      verdict: { ok: true, points: ['A', 'B', 'C', 'D'].map((point) => ({ point, seen: `seen at ${point}`, ok: true })) },
    };
    writeFileSync(join(runDir, 'verify.json'), JSON.stringify(report));
    const r = await run(['graph', runDir, '--out', join(runDir, 'run.svg')]);
    assert.equal(r.code, 0, r.stderr);
    const texts = svgStrings(readFileSync(join(runDir, 'run.svg'), 'utf8'));
    for (const p of ['A', 'B', 'C', 'D']) assert.ok(texts.includes(`as expected: seen at ${p}`));
    graphVerifyHook(JSON.parse(readFileSync(join(dir, 'labgen.json'), 'utf8')).lab, runDir, report as unknown as VerifyResult);
    assert.equal(readFileSync(join(runDir, 'topology.svg'), 'utf8'), readFileSync(join(runDir, 'run.svg'), 'utf8'), 'the verify hook draws the same picture');
  });

  test('bad targets and outputs are usage errors (exit 2)', async () => {
    const dir = tmp();
    const unknown = await run(['graph', 'no-such-lab'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /lab "no-such-lab" is not known/);
    const empty = await run(['graph', dir]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /is not a lab directory/);
    writeFileSync(join(dir, 'labgen.json'), JSON.stringify({ labgen: 2, lab: {} }));
    const wrong = await run(['graph', dir]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /labgen: format 2 is not known/);
    assert.equal((await run(['graph', labFixture('invalid-bad-ip')], dir)).code, 2, 'an invalid lab file');
    assert.equal((await run(['graph', 'flannel-4node', '--format', 'png'], dir)).code, 2);
    const nowhere = await run(['graph', 'flannel-4node', '--out', join(dir, 'missing', 'x.svg')]);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /cannot write/);
  });
});
