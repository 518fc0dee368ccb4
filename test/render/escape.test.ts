// The escaping helpers checked by the interpreters themselves: Ruby reads rubyString back, bash reads shellWord back,
// the yaml package reads yamlScalar back, each to the original string.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { numberLiteral, rubyString, shellWord, yamlScalar } from '../../src/render/escape.js';
import { run } from '../helpers/exec.js';
import { requireTool } from '../helpers/tools.js';

const SAMPLES = [
  'plain', 'with space', "it's", 'say "hi"', '#{system("touch /tmp/pwned")}', '$(touch /tmp/pwned)', '`touch /tmp/pwned`',
  'back\\slash', 'trailing\\', "\\'", "'", '\'\'\'', '$HOME', '${HOME}', '*', '~', '!', 'a;b|c&d', '%q(x)', 'ünïcödé', '',
];

describe('rubyString', () => {
  it('Ruby prints back exactly the original string', (t) => {
    if (!requireTool(t, 'ruby')) return;
    const program = SAMPLES.map((s) => `puts(${rubyString(s)}.unpack1('H*'))`).join('\n');
    const r = run('ruby', ['-e', program]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, SAMPLES.length), SAMPLES.map((s) => Buffer.from(s, 'utf8').toString('hex')));
  });
  it('is single-quoted, so #{...} is never interpolated', () => {
    assert.equal(rubyString('#{x}'), "'#{x}'");
    assert.equal(rubyString("a'b\\c"), "'a\\'b\\\\c'");
  });
  it('refuses control characters (a newline would end a Ruby comment or string context)', () => {
    for (const s of ['a\nb', 'a\rb', 'a\u0000b', 'a\u007fb']) assert.throws(() => rubyString(s), /control characters/);
  });
});

describe('shellWord', () => {
  it('bash reads back exactly the original string, expanding nothing', (t) => {
    if (!requireTool(t, 'bash')) return;
    const script = SAMPLES.map((s) => `printf '%s' ${shellWord(s)} | od -An -tx1 | tr -d ' \\n'; echo`).join('\n');
    const r = run('bash', ['-c', script]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, SAMPLES.length), SAMPLES.map((s) => Buffer.from(s, 'utf8').toString('hex')));
  });
  it('leaves safe words bare and quotes the rest', () => {
    assert.equal(shellWord('10.0.0.0/24'), '10.0.0.0/24');
    assert.equal(shellWord('a b'), "'a b'");
    assert.equal(shellWord("it's"), "'it'\\''s'");
  });
  it('refuses control characters', () => { assert.throws(() => shellWord('a\nb'), /control characters/); });
});

describe('yamlScalar', () => {
  it('YAML reads back the same string, never a re-typed scalar', () => {
    for (const s of [...SAMPLES, 'yes', 'no', 'null', '~', '1.30', '0x1f', '- item', 'a: b', '&anchor', '*alias', '!tag', '# comment', '{x}', '[y]']) {
      assert.equal(parse(`v: ${yamlScalar(s)}`).v, s, JSON.stringify(s));
    }
  });
  it('numbers and booleans stay numbers and booleans', () => {
    assert.equal(parse(`v: ${yamlScalar(6443)}`).v, 6443);
    assert.equal(parse(`v: ${yamlScalar(false)}`).v, false);
  });
});

describe('numberLiteral', () => {
  it('accepts finite numbers only', () => {
    assert.equal(numberLiteral(3072), '3072');
    for (const v of [Number.NaN, Infinity, '2', undefined, null]) assert.throws(() => numberLiteral(v), /expected a number/);
  });
});
