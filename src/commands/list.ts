// `labgen list [--json]`: the labs in ./labs and labgen's own labs/, with nodes, OS, CNI and description.
import type { Argv, CommandModule } from 'yargs';
import { LabgenError } from '../errors.js';
import { inertText } from '../lab/inert.js';
import { listLabFiles, readLabText } from '../lab/load.js';
import { parseLab } from '../lab/parse.js';
import { resolveLab } from '../lab/resolve.js';
import { printJson } from '../ui/output.js';
import { table } from '../ui/table.js';
import type { CommandContext } from './context.js';

interface ListArgs { json: boolean }

/** One row of `labgen list`. */
export interface LabSummary { name: string; path: string; valid: boolean; nodes?: number; os?: string; cni?: string; provider?: string; description?: string; problems?: number; reason?: string }

/** One entry of labs/: never throws and never hangs (special files are not opened; readLabText checks the type first). */
function summarize(ctx: CommandContext, name: string, path: string): LabSummary {
  try {
    const { lab, problems } = parseLab(readLabText(path), ctx.reg);
    if (!lab) {
      const first = problems[0];
      return { name, path, valid: false, problems: problems.length, reason: first ? `${first.path || '(document)'}${first.line !== undefined ? ` (line ${first.line})` : ''}: ${first.message}` : undefined };
    }
    const r = resolveLab(lab, ctx.reg);
    return { name, path, valid: true, nodes: r.nodes.length, os: `${r.os.family} (${r.os.box})`, cni: r.cni.summary, provider: r.provider.name, description: r.description };
  } catch (e) {
    // A file that cannot be read (a directory named x.yaml, a dangling symlink, a FIFO, too large) is one invalid row.
    return { name, path, valid: false, reason: e instanceof LabgenError ? e.message.replace(/^cannot read lab file "[^"]*": /, '') : `cannot be read: ${(e as Error).message}` };
  }
}

/** Summaries of every lab file found. */
export function summarizeLabs(ctx: CommandContext): LabSummary[] {
  return listLabFiles().map(({ name, path }) => summarize(ctx, name, path));
}

function invalidText(l: LabSummary): string {
  const count = l.problems !== undefined ? `INVALID (${l.problems} problem${l.problems === 1 ? '' : 's'})` : 'INVALID';
  return `${count}${l.reason ? `: ${l.reason}` : ''}; details: labgen validate ${l.path}`;
}

/** The list command. */
export function listCommand(ctx: CommandContext): CommandModule<object, ListArgs> {
  return {
    command: 'list',
    describe: 'List the labs labgen knows (./labs, then the labs shipped with labgen)',
    builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' }) as unknown as Argv<ListArgs>,
    handler: (args) => {
      const labs = summarizeLabs(ctx);
      if (args.json) { printJson(ctx.output, labs); return; }
      const rows = [['NAME', 'NODES', 'OS', 'CNI', 'PROVIDER', 'DESCRIPTION'], ...labs.map((l) => (l.valid
        ? [inertText(l.name), String(l.nodes), l.os!, l.cni!, l.provider!, l.description ?? '']
        : [inertText(l.name), '-', '-', '-', '-', inertText(invalidText(l))]))];
      for (const line of table(rows)) ctx.output.out(line);
    },
  };
}
