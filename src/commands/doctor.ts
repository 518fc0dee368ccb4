// `labgen doctor [lab|file|DIR]`: every host check for a lab (or the provider's tools), each with pass/fail and the fix.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { realHostDeps } from '../host/deps.js';
import { isLabDir, readLabDir } from '../io/lab-dir.js';
import { failed, formatChecks, HostCheckError } from '../doctor/check.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { vagrantHome } from '../io/vagrant-index.js';
import type { ResolvedLab } from '../lab/types.js';
import { printJson } from '../ui/output.js';
import type { CommandContext } from './context.js';
import { prepareLab } from '../pipeline/prepare.js';

interface DoctorArgs { lab?: string; provider?: string; cni?: string; out?: string; json: boolean }

/** The doctor command. */
export function doctorCommand(ctx: CommandContext): CommandModule<object, DoctorArgs> {
  return {
    command: 'doctor [lab]',
    describe: `Check this host for a lab: vagrant, the provider's tools (${ctx.reg.providers.names().join(', ')}), versions, networks, memory, CPUs, disk`,
    builder: (y) => y
      .positional('lab', { type: 'string', describe: 'a lab name, lab file or lab directory (without one: only the provider\'s tools)' })
      .option('provider', { type: 'string', choices: ctx.reg.providers.names(), describe: 'check for this provider instead of the lab\'s' })
      .option('cni', { type: 'string', choices: ctx.reg.cni.names(), describe: 'as `create --cni`' })
      .option('out', { alias: 'o', type: 'string', describe: 'where the lab directory would go (for the disk check)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the checks as JSON' }) as unknown as Argv<DoctorArgs>,
    handler: async (args) => {
      const deps = ctx.host ?? realHostDeps(ctx.env);
      let lab: ResolvedLab | undefined;
      let dir = resolve(args.out ?? '.');
      if (args.lab !== undefined && isLabDir(args.lab)) ({ lab, dir } = readLabDir(args.lab, ctx.reg));
      else if (args.lab !== undefined) { lab = prepareLab(args.lab, { provider: args.provider, cni: args.cni }, ctx.reg).lab; dir = resolve(args.out ?? lab.name); }
      const provider = args.provider ?? lab?.provider.name ?? ctx.reg.providers.first().name;
      const checks = await runDoctor({ provider, lab, dir, runner: deps.runner, probe: deps.probe, reg: ctx.reg, vagrantHome: vagrantHome(ctx.env) });
      const bad = failed(checks);
      const result = { lab: lab?.name, provider, ok: bad.length === 0, checks };
      // With --json a failure is one document, printed by the CLI's catch with these fields and the error.
      if (args.json && bad.length) throw new HostCheckError(checks, 'fix the failed checks, then run labgen doctor again', true).withData(result);
      if (args.json) printJson(ctx.output, result);
      else {
        ctx.output.out(`labgen doctor: ${lab ? `lab ${lab.name}, ` : ''}provider ${provider}`);
        for (const l of formatChecks(checks)) ctx.output.out(l);
      }
      if (bad.length) throw new HostCheckError(checks, 'fix the failed checks above, then run labgen doctor again', true);
      if (!args.json) ctx.output.out('all checks passed');
    },
  };
}
