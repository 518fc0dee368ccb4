// Runs labgen's CLI in-process with captured output and injectable registries.
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { defaultRegistries, type Registries } from '../../src/registries.js';

/** What one CLI run printed and returned. */
export interface CliRun { code: number; out: string[]; err: string[]; stdout: string; stderr: string }

/** `labgen <argv>` in this process; nothing reaches the real stdout/stderr. */
export async function runCli(argv: string[], opts: { reg?: Registries; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    reg: opts.reg ?? defaultRegistries(),
    output: { out: (l) => { out.push(l); }, err: (l) => { err.push(l); }, isTTY: false },
    extraRenderers: [],
    env: opts.env ?? process.env,
  };
  const code = await main(argv, ctx);
  return { code, out, err, stdout: out.join('\n'), stderr: err.join('\n') };
}
