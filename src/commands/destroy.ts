// `labgen destroy [DIR] [--purge]`: `vagrant destroy -f` for every VM in parallel; the directory goes only with --purge.
import { rmSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, StepFailedError } from '../errors.js';
import { realHostDeps } from '../create/deps.js';
import { kubeconfigPath } from '../create/kubeconfig.js';
import { readLabDir } from '../io/lab-dir.js';
import { openNodeLog } from '../create/node-log.js';
import { forgetNodes } from '../create/node-state.js';
import { printJson } from '../ui/output.js';
import type { RunResult } from '../vagrant/runner.js';
import { vagrantDestroy } from '../vagrant/vagrant.js';
import type { CommandContext } from './context.js';

interface DestroyArgs { dir: string; purge: boolean; json: boolean }

/** The destroy command. */
export function destroyCommand(ctx: CommandContext): CommandModule<object, DestroyArgs> {
  return {
    command: 'destroy [dir]',
    describe: 'Destroy every VM of a lab (in parallel); --purge also removes the lab directory',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('purge', { type: 'boolean', default: false, describe: 'also remove the lab directory (logs, kubeconfig, secrets)' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }) as unknown as Argv<DestroyArgs>,
    handler: async (args) => {
      const deps = ctx.host ?? realHostDeps(ctx.env);
      const { dir, lab } = readLabDir(args.dir);
      const provider = ctx.reg.providers.require(lab.provider.name);
      const interrupt = new AbortController();
      const off = deps.onInterrupt(() => interrupt.abort());
      const results = new Map<string, RunResult>();
      try {
        const one = async (machines: string[], logName: string) => {
          const log = openNodeLog(dir, logName, `labgen destroy ${machines.join(' ')}`, []);
          try {
            const r = await vagrantDestroy(deps.runner, dir, machines, provider.bringUp === 'vagrant-parallel', { signal: interrupt.signal, onLine: (l) => log.write(l) });
            for (const m of machines) results.set(m, r);
          } finally { log.close(); }
        };
        if (provider.bringUp === 'vagrant-parallel') await one(lab.nodes.map((n) => n.name), 'destroy');
        else await Promise.all(lab.nodes.map((n) => one([n.name], n.name)));
      } finally { off(); }
      if (interrupt.signal.aborted) throw new InterruptedError(`some VMs may remain; run labgen destroy ${dir} again`);
      const bad = [...results].filter(([, r]) => r.exitCode !== 0);
      if (bad.length) {
        const [name, r] = bad[0]!;
        throw new StepFailedError('vagrant destroy', bad.map(([n]) => n).join(', '), `${dir}/logs/${provider.bringUp === 'vagrant-parallel' ? 'destroy' : name}.log`, r.notFound ? 'vagrant is not on PATH' : r.stderr.trim().split('\n').slice(-5).join('\n'));
      }
      forgetNodes(dir);
      rmSync(kubeconfigPath(dir), { force: true });
      if (args.purge) rmSync(dir, { recursive: true, force: true });
      if (args.json) printJson(ctx.output, { lab: lab.name, dir, destroyed: lab.nodes.map((n) => n.name), purged: args.purge });
      else ctx.output.out(`Destroyed ${lab.nodes.length} VMs of ${lab.name}${args.purge ? ` and removed ${dir}` : ` (files kept in ${dir}; --purge removes them)`}`);
    },
  };
}
