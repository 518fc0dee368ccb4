// The real Runner: spawns with execa in its own process group, streams lines, forwards Ctrl-C, never leaves orphans.
import { execa } from 'execa';
import type { RunOptions, RunResult, Runner } from './process.js';

/** How long a stopped command may take to clean up after SIGINT before its process group is killed. */
export const DEFAULT_GRACE_MS = 60_000;

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try { process.kill(-pid, sig); } catch { /* group already gone */ }
}

function splitter(onLine: ((l: string) => void) | undefined): { push(chunk: string): void; end(): void; text(): string } {
  let all = '';
  let rest = '';
  return {
    push(chunk) {
      all += chunk;
      if (!onLine) return;
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    },
    end() { if (onLine && rest) onLine(rest); rest = ''; },
    text: () => all,
  };
}

/** A Runner with the given environment (PATH decides which vagrant, kubectl, virsh run). */
export function execaRunner(env: NodeJS.ProcessEnv, graceMs = DEFAULT_GRACE_MS): Runner {
  return {
    async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
      if (options.signal?.aborted) return { exitCode: 130, stdout: '', stderr: '', notFound: false, interrupted: true };
      // Own process group: a terminal's Ctrl-C reaches labgen only, and labgen forwards exactly one SIGINT to
      // the whole group (vagrant and the VBoxManage/ssh it starts), as a second one would make vagrant quit uncleanly.
      const child = execa(command, args, { cwd: options.cwd, env: options.env ? { ...env, ...options.env } : env, extendEnv: false, reject: false, detached: true, stdin: 'ignore', buffer: false, encoding: 'utf8', cleanup: true });
      const out = splitter(options.onLine && ((l) => options.onLine!(l, 'stdout')));
      const err = splitter(options.onLine && ((l) => options.onLine!(l, 'stderr')));
      child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
      child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));
      let interrupted = false;
      let killer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        interrupted = true;
        signalGroup(child.pid, 'SIGINT');
        killer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await child;
        out.end(); err.end();
        const code = (r as { code?: string }).code;
        return { exitCode: r.exitCode ?? (interrupted ? 130 : 1), stdout: out.text(), stderr: err.text(), notFound: code === 'ENOENT', interrupted };
      } finally {
        if (killer) clearTimeout(killer);
        options.signal?.removeEventListener('abort', onAbort);
        // Anything the command left behind in its group goes with it.
        signalGroup(child.pid, 'SIGKILL');
      }
    },
  };
}
