// The node and pod tables printed when a lab is Ready, shaped like `kubectl get nodes/pods -o wide` in the article.
import { table } from '../ui/table.js';
import type { ResolvedLab } from '../lab/types.js';
import { formatDuration } from '../ui/reporter.js';
import type { K8sNode, K8sPod } from '../host/k8s-types.js';
import { labNodeFor, nodeAddress } from './readiness.js';

function age(ts: string | undefined, now: number): string {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '-' : formatDuration(now - t);
}

/** NAME STATUS ROLES AGE VERSION INTERNAL-IP, in the lab's node order. */
export function nodeTable(lab: ResolvedLab, nodes: K8sNode[], now: number): string[] {
  const order = (n: K8sNode) => labNodeFor(lab, n.metadata.name)?.index ?? 999;
  const rows = [...nodes].sort((a, b) => order(a) - order(b)).map((n) => {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const roles = Object.keys(n.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length)).join(',') || '<none>';
    return [n.metadata.name, ready ? 'Ready' : 'NotReady', roles, age(n.metadata.creationTimestamp, now), n.status?.nodeInfo?.kubeletVersion ?? '-', nodeAddress(n, 'InternalIP') ?? '-'];
  });
  return table([['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP'], ...rows]);
}

/** NAMESPACE NAME READY STATUS RESTARTS AGE IP NODE. */
export function podTable(pods: K8sPod[], now: number): string[] {
  const rows = [...pods].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`)).map((p) => {
    const cs = p.status?.containerStatuses ?? [];
    return [p.metadata.namespace ?? '', p.metadata.name, `${cs.filter((c) => c.ready).length}/${cs.length}`, p.status?.phase ?? 'Unknown', String(cs.reduce((s, c) => s + (c.restartCount ?? 0), 0)), age(p.metadata.creationTimestamp, now), p.status?.podIP ?? '-', p.spec?.nodeName ?? '-'];
  });
  return table([['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE'], ...rows]);
}
