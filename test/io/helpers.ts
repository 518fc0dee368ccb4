// Shared pieces of the lab-directory safety tests: a rendered lab in a fake host's sandbox, snapshots of files outside
// the lab (content and mode), and the checks every refusal must pass (exit 2, the path named, no stack trace).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeHost, type FakeHost } from '../fakes/fake-bin.js';
import { runLabgen as runFake, type Run } from '../fakes/run-labgen.js';
import { graphFiles } from '../../src/graph/files.js';
import { graphReadyHook } from '../../src/commands/graph.js';

/** labgen in-process against the fake host, with the extra files the real CLI renders (README.md, topology.svg). */
export function runLabgen(h: FakeHost, argv: string[]): Promise<Run> {
  return runFake(h, argv, { ctx: { extraRenderers: [graphFiles], readyHooks: [graphReadyHook] } });
}
import { ROOT } from '../helpers/paths.js';

/** A fake host and a lab rendered into <work>/lab. */
export async function renderedLab(lab = 'flannel-4node', extra: string[] = []): Promise<{ h: FakeHost; dir: string }> {
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const r = await runLabgen(h, ['render', lab, '--out', dir, ...extra]);
  assert.equal(r.code, 0, r.err);
  return { h, dir };
}

/** Every file and directory under a path, with its content hash and mode (symlinks by their target). */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string, rel: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) { out.set(rel, 'link'); return; }
    if (st.isDirectory()) { out.set(rel, `dir ${(st.mode & 0o7777).toString(8)}`); for (const n of readdirSync(p).sort()) walk(join(p, n), `${rel}/${n}`); return; }
    out.set(rel, `file ${(st.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
  };
  if (existsSync(root)) walk(root, '.');
  return out;
}

/** A refusal as the rules want it: exit 2, the message names what, no internal error or stack trace. */
export function assertRefused(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.out}\n${r.err}`);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /internal error|\n\s+at [^\n]+:\d+:\d+/);
}

/** The vagrant calls the fake host recorded (its `vagrant` log). */
export function vagrantCalls(h: FakeHost): string[] { return h.calls().filter((c) => c.startsWith('vagrant ')); }

/** The built CLI, as users run it. */
export const BIN = join(ROOT, 'bin', 'labgen.js');

/** Runs `node bin/labgen.js ...` to completion (optionally under a shell prefix such as `umask 000;`). */
export function labgenSync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; shellPrefix?: string } = {}): { code: number | null; out: string; err: string } {
  const r = opts.shellPrefix
    ? spawnSync('sh', ['-c', `${opts.shellPrefix} exec "$0" "$@"`, process.execPath, BIN, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: 120_000 })
    : spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts `node bin/labgen.js ...`; resolves with its exit code and signal. */
export function labgenAsync(args: string[], opts: { killAfterMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    const t = opts.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
    child.on('close', (code, signal) => { if (t) clearTimeout(t); done({ code, signal, err }); });
  });
}
