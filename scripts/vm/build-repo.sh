#!/usr/bin/env bash
# Builds the package repositories the real-VM test serves to its VMs (they have no internet), with the ordinary
# apt client and apt-ftparchive, signed with a key of the test's own:
#   OUT/debian/     Debian-shaped (dists/SUITE{,-updates,-security}/main/binary-amd64, pool/main): every package provisioning installs
#                   that the box lacks, with all their dependencies, downloaded from Debian by `apt-get install
#                   --download-only` against the box's own dpkg status (so exactly what a VM will fetch)
#   OUT/kubernetes/core:/stable:/vMINOR/deb/   pkgs.k8s.io-shaped flat repository with Release.key: the
#                   STAND-IN kubelet, kubeadm and kubectl (scripts/vm/standin-debs.sh; no registry this
#                   machine reaches carries the real ones)
#   OUT/repo-key.asc   the signing key (also OUT/kubernetes/.../Release.key and OUT/debian/repo-key.asc)
# Cached by content in CACHE_DIR/repo-<hash> (hash of this script, the stand-ins, the package list and the box).
#
# Usage: scripts/vm/build-repo.sh CACHE_DIR BOX_DIR SUITE K8S_VERSION PACKAGE...   prints the repository directory
#   SUITE: the box's Debian release (trixie), whose packages (and -updates, -security) the repository holds
#   PACKAGE: a name, or NAME/forky for one taken from Debian forky instead (containerd: trixie's 1.7.24 is below what
#   every Kubernetes minor labgen accepts needs, forky's 2.1.9 meets 1.35's 2.1.5+); forky is pinned below SUITE, so
#   only the packages named so come from it and every dependency still comes from SUITE
set -euo pipefail
die() { echo "build-repo: $*" >&2; exit 1; }
[ $# -ge 5 ] || { echo "usage: $0 CACHE_DIR BOX_DIR SUITE K8S_VERSION PACKAGE..." >&2; exit 2; }
cache="$1" box="$2" suite="$3" version="$4"; shift 4
# stdout carries the repository directory and nothing else: every tool's own output goes to stderr.
exec 3>&1 1>&2
[[ $suite =~ ^[a-z]+$ ]] || die "bad suite '$suite'"
pkgs=("$@")
[[ $version =~ ^([0-9]+\.[0-9]+)\.[0-9]+$ ]] || die "bad Kubernetes version '$version'"
minor="${BASH_REMATCH[1]}"
[ -s "$box/dpkg-status" ] || die "$box/dpkg-status missing (build the box first: scripts/vm/build-box.sh)"
for tool in apt-get apt-ftparchive gpg dpkg-deb; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
here="$(cd "$(dirname "$0")" && pwd)"
readonly SUITES=("$suite" "$suite-updates" "$suite-security")

hash="$( { cat "$0" "$here/standin-debs.sh" "$here"/standin/*; printf '%s\n' "$suite" "$version" "${pkgs[@]}"; cat "$box/box.env"; } | sha256sum | cut -c1-16)"
out="$cache/repo-$hash"
if [ -s "$out/debian/dists/$suite/InRelease" ]; then echo "build-repo: cached repository $out" >&2; echo "$out" >&3; exit 0; fi
work="$(mktemp -d "$cache/.repo-XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# 1. The stand-ins, as a local flat repository apt can resolve them (and their real dependencies) from.
k8s="$work/out/kubernetes/core:/stable:/v$minor/deb"
mkdir -p "$k8s"
bash "$here/standin-debs.sh" "$k8s" "$version" >/dev/null
(cd "$k8s" && apt-ftparchive packages . >Packages)

# 2. apt with a private configuration: Debian's sources (as on this host), the box's dpkg status, private lists
#    and archives. Nothing of the host's own apt state is read or changed.
mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial" "$work/apt/etc/sources.list.d" "$work/apt/etc/preferences.d"
{
  for s in "$suite" "$suite-updates"; do echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $s main"; done
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $suite-security main"
  echo "deb [trusted=yes] file:$k8s ./"
  case " ${pkgs[*]} " in *"/forky "*) echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian forky main" ;; esac
} >"$work/apt/etc/sources.list"
printf 'Package: *\nPin: release n=forky\nPin-Priority: 100\n' >"$work/apt/etc/preferences.d/forky"
cp "$box/dpkg-status" "$work/apt/status"
apt_opts=(-o "Dir::Etc::SourceList=$work/apt/etc/sources.list" -o "Dir::Etc::SourceParts=$work/apt/etc/sources.list.d"
  -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$work/apt/etc/preferences.d"
  -o "Dir::State=$work/apt" -o "Dir::State::Lists=$work/apt/lists" -o "Dir::State::status=$work/apt/status"
  -o "Dir::Cache=$work/apt" -o "Dir::Cache::archives=$work/apt/archives" -o "APT::Architecture=amd64"
  -o "APT::Install-Recommends=false" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=true")
apt-get "${apt_opts[@]}" -q update >"$work/apt-update.log" 2>&1 || { tail -n 20 "$work/apt-update.log" >&2; die "apt-get update failed"; }
apt-get "${apt_opts[@]}" -q -y install --download-only "${pkgs[@]}" kubelet kubeadm kubectl >"$work/apt-download.log" 2>&1 \
  || { tail -n 30 "$work/apt-download.log" >&2; die "apt-get install --download-only failed"; }

# 3. The Debian repository: every downloaded package that is not a stand-in, one Packages index for every suite
#    (the VMs may list SUITE, SUITE-updates and SUITE-security; each sees the same packages).
deb="$work/out/debian"
mkdir -p "$deb/pool/main"
for f in "$work/apt/archives"/*.deb; do
  case "$(basename "$f")" in kubelet_*|kubeadm_*|kubectl_*) continue ;; esac
  cp "$f" "$deb/pool/main/"
done
count="$(find "$deb/pool/main" -name '*.deb' | wc -l)"
[ "$count" -gt 0 ] || die "no package was downloaded (everything is already in the box?)"
(cd "$deb" && apt-ftparchive packages pool/main >"$work/Packages")

# 4. A signing key of the test's own, and signed Release files (apt verifies signatures and every checksum).
export GNUPGHOME="$work/gnupg"
install -d -m 0700 "$GNUPGHOME"
gpg --batch -q --passphrase '' --quick-gen-key "labgen real-VM test repository <labgen@localhost>" rsa2048 sign never 2>/dev/null
gpg --batch -q --armor --export >"$work/out/repo-key.asc"
cp "$work/out/repo-key.asc" "$deb/repo-key.asc"
cp "$work/out/repo-key.asc" "$k8s/Release.key"
sign() { # DIR: InRelease and Release.gpg for DIR/Release
  gpg --batch -q --yes --clearsign -o "$1/InRelease" "$1/Release"
  gpg --batch -q --yes --armor --detach-sign -o "$1/Release.gpg" "$1/Release"
}
for s in "${SUITES[@]}"; do
  d="$deb/dists/$s"
  mkdir -p "$d/main/binary-amd64"
  cp "$work/Packages" "$d/main/binary-amd64/Packages"
  gzip -9kn "$d/main/binary-amd64/Packages"
  apt-ftparchive -o "APT::FTPArchive::Release::Suite=$s" -o "APT::FTPArchive::Release::Codename=$s" \
    -o "APT::FTPArchive::Release::Origin=labgen-vm-test" -o "APT::FTPArchive::Release::Label=labgen real-VM test" \
    -o "APT::FTPArchive::Release::Architectures=amd64" -o "APT::FTPArchive::Release::Components=main" release "$d" >"$d/Release.new"
  mv "$d/Release.new" "$d/Release"
  sign "$d"
done
gzip -9kn "$k8s/Packages"
apt-ftparchive -o "APT::FTPArchive::Release::Origin=labgen-vm-test" -o "APT::FTPArchive::Release::Label=STAND-IN kubernetes" release "$k8s" >"$work/Release"
mv "$work/Release" "$k8s/Release"
sign "$k8s"
size="$(du -sm "$deb/pool" | cut -f1)"
rm -rf "$out"
mv "$work/out" "$out"
echo "build-repo: $count Debian packages ($size MiB) + 3 stand-ins in $((SECONDS - start)) s: $out" >&2
echo "$out" >&3
