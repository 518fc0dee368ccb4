// The containerd releases each Kubernetes minor is supported with: provisioning checks the installed containerd against it.
import type { KUBERNETES_MINORS } from './versions.js';

/**
 * The lowest containerd patch release of each supported release line, per Kubernetes minor, from containerd's
 * RELEASES.md "Kubernetes Support" matrix (1.32: 2.1.0+, 2.0.1+, 1.7.24+, 1.6.36+; 1.33: 2.1.0+, 2.0.4+, 1.7.24+,
 * 1.6.36+; 1.34: 2.1.3+, 2.0.6+, 1.7.28+, 1.6.39+; 1.35: 2.2.0+, 2.1.5+, 1.7.28+; 1.36: 2.3.0+, 2.2.0+). 1.37 is not
 * in the matrix yet: it takes 1.36's lines, the newest known. A containerd passes when it is on one of these lines at
 * or above its floor, or on a newer line than all of them.
 */
export const CONTAINERD_MINIMUMS: Record<(typeof KUBERNETES_MINORS)[number], readonly string[]> = {
  '1.32': ['1.6.36', '1.7.24', '2.0.1', '2.1.0'],
  '1.33': ['1.6.36', '1.7.24', '2.0.4', '2.1.0'],
  '1.34': ['1.6.39', '1.7.28', '2.0.6', '2.1.3'],
  '1.35': ['1.7.28', '2.1.5', '2.2.0'],
  '1.36': ['2.2.0', '2.3.0'],
  '1.37': ['2.2.0', '2.3.0'],
};

/** The floors for a minor (every pinned minor has an entry; the type keeps the table complete). */
export function containerdMinimums(minor: string): readonly string[] {
  const m = CONTAINERD_MINIMUMS[minor as keyof typeof CONTAINERD_MINIMUMS];
  if (!m) throw new Error(`no containerd requirement known for Kubernetes ${minor}`);
  return m;
}
