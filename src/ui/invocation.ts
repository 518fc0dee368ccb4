// How the user ran labgen, so every hint (fix:, next:, resume:, Try:) is a command that runs as printed where they are:
// `npx labgen ...` under npx / npm exec, `labgen ...` when the labgen on PATH is this one, else `node <path>/bin/labgen.js`.
import { realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { shellWord } from '../render/escape.js';

/** The two ways to write labgen in a hint: from where the user is now, and from anywhere (a lab's README). */
export interface Invocation { here: string; anywhere: string }

/** What invocation detection reads; all of it from the process in cli.ts, made up in tests. */
export interface InvocationInput { env: NodeJS.ProcessEnv; script: string | undefined; cwd: string }

function real(p: string): string | undefined { try { return realpathSync(p); } catch { return undefined; } }

/** The `labgen` a shell would find on PATH, skipping the node_modules/.bin entries npm exec puts first. */
export function labgenOnPath(env: NodeJS.ProcessEnv): string | undefined {
  for (const d of (env.PATH ?? '').split(delimiter)) {
    if (!d || d.endsWith(`${sep}node_modules${sep}.bin`)) continue;
    const p = join(d, 'labgen');
    try { if (statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0) return p; } catch { /* not here */ }
  }
  return undefined;
}

/** Detects the invocation (npm sets npm_command=exec and npm_lifecycle_event=npx for `npx labgen` / `npm exec labgen`). */
export function detectInvocation(i: InvocationInput): Invocation {
  const script = i.script ? real(i.script) : undefined;
  const onPath = labgenOnPath(i.env);
  const global = onPath !== undefined && script !== undefined && real(onPath) === script;
  const anywhere = global || !script ? 'labgen' : `node ${shellWord(script)}`;
  if (i.env.npm_command === 'exec' || i.env.npm_lifecycle_event === 'npx') return { here: 'npx labgen', anywhere };
  if (global || !script) return { here: 'labgen', anywhere };
  const rel = relative(i.cwd, script);
  return { here: `node ${shellWord(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script)}`, anywhere };
}

/**
 * Rewrites `labgen <command>` in a line of output to the way the user runs labgen. Only a command name right after
 * `labgen ` counts (never `labgen:` or `labgen doctor:` headings), so messages keep their wording and hints run.
 */
export function hintRewriter(prefix: string, commands: string[]): (line: string) => string {
  if (prefix === 'labgen') return (l) => l;
  const names = [...commands, '--help', '--version'].map((c) => c.replace(/[-]/g, '\\-')).join('|');
  const re = new RegExp(`(^|[\\s\`'"(=])(?<!npx )labgen (?=(?:${names})(?![\\w:-]))`, 'g');
  return (line) => line.replace(re, `$1${prefix} `);
}
