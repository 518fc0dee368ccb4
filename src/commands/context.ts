// What every command receives: registries, output, and the pieces tests replace (runner, clock, extra renderers).
import type { Registries } from '../registries.js';
import type { Output } from '../ui/output.js';
import type { ExtraRenderer } from './render.js';

/** Injected dependencies of the commands; cli.ts builds the real one, tests their own. */
export interface CommandContext {
  reg: Registries;
  output: Output;
  extraRenderers: ExtraRenderer[];
  env: NodeJS.ProcessEnv;
}
