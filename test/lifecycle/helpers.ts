// Shared by the lifecycle and logs tests: a created lab on the fake host, `labgen` itself on the fake PATH (to run a
// printed command exactly as printed), and labgen run as a child process (for Ctrl-C).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeHost, repoRoot, type FakeHost } from '../fakes/fake-bin.js';
import { runLabgen, type Run } from '../fakes/run-labgen.js';

/** Polls fast: the fake cluster answers at once. */
export const FAST = '--poll-interval=50ms';

/** A fake host with a lab created and Ready in `dir` (default lab: the article's). */
export async function createdLab(lab = 'flannel-4node', dirName = 'lab', env: NodeJS.ProcessEnv = {}): Promise<{ h: FakeHost; dir: string }> {
  const h = fakeHost();
  const dir = join(h.work, dirName);
  const r = await runLabgen(h, ['create', lab, '--out', dir, FAST], { env });
  assert.equal(r.code, 0, r.err);
  return { h, dir };
}

/** The `vagrant up` calls the fake recorded. */
export function upCalls(h: FakeHost): string[] { return h.calls().filter((c) => c.startsWith('vagrant up ')); }

/** Puts a `labgen` wrapper (this checkout's bin/labgen.js) into the fake host's bin. */
export function labgenOnPath(h: FakeHost): void {
  const p = join(h.bin, 'labgen');
  writeFileSync(p, `#!/bin/sh\nexec '${process.execPath}' '${join(repoRoot(), 'bin/labgen.js')}' "$@"\n`);
  chmodSync(p, 0o755);
}

/** Runs one shell command line (as a user would paste it) with the fake host's PATH. */
export function shell(h: FakeHost, line: string, env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync('/bin/sh', ['-c', line], { cwd: h.work, env: h.env(env), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The line of the output that starts with `label`, without the label. */
export function lineAfter(text: string, label: string): string {
  const l = text.split('\n').find((x) => x.startsWith(label));
  assert.ok(l, `no line starting with ${JSON.stringify(label)} in:\n${text}`);
  return l.slice(label.length).trim();
}

function alive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch { return false; } }

/** Runs labgen as a child, sends SIGINT once `ready(stdout)` holds, and returns its exit code, output and the fakes still alive. */
export async function interruptLabgen(h: FakeHost, argv: string[], env: NodeJS.ProcessEnv, ready: (stdout: string) => boolean): Promise<Run & { left: string[] }> {
  const child = spawn(process.execPath, [join(repoRoot(), 'bin/labgen.js'), ...argv], { cwd: h.work, env: h.env(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 600 && !ready(out); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ready(out), `never got ready to interrupt: ${out}\n${err}`);
  child.kill('SIGINT');
  const code = (await exited) ?? -1;
  const left = h.pids().filter(alive).map((p) => readFileSync(join(h.state, 'pids', String(p)), 'utf8').trim());
  return { code, out, err, left };
}
