// Ctrl-C: labgen runs as a child process, gets SIGINT mid bring-up, stops every vagrant child, exits 130.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeHost, repoRoot } from '../fakes/fake-bin.js';

function alive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch { return false; } }

test('SIGINT stops every vagrant child, leaves no process behind, exits 130 and says how to resume or destroy', async () => {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const child = spawn(process.execPath, [join(repoRoot(), 'bin/labgen.js'), 'create', 'flannel-4node', '--out', dir, '--skip-doctor'], {
    cwd: h.work, env: h.env({ FAKE_VAGRANT_HANG: 'master:containerd,worker1:containerd,worker2:kernel,worker3:kernel' }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait until all four machines are hanging in provisioning.
  for (let i = 0; i < 400 && !['master', 'worker1', 'worker2', 'worker3'].every((n) => new RegExp(`${n}\\s+provisioning step \\d+/\\d+ (containerd|kernel)`).test(stdout)); i++) await new Promise((r) => setTimeout(r, 25));
  const running = h.pids().filter(alive);
  assert.ok(running.length >= 4, `four vagrant processes run (${running.length}): ${stdout}`);
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, stderr);
  assert.match(stderr, /labgen: interrupted/);
  // Spawned as `node bin/labgen.js`, so the hints say exactly that (they run as printed).
  assert.match(stderr, /resume: +node \S+\/bin\/labgen\.js create flannel-4node --out/);
  assert.match(stderr, /destroy: node \S+\/bin\/labgen\.js destroy/);
  const left = h.pids().filter(alive);
  assert.deepEqual(left, [], `still running: ${left.map((p) => readFileSync(join(h.state, 'pids', String(p)), 'utf8')).join('; ')}`);
  assert.deepEqual(existsSync(join(h.state, 'locks')) ? readdirSync(join(h.state, 'locks')) : [], [], 'every machine lock was released');
});
