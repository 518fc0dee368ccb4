// Hostile lab text, bounded: terminal-driving characters and impossible interface names refused with the fix;
// YAML aliases, nesting, size and problem counts limited; validation linear (asserted by counts and sizes, never time).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { readLabText } from '../../src/lab/load.js';
import { LAB_LIMITS, parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';

const reg = defaultRegistries();
const base = (): Record<string, any> => parse(readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8')) as Record<string, any>;
const problemsOf = (lab: unknown) => parseLab(stringify(lab), reg).problems;

describe('lab strings that would drive the terminal', () => {
  const HOSTILE = ['\u001b[2J\u001b[Hcleared', 'a\u009b2Jb', 'evil\u202etxt.exe', 'a\u2066b\u2069', 'one\u2028two', 'p\u2029q', 'bell\u0007', 'del\u007f', 'c1\u0085', 'lre\u202a'];
  it('description: ESC, C0/C1 controls, bidi overrides and isolates, line separators are refused with the fix', () => {
    for (const d of HOSTILE) {
      const lab = base();
      lab.description = d;
      const p = problemsOf(lab).find((x) => x.path === 'description');
      assert.ok(p, JSON.stringify(d));
      assert.match(p.fix ?? '', /plain text: no escape or control characters.*bidirectional.*U\+2028/);
      // The message quotes the value, but escaped: nothing that reaches the terminal can act on it.
      assert.doesNotMatch(p.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }
    const ok = base();
    ok.description = 'Rocky 9 — flannel, «quotes», 日本語, emoji 🙂, $(not run) and `ticks`';
    assert.deepEqual(problemsOf(ok), []);
  });
  it('an unknown key made of escape sequences is named with the sequence escaped', () => {
    const lab = base();
    lab['\u001b]0;owned\u0007\u202e'] = 1;
    const p = problemsOf(lab).find((x) => x.message === 'unknown key');
    assert.ok(p);
    assert.equal(p.path, '\\u001b]0;owned\\u0007\\u202e');
  });
});

describe('interface names follow the kernel (dev_valid_name) and never look like an option', () => {
  const BAD = ['.', '..', '--help', '-x', 'a/b', 'a:1', 'a b', 'tab\tx', 'sixteen-chars-xx', '', 'é0'];
  const GOOD = ['enp0s8', 'eth1', 'vboxnet0', 'br-lab.100', 'a', 'fifteen-chars-x', '.hidden', 'x..y', 'a-'];
  it('cni.interface and network.hostOnly.interface refuse ".", "..", a leading "-", "/", ":", spaces, more than 15 bytes', () => {
    for (const name of BAD) {
      const a = base(); a.cni.interface = name;
      const b = base(); b.network.hostOnly.interface = name;
      const pa = problemsOf(a).find((x) => x.path === 'cni.interface');
      const pb = problemsOf(b).find((x) => x.path === 'network.hostOnly.interface');
      assert.ok(pa, `cni.interface ${JSON.stringify(name)} accepted`);
      assert.ok(pb, `network.hostOnly.interface ${JSON.stringify(name)} accepted`);
      assert.match(pa.fix ?? '', /not starting with "-", not "\." or "\.\."/);
      assert.match(pb.fix ?? '', /1 to 15/);
    }
    for (const name of GOOD) {
      const a = base(); a.cni.interface = name;
      const b = base(); b.network.hostOnly.interface = name;
      assert.deepEqual(problemsOf(a).filter((x) => x.path === 'cni.interface'), [], name);
      assert.deepEqual(problemsOf(b).filter((x) => x.path === 'network.hostOnly.interface'), [], name);
    }
    const auto = base(); auto.cni.interface = 'auto';
    assert.deepEqual(problemsOf(auto), []);
  });
});

describe('YAML bounded', () => {
  it('an alias to an undefined anchor is a problem with its line, not an internal error', async () => {
    const text = readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8').replace(/^description: .*$/m, 'description: *nothere');
    const line = text.split('\n').findIndex((l) => l.includes('*nothere')) + 1;
    const { lab, problems } = parseLab(text, reg);
    assert.equal(lab, undefined);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [[line, 'YAML: alias *nothere refers to no anchor &nothere defined before it']]);
    const file = join(tempDir('labgen-alias-'), 'alias.yaml');
    writeFileSync(file, text);
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\(document\) \(line \d+\): YAML: alias \*nothere/);
    assert.doesNotMatch(r.stderr, /internal error|    at /);
  });

  it('a "billion laughs" of 10 levels is refused before it expands (heap grows by less than 64 MB)', () => {
    let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    text += 'name: *a9\n';
    const before = process.memoryUsage().heapUsed;
    const { lab, problems } = parseLab(text, reg);
    const grown = process.memoryUsage().heapUsed - before;
    assert.equal(lab, undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /aliases \(\*name\) expand to more than 50 nodes/);
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
    // A lab may still use a few aliases.
    const fine = readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8').replace(/cpus: 2 /, 'cpus: &cpus 2 ').replace('ip: 10.0.0.2 }', 'ip: 10.0.0.2, cpus: *cpus }');
    assert.match(fine, /&cpus 2[\s\S]*\*cpus/);
    assert.deepEqual(parseLab(fine, reg).problems, []);
  });

  it('1,000 (and 100,000) levels of nesting, flow or block, are refused with the line, without recursing', () => {
    const cases = [
      `name: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
      `name: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}\n`,
      // Block nesting by indentation (700 levels: 1,000 would be over the size limit, refused even sooner).
      Array.from({ length: 700 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      Array.from({ length: 700 }, (_, i) => `${' '.repeat(i)}-`).join('\n'),
      `${'- '.repeat(1000)}x\n`,
      `name: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    ];
    for (const text of cases) {
      const { lab, problems } = parseLab(text, reg);
      assert.equal(lab, undefined);
      assert.equal(problems.length, 1, JSON.stringify(problems.slice(0, 3)));
      assert.match(problems[0]!.message, /nesting deeper than 64 levels/);
      assert.equal(typeof problems[0]!.line, 'number');
    }
  });

  it('a file over 256 KiB is refused from its size, before it is read or parsed', async () => {
    const dir = tempDir('labgen-big-');
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `name: x\n${'#'.repeat(LAB_LIMITS.maxBytes)}\n`);
    assert.throws(() => readLabText(file), /is 262,153 bytes; a lab file is at most 262,144 bytes/);
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /at most 262,144 bytes/);
    // parseLab itself refuses text over the limit (for callers that did not read it through readLabText).
    assert.match(parseLab('#'.repeat(LAB_LIMITS.maxBytes + 1), reg).problems[0]!.message, /at most 262,144 bytes/);
  });

  it('a special file is never opened: a FIFO named like a lab file is refused from its type (exit 2, no hang)', async (t) => {
    const dir = tempDir('labgen-fifo-');
    const fifo = join(dir, 'pipe.yaml');
    try { execFileSync('mkfifo', [fifo]); } catch { if (process.env.CI === 'true') throw new Error('mkfifo is missing'); t.skip('no mkfifo'); return; }
    assert.throws(() => readLabText(fifo), /it is a FIFO \(named pipe\), not a lab file/);
    mkdirSync(join(dir, 'd.yaml'));
    assert.throws(() => readLabText(join(dir, 'd.yaml')), /it is a directory, not a lab file/);
  });

  it('20,000 unknown keys (within the size limit): 100 problems listed and the rest counted, each with its line', () => {
    const lab = readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8');
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const text = `${lab}\n${keys}\n`;
    assert.ok(Buffer.byteLength(text) < LAB_LIMITS.maxBytes, 'the case fits the size limit, so parsing and validation really run');
    const { problems } = parseLab(text, reg);
    assert.equal(problems.length, 101);
    assert.equal(problems[0]!.path, 'k0');
    assert.equal(problems[0]!.line, lab.split('\n').length + 1);
    assert.equal(problems[99]!.path, 'k99');
    assert.equal(problems[99]!.line, lab.split('\n').length + 100);
    assert.match(problems[100]!.message, /and 19,900 more problems \(20,000 in all; only the first 100 are listed\)/);
  });

  it('50,000 unknown keys are over the size limit: one problem, from the size alone', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const { problems } = parseLab(text, reg);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /a lab file is at most 262,144 bytes/);
  });

  it('a file of garbage (one YAML error per character) lists 100 errors and stops before composing the rest', () => {
    const { problems } = parseLab(']'.repeat(LAB_LIMITS.maxBytes - 1), reg);
    assert.equal(problems.length, 101);
    assert.match(problems[100]!.message, /and 262,043 more problems/);
  });

  it('200,000 unknown keys and 200,000 duplicate keys (limit raised for the test) complete with the problems capped', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const big = { ...LAB_LIMITS, maxBytes: 16 * 1024 * 1024 };
    const unknown = parseLab(`${readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8')}\n${keys}\n`, reg, big).problems;
    assert.equal(unknown.length, 101);
    assert.match(unknown[100]!.message, /199,900 more/);
    const dups = parseLab(`${Array.from({ length: 200_000 }, (_, i) => `k: ${i}`).join('\n')}\n`, reg, big).problems;
    assert.equal(dups.length, 101);
    assert.equal(dups[0]!.line, 2);
    assert.match(dups[0]!.message, /Map keys must be unique: "k" is defined again \(first at line 1\)/);
    assert.match(dups[100]!.message, /and 199,899 more problems \(199,999 in all/);
  });

  it('the number of nodes is bounded by the schema (64)', () => {
    const lab = base();
    lab.nodes = Array.from({ length: 65 }, (_, i) => ({ name: `n${i}`, hostname: `n${i}.lab`, role: i ? 'worker' : 'control-plane', ip: `10.0.0.${i + 1}` }));
    assert.ok(problemsOf(lab).some((p) => p.path === 'nodes' && /must NOT have more than 64 items/.test(p.message)));
  });
});
