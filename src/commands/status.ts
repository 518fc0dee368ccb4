// `labgen status [DIR]`: each VM's state from vagrant and, when the API answers, the node table.
import type { Argv, CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import { StepFailedError } from '../errors.js';
import { realHostDeps } from '../host/deps.js';
import type { K8sList, K8sNode } from '../host/k8s-types.js';
import { kubeconfigPath } from '../create/kubeconfig.js';
import { kubectlJson } from '../host/kubectl.js';
import { readLabDir } from '../io/lab-dir.js';
import { isProvisioned } from '../create/node-state.js';
import { nodeTable } from '../create/tables.js';
import { printJson } from '../ui/output.js';
import { firstLine } from '../host/process.js';
import { vagrantStatus } from '../vagrant/vagrant.js';
import type { CommandContext } from './context.js';
import { table } from '../ui/table.js';

interface StatusArgs { dir: string; json: boolean }

/** The status command. */
export function statusCommand(ctx: CommandContext): CommandModule<object, StatusArgs> {
  return {
    command: 'status [dir]',
    describe: 'Show each VM\'s state and, when the API answers, the cluster\'s nodes',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('json', { type: 'boolean', default: false, describe: 'print the status as JSON' }) as unknown as Argv<StatusArgs>,
    handler: async (args) => {
      const deps = ctx.host ?? realHostDeps(ctx.env);
      const { dir, lab } = readLabDir(args.dir, ctx.reg);
      const o = ctx.output;
      const st = await vagrantStatus(deps.runner, dir);
      if (st.result.exitCode !== 0) throw new StepFailedError('vagrant status', undefined, undefined, st.result.notFound ? 'vagrant is not on PATH (labgen doctor)' : firstLine(st.result));
      const vms = lab.nodes.map((n) => ({ name: n.name, ip: n.ip, state: st.states.get(n.name)?.state ?? 'unknown', provisioned: isProvisioned(dir, n.name) }));
      const kc = kubeconfigPath(dir);
      const anyRunning = vms.some((v) => v.state === 'running');
      const api = existsSync(kc) && anyRunning ? await kubectlJson<K8sList<K8sNode>>(deps.runner, kc, ['get', 'nodes']) : undefined;
      if (args.json) {
        printJson(o, { lab: lab.name, dir, vms, api: api ? (api.error ? { answering: false, error: api.error } : { answering: true, nodes: api.value?.items.map((n) => ({ name: n.metadata.name, ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' })) }) : { answering: false, error: existsSync(kc) ? 'no VM running' : 'no kubeconfig yet' } });
        return;
      }
      o.out(`${lab.name} in ${dir}`);
      for (const l of table([['VM', 'STATE', 'PROVISIONED', 'HOST-ONLY IP'], ...vms.map((v) => [v.name, v.state, v.provisioned ? 'yes' : 'no', v.ip])])) o.out(`  ${l}`);
      o.out('');
      if (!api) { o.out(existsSync(kc) ? 'API: no VM is running' : 'API: no kubeconfig yet (labgen create writes it)'); return; }
      if (api.error) { o.out(`API: not answering: ${api.error}`); return; }
      for (const l of nodeTable(lab, api.value?.items ?? [], deps.clock.now())) o.out(`  ${l}`);
    },
  };
}
