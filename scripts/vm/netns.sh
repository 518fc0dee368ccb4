#!/usr/bin/env bash
# The real-VM test's network namespace: libvirt, its networks, dnsmasq, the VMs, vagrant's SSH and the package
# server all live in it, and it has no route out (only lo and the bridges libvirt creates in it).
#
# Usage:
#   scripts/vm/netns.sh check            fails when a libvirtd or virtlogd already runs (in any namespace)
#   scripts/vm/netns.sh up NS [LOGDIR]   creates NS, starts virtlogd then libvirtd inside it, waits for libvirt;
#                                        libvirtd logs at info level, with timestamps, to LOGDIR/libvirtd.log
#   scripts/vm/netns.sh down NS MATCH [DIR]  removes every libvirt domain, network and storage pool (with its
#                                        volumes) whose name contains MATCH, and every pool whose directory lies
#                                        under DIR (vagrant-libvirt creates only a pool named default), stops libvirtd then virtlogd by their PIDs
#                                        (/run/libvirtd.pid, /run/virtlogd.pid), deletes NS; safe to run twice
#   scripts/vm/netns.sh gone NS          exit 0 when NS, libvirtd and virtlogd are all gone, else says what is left
# vagrant destroy happens before `down`, in the lab directory (test-vm/harness.ts); `down` removes what is left.
set -euo pipefail

