// Fetches the control plane's admin.conf into <dir>/kubeconfig (0600), pointed at its host-only address. Never printed.
import { join } from 'node:path';
import { commitUpdate } from '../io/journal.js';
import { StepFailedError } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { redactText } from '../vagrant/redact.js';
import type { Runner } from '../host/process.js';
import { vagrantSsh } from '../vagrant/vagrant.js';

/** Where the lab's kubeconfig lives. */
export function kubeconfigPath(dir: string): string { return join(dir, 'kubeconfig'); }

/** Points every `server:` of a kubeconfig at the API's host-only address. */
export function pointAtHostOnly(text: string, lab: ResolvedLab): string {
  return text.replace(/^(\s*server:\s*).*$/gm, `$1https://${lab.kubernetes.apiServerAddress}:${lab.kubernetes.apiServerPort}`);
}

/** Markers around admin.conf in `vagrant ssh`'s output. Vagrant prints its own lines on the same stdout: seen with
 * real Vagrant 2.3.4 (the real-VM test), every `vagrant ssh` to a machine whose address ends in .1 (the article's
 * master, 10.0.0.1) first prints `==> master: You assigned a static IP ending in ".1" ...`, which made the saved
 * kubeconfig unreadable. Only what lies between the markers is the file. */
const BEGIN = 'LABGEN-KUBECONFIG-BEGIN';
const END = 'LABGEN-KUBECONFIG-END';

/** The file between the markers of `vagrant ssh`'s stdout, or undefined when they are missing. */
export function betweenMarkers(stdout: string): string | undefined {
  const m = /^LABGEN-KUBECONFIG-BEGIN\r?\n([\s\S]*?)^LABGEN-KUBECONFIG-END\r?$/m.exec(stdout);
  return m ? m[1]!.replace(/\r\n/g, '\n') : undefined;
}

/** Copies admin.conf from the control plane; throws StepFailedError (without the file's content) on failure. */
export async function fetchKubeconfig(runner: Runner, dir: string, lab: ResolvedLab, signal?: AbortSignal): Promise<string> {
  const cp = lab.controlPlane.name;
  const r = await vagrantSsh(runner, dir, cp, `echo ${BEGIN}; sudo cat /etc/kubernetes/admin.conf && echo ${END}`, signal);
  const text = betweenMarkers(r.stdout) ?? '';
  if (r.exitCode !== 0 || !/^\s*clusters:/m.test(text) || !/^\s*server:/m.test(text)) {
    // stderr only, redacted: stdout may hold key material.
    throw new StepFailedError('fetching the kubeconfig (vagrant ssh ... sudo cat /etc/kubernetes/admin.conf)', cp, undefined, redactText(r.stderr.trim()).split('\n').slice(-5).join('\n') || 'no kubeconfig in the output');
  }
  // Staged in labgen's private directory and renamed into place: never written through a planted symlink.
  commitUpdate(dir, { write: [{ path: 'kubeconfig', content: pointAtHostOnly(text, lab), mode: 0o600 }], remove: [] });
  return kubeconfigPath(dir);
}
