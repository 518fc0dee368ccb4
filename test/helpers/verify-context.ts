// The command context the verify tests run labgen in: default registries, captured output, the graph's verify hook
// (so topology.svg is drawn as by the CLI), and the environment that puts the fakes on PATH.
import type { CommandContext } from '../../src/context.js';
import { graphVerifyHook } from '../../src/commands/graph.js';
import { defaultRegistries } from '../../src/registries.js';

/** A context for `main([...], ctx)` with its stdout and stderr lines collected. */
export function verifyContext(env: NodeJS.ProcessEnv): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { reg: defaultRegistries(), output: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, extraRenderers: [], verifyHooks: [graphVerifyHook], env }, out, err };
}
