// Builds a directory of fake tools (vagrant, kubectl, VBoxManage, virsh, ip) to put alone on PATH, and their state dir.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the fakes' sources live in test/fakes/lib, next to this file's source). */
export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}

/** The tools the fakes provide, by command name. */
export const FAKE_TOOLS = { vagrant: 'vagrant.mjs', kubectl: 'kubectl.mjs', VBoxManage: 'vboxmanage.mjs', virsh: 'virsh.mjs', ip: 'ip.mjs' } as const;

/** A sandbox: a bin dir with the chosen fakes only (PATH holds nothing else), a state dir, a work dir. */
export interface FakeHost { root: string; bin: string; state: string; work: string; env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv; pids(): number[]; calls(): string[] }

const sandboxes: string[] = [];

/** Creates a sandbox with the given fakes (default: all); it is removed when the test process exits. */
export function fakeHost(tools: (keyof typeof FAKE_TOOLS)[] = Object.keys(FAKE_TOOLS) as (keyof typeof FAKE_TOOLS)[]): FakeHost {
  const root = mkdtempSync(join(tmpdir(), 'labgen-fake-'));
  if (sandboxes.push(root) === 1) process.on('exit', () => { for (const r of sandboxes) rmSync(r, { recursive: true, force: true }); });
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  const work = join(root, 'work');
  for (const d of [bin, state, work]) mkdirSync(d, { recursive: true });
  const lib = join(repoRoot(), 'test', 'fakes', 'lib');
  for (const t of tools) {
    const p = join(bin, t);
    // exec keeps the pid: the pid file the fake writes is the process labgen started.
    writeFileSync(p, `#!/bin/sh\nexec '${process.execPath}' '${join(lib, FAKE_TOOLS[t])}' "$@"\n`);
    chmodSync(p, 0o755);
  }
  return {
    root, bin, state, work,
    env: (extra = {}) => ({ PATH: bin, HOME: root, FAKE_STATE_DIR: state, LANG: 'C', ...extra }),
    pids: () => (existsSync(join(state, 'pids')) ? readdirSync(join(state, 'pids')).map(Number) : []),
    calls: () => (existsSync(join(state, 'calls.log')) ? readFileSync(join(state, 'calls.log'), 'utf8').trim().split('\n') : []),
  };
}
