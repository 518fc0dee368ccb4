// VerifyDeps wired to the real world through the injected Runner: kubectl on the host, vagrant ssh to the nodes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../capture/analyze-file.js';
import { vagrantSsh } from '../vagrant/vagrant.js';
import { firstLine, type Runner } from '../vagrant/runner.js';
import type { VerifyDeps } from './run-verify.js';
import type { Clock } from '../create/clock.js';

/** Deps for a lab directory; captures land in runDir; `progress` is the command's. */
export function hostVerifyDeps(runner: Runner, clock: Clock, labDir: string, runDir: string, progress: (line: string) => void, signal?: AbortSignal, vxlanPorts?: readonly number[]): VerifyDeps {
  const kubeconfig = join(labDir, 'kubeconfig');
  let inputs = 0;
  return {
    async kubectl(args, input, opts) {
      let argv = args;
      if (input !== undefined) {
        // The Runner feeds no stdin: hand kubectl a file in the run directory instead of `-f -`.
        const file = join(runDir, `kubectl-input-${++inputs}.yaml`);
        mkdirSync(runDir, { recursive: true });
        writeFileSync(file, input);
        argv = args.map((a) => (a === '-' ? file : a));
      }
      const r = await runner.run('kubectl', ['--kubeconfig', kubeconfig, ...argv], { signal: opts?.cleanup ? undefined : signal });
      if (r.interrupted) throw new Error('interrupted');
      // The command's own stdout stays with the error (ping prints its summary, then exits 1 when nothing answered).
      if (r.exitCode !== 0) throw Object.assign(new Error(`kubectl ${argv.join(' ')}: ${firstLine(r)}\n${r.stderr.trim()}`), { stdout: r.stdout });
      return r.stdout;
    },
    async ssh(node, command, opts) {
      const r = await vagrantSsh(runner, labDir, node, command, opts?.cleanup ? undefined : signal);
      if (r.interrupted) throw new Error('interrupted');
      if (r.exitCode !== 0) throw new Error(`vagrant ssh ${node} -c ${JSON.stringify(command)}: ${firstLine(r)}`);
      return r.stdout;
    },
    async saveCapture(point, data) {
      mkdirSync(runDir, { recursive: true });
      const path = join(runDir, `${point}.pcap`);
      writeFileSync(path, data);
      return path;
    },
    analyze: (path) => analyzeFile(path, vxlanPorts ? { vxlanPorts } : {}),
    sleep: (ms) => clock.sleep(ms, signal),
    now: () => clock.now(),
    interrupted: () => signal?.aborted ?? false,
    progress,
  };
}
