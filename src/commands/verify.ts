// `labgen verify [DIR]`: replays the article's experiment on a running lab and says whether the wire matches the CNI.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRunDir } from '../io/run-dir.js';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { VXLAN_PORTS } from '../capture/vxlan.js';
import { InterruptedError, LabgenError, UsageError } from '../errors.js';
import { readLabDir } from '../io/lab-dir.js';
import { createEngine } from '../render/engine.js';
import { realHostDeps } from '../host/deps.js';
import { hostVerifyDeps } from '../verify/host-deps.js';
import { runVerify, VerifyInterrupted, type VerifyResult } from '../verify/run-verify.js';
import { parseDuration } from '../create/timeout.js';
import { printJson } from '../ui/output.js';
import { withLabLock } from '../io/lock.js';
import type { CommandContext } from './context.js';
import { table } from '../ui/table.js';
import { printRun } from '../verify/print-run.js';
import type { RunReport } from '../verify/report.js';
import { SCENARIOS, type Scenario } from '../verify/verdict.js';

interface VerifyArgs { dir?: string; json: boolean; keep: boolean; pings: number; timeout: string; scenario: Scenario }

/** Makes a sortable, filesystem-safe run name from a date. */
export function runName(d: Date): string { return d.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z'); }

/** The verify command. */
export function verifyCommand(ctx: CommandContext): CommandModule<object, VerifyArgs> {
  return {
    command: 'verify [dir]',
    describe: 'Replay the article\'s experiment on a running lab: ping between pods on two workers, capture at A-D, explain the wire',
    builder: (y) => y
      .positional('dir', { type: 'string', describe: 'the lab directory (default: the current directory)' })
      .option('pings', { type: 'number', default: 5, describe: 'echo requests to send' })
      .option('timeout', { type: 'string', default: '5m', describe: 'how long to wait for the test pods (300, 90s, 5m), as create --timeout' })
      .option('scenario', { choices: SCENARIOS, default: 'cross-node' as Scenario, describe: 'cross-node (pods on two workers, the article), same-node (two pods on one worker: nothing at B/C), service (a ClusterIP backed by a pod on another worker: A shows the Service address, B/C/D the pod\'s)' })
      .option('keep', { type: 'boolean', default: false, describe: 'leave the test workload running afterwards' })
      .option('json', { type: 'boolean', default: false, describe: 'print the pods, per-point analysis and verdict as JSON' })
      .example('$0 verify flannel-4node', 'the article\'s lab: VXLAN UDP 8472 VNI 1 at B and C')
      .epilogue([
        'Capture points: A the source pod\'s veth, B its node\'s host-only NIC,',
        'C the destination node\'s host-only NIC, D the destination pod\'s veth.',
        'Captures: DIR/captures/<run>/A..D.pcap, with verify.json and topology.svg.',
        'Exit 1 when the wire contradicts the CNI or nothing arrived; 130 on Ctrl-C.',
      ].join('\n')) as unknown as Argv<VerifyArgs>,
    handler: async (args) => {
      // One duration format for every --timeout: a bare number is seconds, or a unit (90s, 10m), as create --timeout.
      const timeoutMs = parseDuration('timeout', args.timeout);
      const { dir, lab } = readLabDir(args.dir, ctx.reg);
      if (!existsSync(join(dir, 'kubeconfig'))) throw new UsageError(`${dir} has no kubeconfig: the lab is not running`, `run labgen create ${lab.name} --out ${dir} first`);
      if (!Number.isInteger(args.pings) || args.pings < 1 || args.pings > 100) throw new UsageError('--pings must be a whole number from 1 to 100');
      // verify writes captures into the lab directory and drives its machines: it holds the lab's lock like create.
      await withLabLock(dir, 'verify', async () => {
        const host = ctx.host ?? realHostDeps(ctx.env);
        const runDir = createRunDir(dir, runName(new Date(host.clock.now())));
        const progress = (line: string) => { if (!args.json) ctx.output.err(`verify: ${line}`); };
        const stop = new AbortController();
        const off = host.onInterrupt(() => stop.abort());
        // A lab's own VXLAN port (the CNI's encapsulation) is decoded as VXLAN besides the usual 8472 and 4789.
        const enc = lab.cni.encapsulation;
        const deps = hostVerifyDeps(host.runner, host.clock, dir, runDir, progress, stop.signal, enc.kind === 'vxlan' ? [...new Set([...VXLAN_PORTS, enc.udpPort])] : undefined);
        let result: VerifyResult;
        try {
          result = await runVerify(lab, createEngine().shared, deps, { pings: args.pings, keep: args.keep, rolloutTimeoutSeconds: Math.ceil(timeoutMs / 1000), captureSeconds: 60, scenario: args.scenario, family: ctx.reg.os.get(lab.os.family) });
        } catch (e) {
          // An unfinished run leaves no half-written capture directory behind.
          rmSync(runDir, { recursive: true, force: true });
          if (e instanceof VerifyInterrupted) throw new InterruptedError(`verify stopped: the remote captures were ended${args.keep ? '' : ' and the test workload removed'}; run labgen verify ${dir} again when ready`);
          throw e;
        } finally {
          off();
        }
        const report: RunReport = {
          kind: 'verify', lab: lab.name, dir, captures: runDir, cni: lab.cni.summary, plugin: lab.cni.plugin, encapsulation: lab.cni.encapsulation, scenario: result.scenario,
          ok: result.verdict.ok, pods: result.pods, pair: result.pair, ...(result.service ? { service: result.service } : {}), where: result.where, ifaces: result.ifaces,
          podSlices: result.podSlices, files: result.files, analyses: result.analyses, ...(result.unreadable ? { unreadable: result.unreadable } : {}), ping: result.ping, pingResult: result.pingResult, verdict: result.verdict, explanation: result.explanation, state: result.state,
        };
        writeFileSync(join(runDir, 'verify.json'), `${JSON.stringify(report, null, 2)}\n`);
        for (const x of ctx.verifyHooks ?? []) x(lab, runDir, result);
        if (args.json && result.verdict.ok) printJson(ctx.output, report);
        else if (!args.json) {
          ctx.output.out('');
          ctx.output.out('Test pods:');
          for (const line of table([['NAME', 'IP', 'NODE'], ...result.pods.map((p) => [p.name, p.ip, p.node])])) ctx.output.out(`  ${line}`);
          printRun(ctx.output, report);
        }
        if (!result.verdict.ok) throw new LabgenError('verify: the wire contradicts the lab\'s CNI, or nothing arrived', 1, `full report: ${join(runDir, 'verify.json')}`).withData(args.json ? report as unknown as Record<string, unknown> : {});
      });
    },
  };
}
