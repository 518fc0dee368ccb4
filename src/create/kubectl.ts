// Reads the cluster with kubectl on the host (through the Runner), using the lab's own kubeconfig.
import type { CniReadiness } from '../cni/types.js';
import type { Runner } from '../vagrant/runner.js';
import { firstLine } from '../vagrant/runner.js';
import type { K8sCondition, K8sDaemonSet, K8sEvent, K8sList, K8sNode, K8sPod } from './k8s-types.js';
import { readinessNamespaces, type ClusterSnapshot } from './readiness.js';

/** Runs `kubectl --kubeconfig <file> <args> -o json` and parses it. */
export async function kubectlJson<T>(runner: Runner, kubeconfig: string, args: string[], signal?: AbortSignal): Promise<{ value?: T; error?: string }> {
  const r = await runner.run('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args, '-o', 'json'], { signal });
  if (r.exitCode !== 0) return { error: r.notFound ? 'kubectl is not on PATH (install kubectl: https://kubernetes.io/docs/tasks/tools/)' : firstLine(r) };
  try { return { value: JSON.parse(r.stdout) as T }; } catch { return { error: `kubectl ${args.join(' ')} printed no JSON` }; }
}

/** One probe of everything readiness looks at. */
export async function snapshotCluster(runner: Runner, kubeconfig: string, cni: CniReadiness, signal?: AbortSignal): Promise<ClusterSnapshot> {
  const nodes = await kubectlJson<K8sList<K8sNode>>(runner, kubeconfig, ['get', 'nodes'], signal);
  if (nodes.error !== undefined) return { apiError: nodes.error, nodes: [], pods: [], daemonSets: [], conditions: [] };
  const pods: K8sPod[] = [];
  for (const ns of readinessNamespaces(cni)) {
    if (signal?.aborted) break;
    const r = await kubectlJson<K8sList<K8sPod>>(runner, kubeconfig, ['get', 'pods', '-n', ns], signal);
    for (const p of r.value?.items ?? []) pods.push({ ...p, metadata: { ...p.metadata, namespace: p.metadata.namespace ?? ns } });
  }
  const daemonSets: ClusterSnapshot['daemonSets'] = [];
  for (const d of cni.daemonSets) {
    const r = await kubectlJson<K8sDaemonSet>(runner, kubeconfig, ['get', 'daemonset', '-n', d.namespace, d.name], signal);
    daemonSets.push({ ...d, ds: r.value, error: r.error });
  }
  const conditions: ClusterSnapshot['conditions'] = [];
  for (const c of cni.conditions ?? []) {
    const r = await kubectlJson<{ status?: { conditions?: K8sCondition[] } }>(runner, kubeconfig, ['get', c.resource, c.name], signal);
    conditions.push({ ...c, value: r.value?.status?.conditions?.find((x) => x.type === c.condition), error: r.error });
  }
  return { nodes: nodes.value?.items ?? [], pods, daemonSets, conditions };
}

/** Recent events of every namespace (for explaining a timeout). */
export async function recentEvents(runner: Runner, kubeconfig: string, signal?: AbortSignal): Promise<K8sEvent[]> {
  const r = await kubectlJson<K8sList<K8sEvent>>(runner, kubeconfig, ['get', 'events', '--all-namespaces'], signal);
  return r.value?.items ?? [];
}
