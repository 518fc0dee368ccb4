// Runs host kubectl (through the Runner) against a lab's own kubeconfig and parses its JSON; shared by create, status, logs.
import type { Runner } from './process.js';
import { firstLine } from './process.js';
import type { K8sEvent, K8sList } from './k8s-types.js';

/** Runs `kubectl --kubeconfig <file> <args> -o json` and parses it. */
export async function kubectlJson<T>(runner: Runner, kubeconfig: string, args: string[], signal?: AbortSignal): Promise<{ value?: T; error?: string }> {
  const r = await runner.run('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args, '-o', 'json'], { signal });
  if (r.exitCode !== 0) return { error: r.notFound ? 'kubectl is not on PATH (install kubectl: https://kubernetes.io/docs/tasks/tools/)' : firstLine(r) };
  try { return { value: JSON.parse(r.stdout) as T }; } catch { return { error: `kubectl ${args.join(' ')} printed no JSON` }; }
}

/** Recent events of every namespace (for explaining a timeout). */
export async function recentEvents(runner: Runner, kubeconfig: string, signal?: AbortSignal): Promise<K8sEvent[]> {
  const r = await kubectlJson<K8sList<K8sEvent>>(runner, kubeconfig, ['get', 'events', '--all-namespaces'], signal);
  return r.value?.items ?? [];
}
