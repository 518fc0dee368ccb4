// The commands' context, defined in src/context.ts (below src/commands, so lower layers never import a command file).
export type { CommandContext } from '../context.js';
