// Kubernetes minors labgen knows how to install: published on pkgs.k8s.io and new enough for kubeadm.k8s.io/v1beta4 (1.31+).

/** Minors with a pkgs.k8s.io repository (kubernetes.io "Installing kubeadm", which renders v1.36 today) and kubeadm v1beta4 support (1.31+); the first is the one the shipped labs pin: every pinned CNI version supports it. */
export const KUBERNETES_MINORS = ['1.35', '1.37', '1.36', '1.34', '1.33', '1.32'] as const;
