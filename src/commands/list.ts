// `labgen list [--json]`: the labs in ./labs and labgen's own labs/, with nodes, OS, CNI and description.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { listLabFiles } from '../lab/load.js';
import { parseLab } from '../lab/parse.js';
import { resolveLab } from '../lab/resolve.js';
import { printJson } from '../ui/output.js';
import { table } from '../ui/table.js';
import type { CommandContext } from './context.js';

interface ListArgs { json: boolean }

/** One row of `labgen list`. */
export interface LabSummary { name: string; path: string; valid: boolean; nodes?: number; os?: string; cni?: string; provider?: string; description?: string; problems?: number }

/** Summaries of every lab file found. */
export function summarizeLabs(ctx: CommandContext): LabSummary[] {
  return listLabFiles().map(({ name, path }) => {
    const { lab, problems } = parseLab(readFileSync(path, 'utf8'), ctx.reg);
    if (!lab) return { name, path, valid: false, problems: problems.length };
    const r = resolveLab(lab, ctx.reg);
    return { name, path, valid: true, nodes: r.nodes.length, os: `${r.os.family} (${r.os.box})`, cni: r.cni.summary, provider: r.provider.name, description: r.description };
  });
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
        ? [l.name, String(l.nodes), l.os!, l.cni!, l.provider!, l.description ?? '']
        : [l.name, '-', '-', '-', '-', `INVALID (${l.problems} problems): labgen validate ${l.path}`]))];
      for (const line of table(rows)) ctx.output.out(line);
    },
  };
}
