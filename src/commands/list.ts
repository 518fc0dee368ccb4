// `labgen list [--json]`: the labs in ./labs and labgen's own labs/, with nodes, OS, CNI and description.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { labDirs, listLabFiles } from '../lab/load.js';
import { parseLab } from '../lab/parse.js';
import { resolveLab } from '../lab/resolve.js';
import { printJson } from '../ui/output.js';
import { table } from '../ui/table.js';
import type { CommandContext } from './context.js';

interface ListArgs { json: boolean }

/** One row of `labgen list`. */
export interface LabSummary { name: string; path: string; valid: boolean; nodes?: number; os?: string; cni?: string; provider?: string; description?: string; problems?: number; shadows?: string }

/** Shipped labs that a lab of the same name in ./labs hides, by name: the path of the hidden one. */
function shadowed(): Map<string, string> {
  const [first, ...rest] = labDirs();
  const out = new Map<string, string>();
  if (!first || rest.length === 0) return out;
  const hidden = new Map(listLabFiles(rest).map((l) => [l.name, l.path]));
  for (const l of listLabFiles([first])) { const h = hidden.get(l.name); if (h) out.set(l.name, h); }
  return out;
}

/** Summaries of every lab file found. */
export function summarizeLabs(ctx: CommandContext): LabSummary[] {
  const hides = shadowed();
  return listLabFiles().map(({ name, path }) => {
    const shadows = hides.get(name);
    const { lab, problems } = parseLab(readFileSync(path, 'utf8'), ctx.reg);
    if (!lab) return { name, path, valid: false, problems: problems.length, shadows };
    const r = resolveLab(lab, ctx.reg);
    return { name, path, valid: true, nodes: r.nodes.length, os: `${r.os.family} (${r.os.box})`, cni: r.cni.summary, provider: r.provider.name, description: r.description, shadows };
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
        : [l.name, '-', '-', '-', '-', `INVALID (${l.problems} problem${l.problems === 1 ? '' : 's'}): labgen validate ${l.path}`]))];
      for (const line of table(rows)) ctx.output.out(line);
      for (const l of labs) if (l.shadows) ctx.output.out(`note: ${l.path} hides the shipped lab ${l.name} (${l.shadows}); rename yours to use both`);
    },
  };
}
