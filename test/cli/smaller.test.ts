// The smaller newcomer findings, each as the user meets it through the CLI.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseDuration } from '../../src/create/timeout.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'labgen-smaller-'));
after(() => rmSync(work, { recursive: true, force: true }));
const ARTICLE = readFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), 'utf8');

function labFile(name: string, text: string): string { const p = join(work, `${name}.yaml`); writeFileSync(p, text); return p; }

async function inDir<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try { return await f(); } finally { process.chdir(before); }
}

test('an unknown key does not hide a cross-field problem: both are reported at once', async () => {
  const p = labFile('both', ARTICLE.replace(/^name: (.*)$/m, 'name: $1\nbogus: 1').replace('ip: 10.0.0.3', 'ip: 10.0.0.2'));
  const r = await runCli(['validate', p]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not valid: 2 problems/);
  assert.match(r.stderr, /bogus \(line \d+\): unknown key/);
  assert.match(r.stderr, /nodes\[2\]\.ip \(line \d+\): IP address "10\.0\.0\.2" is already used by nodes\[1\]/);
});

test('version: 1.30 gives one clear problem, and versions are listed in order', async () => {
  const p = labFile('v130', ARTICLE.replace(/version: "1\.3\d"/, 'version: 1.30'));
  const r = await runCli(['validate', p]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not valid: 1 problem$/m);
  const listed = /is not one of (.*) \(a number here: quote it\)/.exec(r.stderr)?.[1];
  assert.ok(listed, r.stderr);
  const versions = listed.split(', ').map((v) => JSON.parse(v) as string);
  assert.deepEqual(versions, [...versions].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])));
  assert.ok(versions.length > 3);
});

test('"did you mean flannel-4node?" for flanel-4node, and nothing suggested for a name far from every lab', async () => {
  const r = await runCli(['render', 'flanel-4node', '--out', join(work, 'typo')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /lab "flanel-4node" is not known\. Did you mean flannel-4node\?/);
  const far = await runCli(['render', 'kubernetes-the-hard-way']);
  assert.doesNotMatch(far.stderr, /Did you mean/);
});

test('status /nonexistent says it does not exist', async () => {
  const r = await runCli(['status', join(work, 'nonexistent')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nonexistent does not exist/);
  assert.doesNotMatch(r.stderr, /not a lab directory/);
});

test('the out-of-CIDR fix offers a free address, never the host adapter\'s (.254) or another node\'s', async () => {
  const p = labFile('cidr', ARTICLE.replace('ip: 10.0.0.4 }', 'ip: 10.0.1.4 }'));
  const r = await runCli(['validate', p]);
  assert.equal(r.code, 2);
  const fix = /nodes\[3\]\.ip .*outside.*\n\s+fix: (.*)/.exec(r.stderr)?.[1];
  assert.ok(fix, r.stderr);
  assert.match(fix, /e\.g\. 10\.0\.0\.4\b/, "the first address no node and not the host uses");
  assert.match(fix, /except the other nodes' and the host's 10\.0\.0\.254/);
  assert.doesNotMatch(fix, /to 10\.0\.0\.254\)?$/);
});

test('render counts the same files both times: "N files written", then "0 files updated, N unchanged"', async () => {
  const out = join(work, 'counts');
  const first = await runCli(['render', 'flannel-4node', '--out', out]);
  const second = await runCli(['render', 'flannel-4node', '--out', out]);
  const written = Number(/(\d+) files written/.exec(first.stdout)?.[1]);
  const unchanged = Number(/0 files updated, (\d+) unchanged/.exec(second.stdout)?.[1]);
  assert.ok(written > 10, first.stdout);
  assert.equal(unchanged, written);
});

test('list: "INVALID (1 problem)", and a local lab that hides a shipped one is named', async () => {
  const dir = join(work, 'cwd');
  mkdirSync(join(dir, 'labs'), { recursive: true });
  writeFileSync(join(dir, 'labs', 'one-problem.yaml'), ARTICLE.replace('name: flannel-4node', 'name: one-problem').replace(/^name: (.*)$/m, 'name: $1\nbogus: 1'));
  writeFileSync(join(dir, 'labs', 'flannel-4node.yaml'), ARTICLE);
  const r = await inDir(dir, () => runCli(['list']));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /INVALID \(1 problem\): /);
  assert.match(r.stdout, new RegExp(`note: ${join(dir, 'labs', 'flannel-4node.yaml')} hides the shipped lab flannel-4node \\(${join(ROOT, 'labs', 'flannel-4node.yaml')}\\)`));
  const j = await inDir(dir, () => runCli(['list', '--json']));
  const rows = JSON.parse(j.stdout) as { name: string; shadows?: string }[];
  assert.equal(rows.find((l) => l.name === 'flannel-4node')?.shadows, join(ROOT, 'labs', 'flannel-4node.yaml'));
});

test('one duration format: create and verify --timeout both take 90, 90s and 10m, and refuse the same bad values', async () => {
  assert.equal(parseDuration('timeout', '90'), 90_000);
  assert.equal(parseDuration('timeout', '90s'), 90_000);
  assert.equal(parseDuration('timeout', '10m'), 600_000);
  const dir = join(work, 'verify-lab');
  assert.equal((await runCli(['render', 'flannel-4node', '--out', dir])).code, 0);
  for (const cmd of [['create', 'flannel-4node', '--out', join(work, 'never')], ['verify', dir]]) {
    const r = await runCli([...cmd, '--timeout', 'soon']);
    assert.equal(r.code, 2, cmd.join(' '));
    assert.match(r.stderr, /--timeout soon is not a duration/);
    assert.match(r.stderr, /--timeout 900, --timeout 90s, --timeout 15m/);
  }
});
