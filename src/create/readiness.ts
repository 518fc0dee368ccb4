// Decides whether a cluster is Ready the way the article means it, from kubectl's JSON. Pure.
import type { ResolvedLab } from '../lab/types.js';
import type { CniReadiness } from '../cni/types.js';
import type { K8sCondition, K8sDaemonSet, K8sNode, K8sPod } from '../host/k8s-types.js';

/** What kubectl returned in one probe. */
export interface ClusterSnapshot {
  /** Set when the API server did not answer (kubectl's own message). */
  apiError?: string;
  nodes: K8sNode[];
  /** kube-system's pods and the CNI DaemonSets' namespaces' pods. */
  pods: K8sPod[];
  daemonSets: { namespace: string; name: string; ds?: K8sDaemonSet; error?: string }[];
  conditions: { resource: string; name: string; condition: string; value?: K8sCondition; error?: string }[];
}

/** One thing that is not ready, and why. */
export interface NotReady { kind: 'API' | 'Node' | 'Pod' | 'DaemonSet' | 'Condition'; namespace?: string; name: string; reason: string }

/** The lab node a Kubernetes node is (kubeadm registers nodes under their hostname). */
export function labNodeFor(lab: ResolvedLab, k8sName: string) {
  return lab.nodes.find((n) => n.hostname === k8sName || n.name === k8sName);
}

/** The node's address of a type. */
export function nodeAddress(n: K8sNode, type: string): string | undefined {
  return n.status?.addresses?.find((a) => a.type === type)?.address;
}

function condition(list: K8sCondition[] | undefined, type: string): K8sCondition | undefined { return list?.find((c) => c.type === type); }

/** Why a pod is not Running and ready, or undefined when it is. */
export function podProblem(p: K8sPod): string | undefined {
  const phase = p.status?.phase ?? 'Unknown';
  const waiting = p.status?.containerStatuses?.map((c) => c.state?.waiting ? `${c.name}: ${c.state.waiting.reason ?? 'waiting'}${c.state.waiting.message ? ` (${c.state.waiting.message})` : ''}` : undefined).filter(Boolean) ?? [];
  if (phase !== 'Running') return `${phase}${waiting.length ? `; ${waiting.join('; ')}` : ''}${p.spec?.nodeName ? '' : '; not scheduled'}`;
  const statuses = p.status?.containerStatuses ?? [];
  const notReady = statuses.filter((c) => !c.ready);
  if (statuses.length === 0 || notReady.length) return `Running but not ready: ${notReady.map((c) => c.name).join(', ') || 'no container status'}${waiting.length ? `; ${waiting.join('; ')}` : ''}`;
  return undefined;
}

/** Every reason the cluster is not Ready yet; empty means Ready. */
export function evaluateReadiness(lab: ResolvedLab, s: ClusterSnapshot): NotReady[] {
  if (s.apiError !== undefined) return [{ kind: 'API', name: `${lab.kubernetes.apiServerAddress}:${lab.kubernetes.apiServerPort}`, reason: s.apiError }];
  const out: NotReady[] = [];
  for (const node of lab.nodes) {
    const k = s.nodes.find((n) => labNodeFor(lab, n.metadata.name) === node);
    if (!k) { out.push({ kind: 'Node', name: node.hostname, reason: 'not registered: it has not joined the cluster' }); continue; }
    const ready = condition(k.status?.conditions, 'Ready');
    if (ready?.status !== 'True') out.push({ kind: 'Node', name: k.metadata.name, reason: `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` (${ready.reason})` : ''}${ready?.message ? `: ${ready.message}` : ''}` });
    const ip = nodeAddress(k, 'InternalIP');
    if (ip !== node.ip) out.push({ kind: 'Node', name: k.metadata.name, reason: `InternalIP is ${ip ?? 'unset'}, not its host-only address ${node.ip} (kubelet --node-ip)` });
  }
  const kubeSystem = s.pods.filter((p) => p.metadata.namespace === 'kube-system');
  if (kubeSystem.length === 0) out.push({ kind: 'Pod', namespace: 'kube-system', name: '*', reason: 'no pods in kube-system yet' });
  for (const p of s.pods) {
    const why = podProblem(p);
    if (why) out.push({ kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, reason: why });
  }
  for (const d of s.daemonSets) {
    const want = lab.nodes.length;
    if (!d.ds) { out.push({ kind: 'DaemonSet', namespace: d.namespace, name: d.name, reason: d.error ?? 'not found' }); continue; }
    const desired = d.ds.status?.desiredNumberScheduled ?? 0;
    const ready = d.ds.status?.numberReady ?? 0;
    if (desired !== want || ready !== want) out.push({ kind: 'DaemonSet', namespace: d.namespace, name: d.name, reason: `${ready} of ${want} pods ready (${desired} scheduled)` });
  }
  for (const c of s.conditions) {
    if (c.value?.status !== 'True') out.push({ kind: 'Condition', name: `${c.resource}/${c.name}`, reason: c.error ?? `${c.condition}=${c.value?.status ?? 'Unknown'}${c.value?.message ? `: ${c.value.message}` : ''}` });
  }
  return out;
}

/** Namespaces whose pods readiness reads: kube-system and the CNI DaemonSets'. */
export function readinessNamespaces(cni: CniReadiness): string[] {
  return [...new Set(['kube-system', ...cni.daemonSets.map((d) => d.namespace)])];
}
