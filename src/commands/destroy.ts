// `labgen destroy [DIR] [--purge]`: `vagrant destroy -f` for every VM that exists, in parallel; with --purge also
// labgen's own files (never the user's). It reports what really existed and was destroyed, from `vagrant status`.
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, StepFailedError } from '../errors.js';
import { realHostDeps } from '../host/deps.js';
import { kubeconfigPath } from '../create/kubeconfig.js';
import { checkLabShape, readLabDir } from '../io/lab-dir.js';
import { withLabLock } from '../io/lock.js';
import { checkInLab } from '../io/safe-path.js';
import { purgeLab, type PurgeResult } from '../io/purge.js';
import { openNodeLog } from '../create/node-log.js';
import { forgetNodes } from '../create/node-state.js';
import { printJson } from '../ui/output.js';
import type { RunResult } from '../host/process.js';
import { vagrantDestroy, vagrantStatus } from '../vagrant/vagrant.js';
import type { CommandContext } from './context.js';
import { rmSync } from 'node:fs';

interface DestroyArgs { dir: string; purge: boolean; json: boolean }

/** The destroy command. */
export function destroyCommand(ctx: CommandContext): CommandModule<object, DestroyArgs> {
  return {
    command: 'destroy [dir]',
    describe: 'Destroy every VM of a lab (in parallel); --purge also removes the files labgen wrote (never yours)',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('purge', { type: 'boolean', default: false, describe: 'also remove what labgen wrote: its rendered files (unless you changed them), secrets, logs, captures, kubeconfig, .vagrant, .labgen; the directory goes only if nothing of yours is left' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }) as unknown as Argv<DestroyArgs>,
    handler: async (args) => {
      const deps = ctx.host ?? realHostDeps(ctx.env);
      const { dir, lab } = readLabDir(args.dir, ctx.reg);
      const provider = ctx.reg.providers.require(lab.provider.name);
      const parallel = provider.bringUp === 'vagrant-parallel';
      await withLabLock(dir, 'destroy', async () => {
        // What exists, as vagrant sees it: only those machines are destroyed and reported.
        const st = await vagrantStatus(deps.runner, dir);
        const known = st.result.exitCode === 0;
        const existing = lab.nodes.map((n) => n.name).filter((n) => !known || (st.states.get(n)?.state ?? 'not_created') !== 'not_created');
        // Every log this run may write is checked before any VM is touched (a planted symlink stops it here).
        for (const name of [...existing, 'destroy']) checkInLab(dir, `logs/${name}.log`, 'file');
        const interrupt = new AbortController();
        const off = deps.onInterrupt(() => interrupt.abort());
        const results = new Map<string, RunResult>();
        try {
          const one = async (machines: string[], logName: string, inParallel = parallel, header = `labgen destroy ${machines.join(' ')}`) => {
            const log = openNodeLog(dir, logName, header, []);
            try {
              const r = await vagrantDestroy(deps.runner, dir, machines, inParallel, { signal: interrupt.signal, onLine: (l) => log.write(l) });
              for (const m of machines) results.set(m, r);
            } finally { log.close(); }
          };
          if (existing.length === 0) { /* nothing to destroy */ } else if (parallel) {
            await one(existing, 'destroy');
            // A parallel destroy that failed is retried one machine at a time, for the machines still there: in the
            // real-VM test (test-vm/) the provider's Vagrant plugin failed one machine of a parallel destroy with
            // "constant ...::Action::ProvisionerCleanup not defined" (its destroy action resolves an autoloaded
            // constant of Vagrant's from several threads at once, under Vagrant 2.3.4), while the other went.
            if ([...results.values()].some((r) => r.exitCode !== 0) && !interrupt.signal.aborted) {
              const again = await vagrantStatus(deps.runner, dir);
              const left = again.result.exitCode === 0 ? existing.filter((n) => (again.states.get(n)?.state ?? 'not_created') !== 'not_created') : existing;
              for (const n of existing) if (!left.includes(n)) results.set(n, { ...results.get(n)!, exitCode: 0 });
              for (const n of left) {
                if (interrupt.signal.aborted) break;
                await one([n], 'destroy', false, `labgen destroy ${n} (again, alone: the parallel destroy failed for it)`);
              }
            }
          } else await Promise.all(existing.map((n) => one([n], n)));
        } finally { off(); }
        if (interrupt.signal.aborted) throw new InterruptedError(`some VMs may remain; run labgen destroy ${dir} again`);
        const bad = [...results].filter(([, r]) => r.exitCode !== 0);
        if (bad.length) {
          const [name, r] = bad[0]!;
          throw new StepFailedError('vagrant destroy', bad.map(([n]) => n).join(', '), `${dir}/logs/${parallel ? 'destroy' : name}.log`, r.notFound ? 'vagrant is not on PATH' : r.stderr.trim().split('\n').slice(-5).join('\n'));
        }
        checkLabShape(dir);
        forgetNodes(dir);
        rmSync(kubeconfigPath(dir), { force: true });
        const purged: PurgeResult | undefined = args.purge ? purgeLab(dir) : undefined;
        const notCreated = lab.nodes.map((n) => n.name).filter((n) => !existing.includes(n));
        if (args.json) {
          printJson(ctx.output, { lab: lab.name, dir, destroyed: existing, notCreated, stateKnown: known, purged: Boolean(purged), removed: purged?.removed ?? [], keptChanged: purged?.changed ?? [], left: purged?.left ?? [], dirRemoved: purged?.dirRemoved ?? false });
          return;
        }
        const o = ctx.output;
        if (existing.length === 0) o.out(`No VM of ${lab.name} existed: nothing to destroy`);
        else o.out(`Destroyed ${existing.length} VM${existing.length === 1 ? '' : 's'} of ${lab.name}: ${existing.join(', ')}${known ? '' : ' (vagrant status failed, so every VM was asked)'}${notCreated.length ? ` (${notCreated.join(', ')} did not exist)` : ''}`);
        if (!purged) { o.out(`  files kept in ${dir} (--purge removes what labgen wrote)`); return; }
        if (purged.dirRemoved) { o.out(`  removed ${dir} (only labgen's files were in it)`); return; }
        o.out(`  removed labgen's files from ${dir}; kept ${dir} because it holds files labgen did not write${purged.changed.length ? ' or that you changed' : ''}:`);
        for (const p of [...purged.changed.map((c) => `${c} (changed by you)`), ...purged.left.filter((l) => !purged.changed.includes(l))].slice(0, 20)) o.out(`    ${p}`);
      });
    },
  };
}
