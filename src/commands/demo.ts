// `labgen demo <lab|file>`: the article's experiment without VMs — the lab's data plane in network namespaces.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { analyzeFile } from '../capture/analyze-file.js';
import { VXLAN_PORTS } from '../capture/vxlan.js';
import { realHostDeps } from '../host/deps.js';
import { demoReadme, demoReport, printRun } from '../demo/report.js';
import { DemoInterrupted, namespacesWithPrefix, runDemo } from '../demo/run-demo.js';
import { InterruptedError, LabgenError, UsageError } from '../errors.js';
import { overlayFromVerify } from '../graph/from-verify.js';
import { layoutLab } from '../graph/layout.js';
import { toSvg } from '../graph/svg.js';
import { printJson } from '../ui/output.js';
import { SCENARIOS, type Scenario } from '../verify/verdict.js';
import type { CommandContext } from './context.js';
import { prepareLab } from '../pipeline/prepare.js';
import { runName } from './verify.js';

interface DemoArgs { lab: string; cni?: string; scenario: Scenario; pings: number; out?: string; json: boolean }

/** The demo command. */
export function demoCommand(ctx: CommandContext): CommandModule<object, DemoArgs> {
  return {
    command: 'demo <lab>',
    describe: 'Rebuild a lab\'s data plane (its addresses and CNI mode) in network namespaces as root, run the experiment, capture A-D and explain it, in seconds',
    builder: (y) => y
      .positional('lab', { type: 'string', demandOption: true, describe: 'a lab name or lab file' })
      .option('cni', { type: 'string', choices: ctx.reg.cni.names(), describe: 'use this CNI plugin instead of the lab file\'s (with its defaults)' })
      .option('scenario', { choices: SCENARIOS, default: 'cross-node' as Scenario, describe: 'cross-node (worker1 -> worker2), same-node (two pods on worker1), service (a ClusterIP DNATed to a pod on worker2)' })
      .option('pings', { type: 'number', default: 4, describe: 'echo requests (or TCP connections for service)' })
      .option('out', { type: 'string', describe: 'run directory to write (default: ./demo-runs/<lab>-<scenario>-<time>)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report (verdict, explanation, state) as JSON' })
      .epilogue([
        'This reproduces the kernel programming the CNI does on each node (devices, addresses, routes, fdb and',
        'neighbour entries, kube-proxy\'s DNAT), not Kubernetes: no API server, no kubelet, no CNI binaries.',
        'Needs Linux, root, iproute2 (ip, bridge), tcpdump, ping, and python3 for IP-in-IP without the ipip module',
        'and for the service scenario. Every address lives in namespaces named lgdXXXXXX-*, removed on any exit.',
      ].join('\n')) as unknown as Argv<DemoArgs>,
    handler: async (args) => {
      const { lab } = prepareLab(args.lab, { cni: args.cni }, ctx.reg);
      const plugin = ctx.reg.cni.require(lab.cni.plugin);
      if (!plugin.dataplane) throw new UsageError(`CNI plugin ${plugin.name} does not describe its data plane, so demo cannot rebuild it`, `use one of [${ctx.reg.cni.all().filter((p) => p.dataplane).map((p) => p.name).join(', ')}]`);
      if (lab.cni.encapsulation.kind === 'wireguard') throw new UsageError(`demo does not rebuild ${lab.cni.summary}: WireGuard needs keys and a wireguard device`, 'use the vxlan or host-gw backend');
      if (!Number.isInteger(args.pings) || args.pings < 1 || args.pings > 100) throw new UsageError('--pings must be a whole number from 1 to 100');
      if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new UsageError('demo needs Linux and root: it creates network namespaces', `run it as root: sudo npx labgen demo ${args.lab}`);
      const host = ctx.host ?? realHostDeps(ctx.env);
      for (const [tool, why] of [['ip', 'iproute2'], ['bridge', 'iproute2'], ['tcpdump', 'tcpdump'], ['ping', 'iputils-ping'], ...((lab.cni.encapsulation.kind === 'ipip' || args.scenario === 'service') ? [['python3', 'python3']] : []), ...(args.scenario === 'service' ? [['iptables', 'iptables']] : [])] as const) {
        const r = await host.runner.run('sh', ['-c', `command -v ${tool}`]);
        if (r.exitCode !== 0) throw new UsageError(`demo needs ${tool}, which is not on PATH`, `install it (apt hosts: apt-get install ${why})`);
      }
      const outDir = resolve(args.out ?? join('demo-runs', `${lab.name}-${args.scenario}-${runName(new Date())}`));
      if (existsSync(outDir) && readdirSync(outDir).length) throw new UsageError(`${outDir} exists and is not empty`, 'pass --out with a new directory');
      mkdirSync(outDir, { recursive: true });
      const prefix = `lgd${randomBytes(3).toString('hex')}`;
      const stop = new AbortController();
      const off = host.onInterrupt(() => stop.abort());
      const progress = (line: string) => { if (!args.json) ctx.output.err(`demo: ${line}`); };
      const enc = lab.cni.encapsulation;
      const ports = enc.kind === 'vxlan' ? [...new Set([...VXLAN_PORTS, enc.udpPort])] : undefined;
      let report;
      try {
        const result = await runDemo(lab, plugin.dataplane(lab), { runner: host.runner, progress, signal: stop.signal, outDir, prefix, analyze: (f) => analyzeFile(f, ports ? { vxlanPorts: ports } : {}) }, { scenario: args.scenario, pings: args.pings });
        result.leftovers = await namespacesWithPrefix(host.runner, prefix);
        report = demoReport(lab, args.lab, outDir, result);
      } catch (e) {
        const left = await namespacesWithPrefix(host.runner, prefix);
        rmSync(outDir, { recursive: true, force: true });
        if (left.length) throw new LabgenError(`demo: namespaces ${left.join(', ')} could not be removed`, 1, 'remove them with: ip netns del NAME');
        if (e instanceof DemoInterrupted || stop.signal.aborted) throw new InterruptedError(`demo stopped: namespaces ${prefix}-* removed, nothing left behind`);
        throw e;
      } finally {
        off();
      }
      if (report.leftovers.length) throw new LabgenError(`demo: namespaces ${report.leftovers.join(', ')} could not be removed`, 1, 'remove them with: ip netns del NAME');
      writeFileSync(join(outDir, 'demo.json'), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(outDir, 'README.md'), demoReadme(report));
      writeFileSync(join(outDir, 'topology.svg'), toSvg(layoutLab(lab, overlayFromVerify(lab, report))));
      if (args.json) printJson(ctx.output, report);
      else printRun(ctx.output, report);
      if (!report.ok) throw new LabgenError('demo: the captures contradict what the CNI should put on the wire', 1, `full report: ${join(outDir, 'demo.json')}`);
    },
  };
}
