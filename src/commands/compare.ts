// `labgen compare RUN RUN...`: verify or demo runs side by side — the comparison the article announced.
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { comparisonRows, compareColumn, compareRuns } from '../compare/compare.js';
import { measureSizes, readRun } from '../compare/read-run.js';
import { comparisonSvg } from '../compare/svg.js';
import { InvalidInputError, LabgenError, UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { table } from '../ui/table.js';
import type { CommandContext } from './context.js';

interface CompareArgs { runs: string[]; json: boolean; svg?: string }

/** The compare command. */
export function compareCommand(ctx: CommandContext): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <runs..>',
    describe: 'Compare verify/demo runs side by side: CNI and mode, wire format at B/C, outer header overhead from the captured sizes, pod MTU, RTT, path, pod slices',
    builder: (y) => y
      .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'two or more run directories (<lab dir>/captures/<run>, or labgen demo --out)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' })
      .option('svg', { type: 'string', requiresArg: true, describe: 'also write the side-by-side picture to this file' })
      .example('$0 compare runs/vxlan runs/ipip runs/routed', 'three verify runs of one lab with different CNI settings') as unknown as Argv<CompareArgs>,
    handler: async (args) => {
      if (args.runs.length < 2) throw new UsageError('compare needs two or more run directories', 'pass each run directory, e.g. labgen compare A/captures/RUN B/captures/RUN');
      const read = args.runs.map((d) => ({ dir: resolve(d), ...readRun(resolve(d)) }));
      const problems = read.flatMap((r) => r.problems);
      if (problems.length) throw new InvalidInputError('compare', problems);
      const names = read.map((r) => basename(r.dir));
      const label = (i: number) => (names.filter((n) => n === names[i]).length > 1 ? `${names[i]} (${i + 1})` : names[i]!);
      const columns = [];
      for (const [i, r] of read.entries()) {
        let sizes;
        try { sizes = await measureSizes(r.dir, r.report!); } catch (e) { throw new LabgenError(`compare: reading the captures of ${r.dir} failed`, 1, (e as Error).message); }
        columns.push(compareColumn(label(i), r.report!, sizes));
      }
      const c = compareRuns(columns);
      if (args.svg) writeFileSync(resolve(args.svg), comparisonSvg(c));
      if (args.json) printJson(ctx.output, c);
      else {
        for (const line of table(comparisonRows(c))) ctx.output.out(line);
        for (const p of c.problems) ctx.output.out(`! ${p}`);
        if (args.svg) ctx.output.out(`Wrote ${resolve(args.svg)}`);
      }
      if (c.problems.length) throw new LabgenError('compare: a measured overhead contradicts its wire format', 1);
    },
  };
}
