// `labgen validate <lab|file> [--json]`: every problem at once; exit 2 when invalid.
import type { Argv, CommandModule } from 'yargs';
import { InvalidInputError } from '../errors.js';
import { printJson } from '../ui/output.js';
import type { CommandContext } from './context.js';
import { prepareLab } from '../pipeline/prepare.js';

interface ValidateArgs { lab: string; json: boolean; cni?: string; provider?: string }

/** The validate command. */
export function validateCommand(ctx: CommandContext): CommandModule<object, ValidateArgs> {
  return {
    command: 'validate <lab>',
    describe: 'Check a lab file against the schema and every cross-field rule; exit 2 with every problem when invalid',
    builder: (y) => y
      .positional('lab', { type: 'string', demandOption: true, describe: 'a lab name or the path of a lab file' })
      .option('cni', { type: 'string', choices: ctx.reg.cni.names(), describe: 'validate with this CNI plugin instead' })
      .option('provider', { type: 'string', choices: ctx.reg.providers.names(), describe: 'validate for this provider instead' })
      .option('json', { type: 'boolean', default: false, describe: 'print {valid, problems[]} as JSON' })
      .example('$0 validate labs/my-lab.yaml', 'every problem at once, as path (line): message, with the fix') as unknown as Argv<ValidateArgs>,
    handler: (args) => {
      try {
        const p = prepareLab(args.lab, { cni: args.cni, provider: args.provider }, ctx.reg);
        if (args.json) printJson(ctx.output, { valid: true, lab: p.lab.name, source: p.path, problems: [], notices: p.notices });
        else ctx.output.out(`${p.path}: valid (${p.lab.nodes.length} nodes, ${p.lab.cni.summary}, ${p.lab.provider.name})`);
      } catch (e) {
        // With --json the CLI's catch prints one document: these fields beside the error.
        if (args.json && e instanceof InvalidInputError) throw e.withData({ valid: false, source: e.source, problems: e.problems });
        throw e;
      }
    },
  };
}
