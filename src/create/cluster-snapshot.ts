// One probe of everything readiness looks at, read with host kubectl: nodes, the namespaces' pods, CNI DaemonSets, conditions.
import type { CniReadiness } from '../cni/types.js';
import type { K8sCondition, K8sDaemonSet, K8sList, K8sNode, K8sPod } from '../host/k8s-types.js';
import { kubectlJson } from '../host/kubectl.js';
import type { Runner } from '../host/process.js';
import { readinessNamespaces, type ClusterSnapshot } from './readiness.js';

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
