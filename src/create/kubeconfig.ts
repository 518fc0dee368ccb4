// Fetches the control plane's admin.conf into <dir>/kubeconfig (0600), pointed at its host-only address. Never printed.
import { join } from 'node:path';
import { commitUpdate } from '../io/journal.js';
import { StepFailedError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { redactText } from '../vagrant/redact.js';
import type { Runner } from '../vagrant/runner.js';
import { vagrantSsh } from '../vagrant/vagrant.js';

/** Where the lab's kubeconfig lives. */
export function kubeconfigPath(dir: string): string { return join(dir, 'kubeconfig'); }

/** Points every `server:` of a kubeconfig at the API's host-only address. */
export function pointAtHostOnly(text: string, lab: ResolvedLab): string {
  return text.replace(/^(\s*server:\s*).*$/gm, `$1https://${lab.kubernetes.apiServerAddress}:${lab.kubernetes.apiServerPort}`);
}

/** Copies admin.conf from the control plane; throws StepFailedError (without the file's content) on failure. */
export async function fetchKubeconfig(runner: Runner, dir: string, lab: ResolvedLab, signal?: AbortSignal): Promise<string> {
  const cp = lab.controlPlane.name;
  const r = await vagrantSsh(runner, dir, cp, 'sudo cat /etc/kubernetes/admin.conf', signal);
  if (r.exitCode !== 0 || !/^\s*clusters:/m.test(r.stdout) || !/^\s*server:/m.test(r.stdout)) {
    // stderr only, redacted: stdout may hold key material.
    throw new StepFailedError('fetching the kubeconfig (vagrant ssh ... sudo cat /etc/kubernetes/admin.conf)', cp, undefined, redactText(r.stderr.trim()).split('\n').slice(-5).join('\n') || 'no kubeconfig in the output');
  }
  // Staged in labgen's private directory and renamed into place: never written through a planted symlink.
  commitUpdate(dir, { write: [{ path: 'kubeconfig', content: pointAtHostOnly(r.stdout, lab), mode: 0o600 }], remove: [] });
  return kubeconfigPath(dir);
}
