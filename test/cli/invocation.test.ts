// Hints are commands that run as printed where the user is: labgen detects how it was run (npx / npm exec, a labgen
// on PATH, node bin/labgen.js) and says labgen that way; the lab README says it in a way that works from the lab.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { detectInvocation, hintRewriter } from '../../src/ui/invocation.js';
import { ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'labgen-invocation-'));
after(() => rmSync(work, { recursive: true, force: true }));
const BIN = join(ROOT, 'bin', 'labgen.js');
const nodeDir = dirname(process.execPath);

function sh(cmd: string, cwd: string, env: NodeJS.ProcessEnv): { code: number | null; out: string; err: string } {
  const r = spawnSync('sh', ['-c', cmd], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The command inside `...` that a hint names, e.g. "pass a lab name from `X list`" -> "X list". */
function hinted(text: string, re: RegExp): string { const m = re.exec(text); assert.ok(m, text); return m[1]!; }

test('detection: npx / npm exec, the labgen on PATH, or node with the script path', () => {
  const script = BIN;
  assert.equal(detectInvocation({ env: { npm_command: 'exec', npm_lifecycle_event: 'npx' }, script, cwd: ROOT }).here, 'npx labgen');
  assert.equal(detectInvocation({ env: {}, script, cwd: ROOT }).here, 'node bin/labgen.js');
  assert.equal(detectInvocation({ env: {}, script, cwd: work }).here, `node ${BIN}`);
  const globalBin = join(work, 'global-bin');
  mkdirSync(globalBin, { recursive: true });
  symlinkSync(BIN, join(globalBin, 'labgen'));
  assert.deepEqual(detectInvocation({ env: { PATH: globalBin }, script: join(globalBin, 'labgen'), cwd: work }), { here: 'labgen', anywhere: 'labgen' });
  // npx puts node_modules/.bin first on PATH: that labgen is not one a later shell finds.
  const local = join(work, 'proj', 'node_modules', '.bin');
  mkdirSync(local, { recursive: true });
  symlinkSync(BIN, join(local, 'labgen'));
  assert.equal(detectInvocation({ env: { PATH: local, npm_command: 'exec' }, script: join(local, 'labgen'), cwd: work }).anywhere, `node ${BIN}`);
});

test('the rewrite touches hint commands only', () => {
  const r = hintRewriter('npx labgen', ['create', 'doctor', 'list', 'destroy']);
  assert.equal(r('resume:  labgen create x --out /d'), 'resume:  npx labgen create x --out /d');
  assert.equal(r('pass a name from `labgen list`'), 'pass a name from `npx labgen list`');
  assert.equal(r('labgen doctor: lab x, provider virtualbox'), 'labgen doctor: lab x, provider virtualbox');
  assert.equal(r('labgen: lab "x" is not known'), 'labgen: lab "x" is not known');
  assert.equal(r('already npx labgen list'), 'already npx labgen list');
  assert.equal(hintRewriter('labgen', ['list'])('labgen list'), 'labgen list');
});

test('node bin/labgen.js: the printed hint runs as printed, from where the user is', () => {
  const env = { PATH: `${nodeDir}:/usr/bin:/bin` };
  const r = sh(`node bin/labgen.js render no-such-lab`, ROOT, env);
  assert.equal(r.code, 2);
  const cmd = hinted(r.err, /from `([^`]+)`/);
  assert.equal(cmd, 'node bin/labgen.js list');
  const ran = sh(cmd, ROOT, env);
  assert.equal(ran.code, 0, ran.err);
  assert.match(ran.out, /flannel-4node/);
});

test('npx labgen (npm exec sets npm_command=exec): hints say npx labgen, and that runs in the checkout', () => {
  const env = { PATH: `${nodeDir}:/usr/bin:/bin`, npm_command: 'exec', npm_lifecycle_event: 'npx' };
  const r = sh(`node bin/labgen.js render flannel-4node --out '${work}/npx-lab'`, ROOT, env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /next: npx labgen create flannel-4node --out /);
  // The real npx, with the user's own npm settings: in the checkout it runs the package's own bin, nothing fetched.
  const help = sh('npx labgen --version', ROOT, { ...process.env, npm_command: undefined, npm_lifecycle_event: undefined });
  assert.equal(help.code, 0, `npx labgen runs in the checkout: ${help.err}`);
});

test('a labgen on PATH (npm install -g, npm link): hints say labgen', () => {
  const bin = join(work, 'path-bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(BIN, join(bin, 'labgen'));
  const env = { PATH: `${bin}:${nodeDir}:/usr/bin:/bin` };
  const r = sh('labgen render no-such-lab', work, env);
  assert.equal(r.code, 2);
  const cmd = hinted(r.err, /from `([^`]+)`/);
  assert.equal(cmd, 'labgen list');
  assert.equal(sh(cmd, work, env).code, 0);
});

test('the lab README: its commands run from the lab directory whichever way labgen was installed', () => {
  const env = { PATH: `${nodeDir}:/usr/bin:/bin`, npm_command: 'exec' };
  const dir = join(work, 'readme-lab');
  const r = sh(`node bin/labgen.js render flannel-4node --out '${dir}'`, ROOT, env);
  assert.equal(r.code, 0, r.err);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(readme, new RegExp(`^node ${BIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} create \\.$`, 'm'), readme);
  const graph = hinted(readme, /`([^`]+ graph \. --format mermaid)`/);
  const ran = sh(graph, dir, { PATH: env.PATH });
  assert.equal(ran.code, 0, ran.err);
  assert.match(ran.out, /^(graph|flowchart)/m);
});