die() { echo "netns.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
readonly LIBVIRTD_PID=/run/libvirtd.pid VIRTLOGD_PID=/run/virtlogd.pid
readonly URI=qemu:///system

valid_ns() { [[ $1 =~ ^lgvm-[a-z0-9-]{1,40}$ ]] || die "refusing namespace name '$1' (must be lgvm-...)"; }

# PIDs of running processes whose command name is $1.
pids_of() {
  local p comm
  for p in /proc/[0-9]*; do
    comm="$(cat "$p/comm" 2>/dev/null || true)"
    [ "$comm" = "$1" ] && echo "${p#/proc/}"
  done
  return 0
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

check() {
  local d p found=0
  for d in libvirtd virtlogd virtqemud; do
    for p in $(pids_of "$d"); do
      echo "netns.sh: $d already runs as PID $p (network namespace: $(ip netns identify "$p" 2>/dev/null || echo '?'))" >&2
      found=1
    done
  done
  [ "$found" = 0 ] || die "stop it first (a system libvirtd: systemctl stop libvirtd virtlogd and mask their sockets; a leftover test run: scripts/vm/netns.sh down NS lgvm)"
}

nsx() { ip netns exec "$NS" "$@"; }

up() {
  check
  if ip netns list | awk '{print $1}' | grep -qx "$NS"; then die "namespace $NS exists already"; fi
  ip netns add "$NS"
  nsx ip link set lo up
  # The package server binds the lab's host-only host address before libvirt creates the bridge carrying it.
  nsx sysctl -q -w net.ipv4.ip_nonlocal_bind=1
  rm -f "$VIRTLOGD_PID" "$LIBVIRTD_PID"
  nsx virtlogd -d

  for _ in $(seq 1 50); do [ -s "$VIRTLOGD_PID" ] && break; sleep 0.2; done
  [ -s "$VIRTLOGD_PID" ] || die "virtlogd did not write $VIRTLOGD_PID"
  # The test's domains run under QEMU's emulation (provider.libvirt.driver: qemu) and never use KVM, which hangs
  # after the BIOS on this kind of machine (nested KVM). libvirtd gets /dev/null in place of /dev/kvm, in the mount
  # namespace `ip netns exec` makes for it alone (the host's /dev/kvm is untouched), so no capability probe of
  # libvirt's opens KVM. The probe of a cold cache took ~8 s here with /dev/kvm visible, and the cache was
  # rewritten on every libvirtd start; with /dev/null in its place the cache stayed valid.
  # shellcheck disable=SC2016 # the inner script expands its own $1
  nsx sh -c 'if [ -e /dev/kvm ]; then mount --bind /dev/null /dev/kvm; fi
    if [ -n "$1" ]; then export LIBVIRT_LOG_OUTPUTS="2:file:$1/libvirtd.log"
      export LIBVIRT_LOG_FILTERS="3:remote 4:event 3:util.json 3:util.object 3:util.dbus 3:util.netlink 3:node_device 3:rpc 3:access"; fi
    exec libvirtd -d' sh "$LOGDIR"
  for _ in $(seq 1 150); do
    if [ -s "$LIBVIRTD_PID" ] && nsx virsh -c "$URI" uri >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  nsx virsh -c "$URI" uri >/dev/null || die "libvirtd does not answer on $URI"
  echo "netns.sh: $NS up: virtlogd $(cat "$VIRTLOGD_PID"), libvirtd $(cat "$LIBVIRTD_PID")" >&2
}

stop_pid() {
  local name="$1" file="$2" pid
  pid="$(cat "$file" 2>/dev/null || true)"
  if pid_alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then echo "netns.sh: $name $pid ignored SIGTERM; SIGKILL" >&2; kill -KILL "$pid" || true; fi
  fi
  rm -f "$file"
}

down() {
  local match="$1" under="${2:-}" v d n p target
  [ ${#match} -ge 4 ] || die "MATCH must be at least 4 characters"
  if ip netns list | awk '{print $1}' | grep -qx "$NS" && nsx virsh -c "$URI" uri >/dev/null 2>&1; then
    for d in $(nsx virsh -c "$URI" list --all --name | grep -F -- "$match" || true); do
      nsx virsh -c "$URI" destroy "$d" >/dev/null 2>&1 || true
      nsx virsh -c "$URI" undefine "$d" --nvram --snapshots-metadata >/dev/null 2>&1 \
        || nsx virsh -c "$URI" undefine "$d" >/dev/null 2>&1 || echo "netns.sh: could not undefine domain $d" >&2
    done
    for n in $(nsx virsh -c "$URI" net-list --all --name | grep -F -- "$match" || true); do
      nsx virsh -c "$URI" net-destroy "$n" >/dev/null 2>&1 || true
      nsx virsh -c "$URI" net-undefine "$n" >/dev/null 2>&1 || echo "netns.sh: could not undefine network $n" >&2
    done
    for p in $(nsx virsh -c "$URI" pool-list --all --name || true); do
      target="$(nsx virsh -c "$URI" pool-dumpxml "$p" 2>/dev/null | sed -n 's:.*<path>\(.*\)</path>.*:\1:p' | head -n 1)"
      case "$p" in *"$match"*) ;; *) if [ -z "$under" ] || [[ $target != "$under"/* ]]; then continue; fi ;; esac
      nsx virsh -c "$URI" pool-start "$p" >/dev/null 2>&1 || true
      nsx virsh -c "$URI" pool-refresh "$p" >/dev/null 2>&1 || true
      for v in $(nsx virsh -c "$URI" vol-list "$p" 2>/dev/null | awk 'NR > 2 && NF { print $1 }'); do
        nsx virsh -c "$URI" vol-delete "$v" --pool "$p" >/dev/null 2>&1 || echo "netns.sh: could not delete volume $v of pool $p" >&2
      done
      nsx virsh -c "$URI" pool-destroy "$p" >/dev/null 2>&1 || true
      nsx virsh -c "$URI" pool-undefine "$p" >/dev/null 2>&1 || echo "netns.sh: could not undefine pool $p" >&2
    done
  fi
  stop_pid libvirtd "$LIBVIRTD_PID"
  stop_pid virtlogd "$VIRTLOGD_PID"
  if ip netns list | awk '{print $1}' | grep -qx "$NS"; then
    # Processes still in the namespace (a dnsmasq libvirt left, a qemu) would keep it alive: name them, end them.
    for p in $(ip netns pids "$NS" 2>/dev/null || true); do
      echo "netns.sh: PID $p ($(cat "/proc/$p/comm" 2>/dev/null || echo '?')) still in $NS; SIGTERM" >&2
      kill -TERM "$p" 2>/dev/null || true
    done
    sleep 0.5
    for p in $(ip netns pids "$NS" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$NS"
  fi
}

gone() {
  local left=""
  if ip netns list | awk '{print $1}' | grep -qx "$NS"; then left="$left namespace $NS;"; fi
  for d in libvirtd virtlogd; do
    for p in $(pids_of "$d"); do left="$left $d PID $p;"; done
  done
  [ -z "$left" ] || die "left behind:$left"
}

case "${1:-}" in
  check) check ;;
  up) NS="${2:?usage: netns.sh up NS [LOGDIR]}"; valid_ns "$NS"; LOGDIR="${3:-}"; [ -z "$LOGDIR" ] || [ -d "$LOGDIR" ] || die "no directory $LOGDIR"; up ;;
  down) NS="${2:?usage: netns.sh down NS MATCH [DIR]}"; valid_ns "$NS"; down "${3:?usage: netns.sh down NS MATCH [DIR]}" "${4:-}" ;;
  gone) NS="${2:?usage: netns.sh gone NS}"; valid_ns "$NS"; gone ;;
  *) echo "usage: $0 {check|up NS [LOGDIR]|down NS MATCH [DIR]|gone NS}" >&2; exit 2 ;;
esac
