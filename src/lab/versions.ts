// Kubernetes minors labgen knows, their support status, and the containerd each needs: data, so rules, resolve,
// provisioning (lab.env) and the README agree. Pure.
import type { CniPlugin } from '../cni/types.js';

/** Support status of a minor, from kubernetes.io/releases (as of December 2026). */
export type MinorStatus = 'current' | 'maintenance' | 'end-of-life';

/** One Kubernetes minor. */
export interface KubernetesMinor {
  minor: string;
  status: MinorStatus;
  /** When it left (or leaves) standard support for maintenance, and when it reaches end of life (kubernetes.io/releases). */
  maintenanceFrom: string;
  endOfLife: string;
  /**
   * The containerd releases containerd recommends for it, one minimum per release line (containerd RELEASES.md,
   * "Kubernetes Support"). A newer line than every listed one also satisfies it.
   */
  containerd: readonly string[];
}

/**
 * kubernetes.io/releases, December 2026: 1.33 and 1.34 are end of life, 1.35 enters maintenance on 2026-12-28,
 * 1.36 (April 2026) and 1.37 (August 2026) are current. Each minor has 12 months of standard support and 2 months of
 * maintenance. containerd RELEASES.md at 301026e (2026-08-22): 1.33 2.1.0+/2.0.4+/1.7.24+/1.6.36+, 1.34
 * 2.1.3+/2.0.6+/1.7.28+/1.6.39+, 1.35 2.2.0+/2.1.5+/1.7.28+, 1.36 2.3.0+/2.2.0+; it has no 1.37 row yet, so 1.37
 * requires what 1.36 does.
 */
export const KUBERNETES_RELEASES: readonly KubernetesMinor[] = [
  { minor: '1.33', status: 'end-of-life', maintenanceFrom: '2026-04-28', endOfLife: '2026-06-28', containerd: ['2.1.0', '2.0.4', '1.7.24', '1.6.36'] },
  { minor: '1.34', status: 'end-of-life', maintenanceFrom: '2026-08-27', endOfLife: '2026-10-27', containerd: ['2.1.3', '2.0.6', '1.7.28', '1.6.39'] },
  { minor: '1.35', status: 'current', maintenanceFrom: '2026-12-28', endOfLife: '2027-02-28', containerd: ['2.2.0', '2.1.5', '1.7.28'] },
  { minor: '1.36', status: 'current', maintenanceFrom: '2027-04-28', endOfLife: '2027-06-28', containerd: ['2.3.0', '2.2.0'] },
  { minor: '1.37', status: 'current', maintenanceFrom: '2027-08-28', endOfLife: '2027-10-28', containerd: ['2.3.0', '2.2.0'] },
];

/** Every minor labgen knows (the schema's enum), oldest first. */
export const KUBERNETES_MINORS: readonly string[] = KUBERNETES_RELEASES.map((r) => r.minor);

/** Compares dotted versions numerically ("1.9" < "1.10"); a leading "v" is ignored. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Versions sorted oldest first, for messages. */
export function sortVersions(vs: readonly string[]): string[] { return sortedVersions(vs); }

/** The release entry of a minor, or undefined for one labgen does not know. */
export function kubernetesRelease(minor: string): KubernetesMinor | undefined { return KUBERNETES_RELEASES.find((r) => r.minor === minor); }

/** The minors a CNI plugin's pinned version supports (every version when it declares none for it). */
export function cniMinors(plugin: CniPlugin, version: string): readonly string[] {
  return plugin.kubernetesMinors[version] ?? [];
}

/** The newest minor that is not end of life and that every registered CNI plugin's default version supports. */
export function defaultKubernetesMinor(plugins: readonly CniPlugin[]): string | undefined {
  const usable = KUBERNETES_RELEASES.filter((r) => r.status !== 'end-of-life' && plugins.every((p) => cniMinors(p, p.versions[0]!).includes(r.minor)));
  return usable.at(-1)?.minor;
}

/** The newest supported (not end-of-life) minor a CNI plugin version supports, for fixes. */
export function newestUsableMinor(plugin: CniPlugin, version: string): string | undefined {
  const minors = cniMinors(plugin, version);
  return KUBERNETES_RELEASES.filter((r) => r.status !== 'end-of-life' && minors.includes(r.minor)).at(-1)?.minor;
}

/** Versions in numeric order (`1.32, 1.33 .. 1.37`, `v3.9 < v3.10`) for messages; values that are not versions keep their order. */
export function sortedVersions<T>(values: readonly T[]): T[] {
  const key = (v: T) => (typeof v === 'string' && /^v?\d+(\.\d+)*$/.test(v) ? v.replace(/^v/, '').split('.').map(Number) : undefined);
  if (!values.every((v) => key(v))) return [...values];
  return [...values].sort((a, b) => {
    const x = key(a)!; const y = key(b)!;
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
}
