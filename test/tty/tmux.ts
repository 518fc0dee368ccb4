// Runs labgen in a real pseudo-terminal (a tmux pane of a chosen width) and reads the screen a user sees.
import { spawnSync } from 'node:child_process';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

let seq = 0;

/** Quotes a word for the shell tmux runs the command with. */
export function sh(word: string): string { return `'${word.replace(/'/g, `'\\''`)}'`; }

/** A tmux server of this test alone (its own socket), with one pane running a command. */
export class TmuxPane {
  readonly socket = `labgen-test-${process.pid}-${++seq}`;
  private readonly marker = '__LABGEN_EXIT=';

  /** Starts `argv` (labgen's arguments) with env, in cwd, in a width x height pane. */
  constructor(dir: string, argv: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; width: number; height?: number }) {
    // A script, so the pane runs exactly this command line, then reports its exit code and waits to be read.
    const script = join(dir, `tmux-run-${this.socket}.sh`);
    const env = Object.entries(opts.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${sh(String(v))}`).join(' ');
    writeFileSync(script, `#!/bin/sh\ncd ${sh(opts.cwd)} || exit 99\nenv -i TERM=xterm-256color ${env} ${sh(process.execPath)} ${sh(join(ROOT, 'bin', 'labgen.js'))} ${argv.map(sh).join(' ')}\necho "${this.marker}$?"\nsleep 600\n`);
    chmodSync(script, 0o755);
    this.tmux(['new-session', '-d', '-x', String(opts.width), '-y', String(opts.height ?? 50), script]);
    // The pane keeps the window's size even if a client attaches.
    this.tmux(['set-option', '-g', 'window-size', 'manual']);
  }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** The visible screen, trailing blanks removed. */
  screen(): string { return this.tmux(['capture-pane', '-p']).replace(/\s+$/, ''); }

  /** The screen plus what scrolled off above it, lines the terminal wrapped joined again. */
  history(): string { return this.tmux(['capture-pane', '-p', '-J', '-S', '-2000']).replace(/\s+$/, ''); }

  /** The exit code once labgen has ended, else undefined. */
  exitCode(): number | undefined {
    const m = new RegExp(`${this.marker}(\\d+)`).exec(this.history());
    return m ? Number(m[1]) : undefined;
  }

  /** Captures the screen every `everyMs` until labgen ends (or `timeoutMs`); returns the screens and the exit code. */
  async watch(everyMs = 100, timeoutMs = 60_000): Promise<{ screens: string[]; code: number }> {
    const screens: string[] = [];
    const t0 = Date.now();
    for (;;) {
      screens.push(this.screen());
      const code = this.exitCode();
      if (code !== undefined) return { screens, code };
      if (Date.now() - t0 > timeoutMs) throw new Error(`labgen did not end within ${timeoutMs} ms; screen:\n${screens.at(-1)}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Ends this test's tmux server (and the pane's processes with it). */
  close(): void { spawnSync('tmux', ['-L', this.socket, 'kill-server'], { timeout: 10_000 }); }
}
