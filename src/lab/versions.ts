// Kubernetes minors labgen knows how to install: published on pkgs.k8s.io and new enough for kubeadm.k8s.io/v1beta4 (1.31+).

/** Minors with a pkgs.k8s.io repository (kubernetes.io "Installing kubeadm", which renders v1.36 today) and kubeadm v1beta4 support (1.31+); the first is the one the shipped labs pin: every pinned CNI version supports it. */
export const KUBERNETES_MINORS = ['1.35', '1.37', '1.36', '1.34', '1.33', '1.32'] as const;

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
