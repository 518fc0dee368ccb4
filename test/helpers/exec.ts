// Runs external tools for tests, with an environment that keeps them off the network (no Vagrant checkpoint).
import { spawnSync } from 'node:child_process';

/** A finished process. */
export interface Ran { code: number | null; stdout: string; stderr: string; output: string }

/** Runs a command synchronously; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Ran {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}

/** The environment for `vagrant`: no HashiCorp checkpoint call, no colour codes. */
export function vagrantEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1', VAGRANT_DEFAULT_PROVIDER: 'virtualbox', ...extra };
}
