#!/usr/bin/env bash
# Builds STAND-IN kubelet, kubeadm and kubectl .deb packages for the real-VM test (test-vm/). No package registry
# this machine reaches carries Kubernetes' packages (pkgs.k8s.io is out of reach), so the test serves these in
# their place, under pkgs.k8s.io's repository layout; scripts/vm/standin/ says what each one really does.
# They are named and versioned like pkgs.k8s.io's (kubelet_1.35.0-1.1_amd64.deb), and their dependencies are
# real Debian packages, which apt resolves from the test's Debian repository.
#
# Usage: scripts/vm/standin-debs.sh OUTDIR VERSION      e.g. OUTDIR 1.35.0
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OUTDIR VERSION" >&2; exit 2; }
out="$1" version="$2"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "standin-debs: bad version '$version'" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# deb NAME DEPENDS DESCRIPTION: a package holding /usr/bin/NAME (plus what build_NAME adds to $root).
deb() {
  local name="$1" depends="$2" description="$3" root="$work/$1"
  install -d "$root/DEBIAN" "$root/usr/bin"
  sed "s/@VERSION@/$version/g" "$here/standin/$name" >"$root/usr/bin/$name"
  chmod 0755 "$root/usr/bin/$name"
  cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version-1.1
Architecture: amd64
Maintainer: labgen real-VM test <labgen@localhost>
Depends: $depends
Section: admin
Priority: optional
Homepage: https://kubernetes.io
Description: STAND-IN $name for labgen's real-VM test (not Kubernetes)
 $description
CONTROL
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/${name}_${version}-1.1_amd64.deb" >/dev/null
}

# kubelet: its systemd unit and kubeadm drop-in exactly as pkgs.k8s.io's packages ship them.
install -d "$work/kubelet/lib/systemd/system/kubelet.service.d"
cat >"$work/kubelet/lib/systemd/system/kubelet.service" <<'UNIT'
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
cat >"$work/kubelet/lib/systemd/system/kubelet.service.d/10-kubeadm.conf" <<'UNIT'
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
UNIT
deb kubelet "iptables, iproute2, mount, util-linux, ebtables, ethtool, conntrack, socat, openssl" \
  "Checks what a kubelet needs on the node and reports it; runs no pods."
deb kubeadm "kubelet (>= $version), openssl, curl" \
  "Writes the files kubeadm init/join write, pins the CA for real; runs no control plane."
deb kubectl "curl" \
  "Answers version and apply against the stand-in API server."
ls "$out"
