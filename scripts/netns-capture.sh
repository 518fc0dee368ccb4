#!/usr/bin/env bash
# (`labgen demo` is this script made part of labgen, for any lab: docs/capture.md.)
# Rebuilds the article's pod-to-pod path for real, inside network namespaces, pings across it and
# captures at the four points of the experiment:
#   A  the pod NIC on worker1 (eth0 in the pod namespace)
#   B  worker1's host-only NIC (enp0s8)
#   C  worker2's host-only NIC (enp0s8)
#   D  the pod NIC on worker2
# plus two cooked captures: w1-any.pcap (tcpdump -i any on worker1: Linux cooked v2, SLL2) and
# w2-any.pcap (tcpdump -i any -y LINUX_SLL on worker2: Linux cooked v1).
#
# Usage: scripts/netns-capture.sh MODE OUTDIR
#   MODE  flannel-vxlan  flannel's VXLAN backend: device flannel.1, VNI 1, UDP 8472, a cni0 bridge,
#                        a static neighbour entry for the remote flannel.1 address and an fdb entry
#                        mapping its MAC to the remote node's underlay address (what flanneld programs).
#         calico-vxlan   Calico's VXLAN mode: device vxlan.calico, VNI 4096, UDP 4789, Calico's pod
#                        wiring (no bridge: /32 pod address, gateway 169.254.1.1 answered by proxy ARP
#                        on the host's cali* veth, one /32 route per pod), same neighbour/fdb entries.
#         calico-routed  Calico without encapsulation (BGP mode, like flannel host-gw): a plain route to
#                        the remote pod subnet via the remote node's underlay address.
#         calico-ipip    Calico's default IP-in-IP mode (IP protocol 4 between node addresses). This
#                        kernel has no ipip module (`ip link add type ipip` fails), so each node runs a
#                        small python3 user-space tunnel that does tunl0's job: a TUN device named tunl0
#                        takes the routed pod packets, and a raw IPPROTO_IPIP (4) socket sends them to
#                        the remote node, where the kernel writes the outer IPv4 header (protocol 4,
#                        10.0.0.2 <-> 10.0.0.3); the receiving node's raw socket gets the outer packet,
#                        strips the outer header and writes the inner packet to its TUN device, and the
#                        kernel forwards it to the pod. The ping is a real ping answered end to end; the
#                        packets at B and C are real IP-in-IP packets the kernel put on the veth wire.
#   OUTDIR  directory for A.pcap B.pcap C.pcap D.pcap w1-any.pcap w2-any.pcap (created if missing)
#
# Environment: PING_COUNT (default 4).
#
# Safety: every address of the lab (10.0.0.x underlay, 10.244.x.x pods) lives only inside the four
# namespaces this script creates (lgcap-<pid>-w1, -w2, -p1, -p2); nothing is added to the root
# namespace and no packet is sent from it. The namespaces and the processes started here are removed
# on exit, whatever the exit path (trap). Needs root, iproute2 (ip, bridge), tcpdump, ping, and
# python3 for calico-ipip.
set -euo pipefail

readonly PREFIX="lgcap-$$"
readonly W1="$PREFIX-w1" W2="$PREFIX-w2" P1="$PREFIX-p1" P2="$PREFIX-p2"
readonly POD1=10.244.1.2 POD2=10.244.2.2
readonly NODE1=10.0.0.2 NODE2=10.0.0.3
PIDS=()
BG_PID=""
WORK=""

die() { echo "netns-capture: $*" >&2; exit 1; }

usage() {
  echo "usage: $0 {flannel-vxlan|calico-vxlan|calico-routed|calico-ipip} OUTDIR" >&2
  exit 2
}

# Runs a command inside one of this script's namespaces, refusing any other (never the root namespace).
nx() {
  local ns=$1
  shift
  [[ $ns == "$PREFIX"-* ]] || die "refusing to run outside this script's namespaces: '$ns'"
  ip netns exec "$ns" "$@"
}

# Starts a command in the background inside one of this script's namespaces; its pid (ip netns exec
# execs the command, so this is the command's own pid) lands in BG_PID and in PIDS for cleanup.
nx_bg() {
  local ns=$1 log=$2
  shift 2
  [[ $ns == "$PREFIX"-* ]] || die "refusing to run outside this script's namespaces: '$ns'"
  ip netns exec "$ns" "$@" >"$log" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
}

cleanup() {
  local pid ns
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  for ns in "$P1" "$P2" "$W1" "$W2"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  if [[ -n $WORK ]]; then rm -rf "$WORK"; fi
}

require() {
  local tool
  [[ $(id -u) -eq 0 ]] || die "must run as root (it creates network namespaces)"
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
}

# Waits until a file contains a line matching a pattern (bounded: a setup failure never hangs the script).
wait_for_line() {
  local file=$1 pattern=$2 what=$3 i
  for ((i = 0; i < 100; i++)); do
    if grep -q -- "$pattern" "$file" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  cat "$file" >&2 || true
  die "$what did not start"
}

new_namespaces() {
  local ns
  for ns in "$W1" "$W2" "$P1" "$P2"; do
    ip netns add "$ns"
    # Quiet, deterministic captures: no IPv6 (router solicitations, MLD) on any interface of the lab.
    nx "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    nx "$ns" ip link set lo up
  done
  for ns in "$W1" "$W2"; do
    nx "$ns" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
}

# NIC1, the VirtualBox NAT NIC, holding the node's default route as on a real node (Calico's proxy ARP
# answers only when the node has a route to 169.254.1.1). This kernel has no dummy driver, so it is a veth
# whose peer (nat0) sits unaddressed in the same namespace: whatever is routed there dies inside it.
nat_nic() {
  local ns
  for ns in "$W1" "$W2"; do
    nx "$ns" ip link add enp0s3 type veth peer name nat0
    nx "$ns" ip addr add 10.0.2.15/24 dev enp0s3
    nx "$ns" ip link set nat0 up
    nx "$ns" ip link set enp0s3 up
    nx "$ns" ip route add default via 10.0.2.2 dev enp0s3
  done
}

# The host-only network: one veth "wire" between worker1's and worker2's enp0s8 (VirtualBox MACs).
underlay() {
  nx "$W1" ip link add enp0s8 address 08:00:27:00:00:02 type veth peer name enp0s8 address 08:00:27:00:00:03 netns "$W2"
  nx "$W1" ip addr add "$NODE1/24" dev enp0s8
  nx "$W2" ip addr add "$NODE2/24" dev enp0s8
  nx "$W1" ip link set enp0s8 up
  nx "$W2" ip link set enp0s8 up
}

# flannel / CNI bridge plugin wiring: pod eth0 in the node's /24, host side enslaved to cni0 (the .1 gateway).
bridge_pod() {
  local node=$1 pod=$2 n=$3 mtu=$4
  nx "$node" ip link add cni0 address "0a:58:0a:f4:0$n:01" mtu "$mtu" type bridge
  nx "$node" ip addr add "10.244.$n.1/24" dev cni0
  nx "$node" ip link set cni0 up
  nx "$node" ip link add "veth0pod$n" mtu "$mtu" type veth peer name eth0 address "0a:58:0a:f4:0$n:02" netns "$pod"
  nx "$node" ip link set "veth0pod$n" master cni0 up
  nx "$pod" ip link set eth0 mtu "$mtu" up
  nx "$pod" ip addr add "10.244.$n.2/24" dev eth0
  nx "$pod" ip route add default via "10.244.$n.1"
}

# Calico wiring: /32 pod address, gateway 169.254.1.1 via proxy ARP on the host's cali* veth, a /32 route per pod.
calico_pod() {
  local node=$1 pod=$2 n=$3 mtu=$4 cali="cali0000000000$3"
  nx "$node" ip link add "$cali" address ee:ee:ee:ee:ee:ee mtu "$mtu" type veth peer name eth0 address "5e:c0:0a:f4:0$n:02" netns "$pod"
  nx "$node" sysctl -q -w "net.ipv4.conf.$cali.proxy_arp=1" "net.ipv4.neigh.$cali.proxy_delay=0"
  nx "$node" ip link set "$cali" up
  nx "$node" ip route add "10.244.$n.2/32" dev "$cali" scope link
  nx "$pod" ip link set eth0 mtu "$mtu" up
  nx "$pod" ip addr add "10.244.$n.2/32" dev eth0
  nx "$pod" ip route add 169.254.1.1 dev eth0 scope link
  nx "$pod" ip route add default via 169.254.1.1 dev eth0
}

# A VXLAN device the way flanneld and calico-node program it: no learning, the remote VTEP's address
# answered by a permanent neighbour entry, its MAC mapped to the remote node by an fdb entry.
vxlan_node() {
  local node=$1 dev=$2 vni=$3 port=$4 local_ip=$5 n=$6 remote_ip=$7 remote_n=$8
  nx "$node" ip link add "$dev" address "$(vtep_mac "$n")" type vxlan id "$vni" local "$local_ip" dev enp0s8 dstport "$port" nolearning
  nx "$node" ip addr add "10.244.$n.0/32" dev "$dev"
  nx "$node" ip link set "$dev" up
  nx "$node" ip route add "10.244.$remote_n.0/24" via "10.244.$remote_n.0" dev "$dev" onlink
  nx "$node" ip neigh replace "10.244.$remote_n.0" lladdr "$(vtep_mac "$remote_n")" dev "$dev" nud permanent
  nx "$node" bridge fdb append "$(vtep_mac "$remote_n")" dev "$dev" dst "$remote_ip" self permanent
}

vtep_mac() { echo "66:1a:b0:00:0$1:00"; }

# The stand-in for tunl0 (see the header): a TUN device plus a raw IPPROTO_IPIP socket, in python3.
ipip_node() {
  local node=$1 local_ip=$2 n=$3 remote_ip=$4 remote_n=$5 log="$WORK/ipip-$3.log"
  nx_bg "$node" "$log" python3 -u -c "$IPIP_TUNNEL" "$local_ip" "$remote_ip"
  wait_for_line "$log" '^ready' "the IP-in-IP tunnel on $node"
  nx "$node" ip link set tunl0 mtu 1480 up
  nx "$node" ip addr add "10.244.$n.0/32" dev tunl0
  nx "$node" ip route add "10.244.$remote_n.0/24" via "$remote_ip" dev tunl0 onlink
}

# The tunnel program (argv: local underlay address, remote underlay address).
IPIP_TUNNEL=$(cat <<'PY'

import fcntl, os, select, socket, struct, sys

TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
local, remote = sys.argv[1], sys.argv[2]
tun = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", b"tunl0", IFF_TUN | IFF_NO_PI))
# Raw socket of protocol 4: the kernel writes the outer IPv4 header (protocol 4, local -> remote) on
# send, and hands over every received protocol-4 packet, outer header included.
wire = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
wire.bind((local, 0))
print("ready", flush=True)
while True:
    ready, _, _ = select.select([tun, wire], [], [])
    if tun in ready:
        inner = os.read(tun, 65535)
        if inner and inner[0] >> 4 == 4:
            wire.sendto(inner, (remote, 0))
    if wire in ready:
        outer, (sender, _) = wire.recvfrom(65535)
        if sender == remote and len(outer) >= 20:
            os.write(tun, outer[(outer[0] & 0x0F) * 4:])
PY
)
readonly IPIP_TUNNEL

build() {
  case $1 in
    flannel-vxlan)
      bridge_pod "$W1" "$P1" 1 1450
      bridge_pod "$W2" "$P2" 2 1450
      vxlan_node "$W1" flannel.1 1 8472 "$NODE1" 1 "$NODE2" 2
      vxlan_node "$W2" flannel.1 1 8472 "$NODE2" 2 "$NODE1" 1
      ;;
    calico-vxlan)
      calico_pod "$W1" "$P1" 1 1450
      calico_pod "$W2" "$P2" 2 1450
      vxlan_node "$W1" vxlan.calico 4096 4789 "$NODE1" 1 "$NODE2" 2
      vxlan_node "$W2" vxlan.calico 4096 4789 "$NODE2" 2 "$NODE1" 1
      ;;
    calico-routed)
      calico_pod "$W1" "$P1" 1 1500
      calico_pod "$W2" "$P2" 2 1500
      nx "$W1" ip route add 10.244.2.0/24 via "$NODE2" dev enp0s8
      nx "$W2" ip route add 10.244.1.0/24 via "$NODE1" dev enp0s8
      ;;
    calico-ipip)
      calico_pod "$W1" "$P1" 1 1480
      calico_pod "$W2" "$P2" 2 1480
      ipip_node "$W1" "$NODE1" 1 "$NODE2" 2
      ipip_node "$W2" "$NODE2" 2 "$NODE1" 1
      ;;
  esac
}

# Starts one tcpdump in a namespace and waits until it is capturing. The snapshot length of 2048 bytes holds
# every frame of this lab whole (MTU 1500) and keeps ring slots small: with the default 262144, -i any drops
# packets of the burst one ping makes across veth, cni0, flannel.1 and enp0s8.
capture() {
  local ns=$1 name=$2
  shift 2
  nx_bg "$ns" "$WORK/$name.log" tcpdump -n -U --immediate-mode -s 2048 -Z root "$@" -w "$OUT/$name.pcap"
  CAPTURES+=("$BG_PID")
  wait_for_line "$WORK/$name.log" 'listening on' "tcpdump for $name"
}

# Stops the tcpdumps (SIGINT flushes their files), escalating to SIGKILL after 5 s so this never hangs.
stop_captures() {
  local pid i
  for pid in "${CAPTURES[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${CAPTURES[@]}"; do
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

main() {
  [[ $# -eq 2 ]] || usage
  local mode=$1 status=0
  case $mode in
    flannel-vxlan | calico-vxlan | calico-routed) require ip bridge tcpdump ping ;;
    calico-ipip) require ip bridge tcpdump ping python3 ;;
    *) usage ;;
  esac
  mkdir -p "$2"
  OUT=$(cd "$2" && pwd)
  WORK=$(mktemp -d)
  CAPTURES=()
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  new_namespaces
  nat_nic
  underlay
  build "$mode"

  capture "$P1" A -i eth0
  capture "$W1" B -i enp0s8
  capture "$W2" C -i enp0s8
  capture "$P2" D -i eth0
  capture "$W1" w1-any -i any
  capture "$W2" w2-any -i any -y LINUX_SLL

  nx "$P1" timeout 30 ping -n -c "${PING_COUNT:-4}" -i 0.2 -W 2 "$POD2" || status=$?
  sleep 0.3
  stop_captures
  [[ $status -eq 0 ]] || die "ping from pod $POD1 to pod $POD2 failed in mode $mode (exit $status)"
  local log
  for log in "$WORK"/*.log; do
    if grep -q 'dropped by kernel' "$log" && ! grep -q '^0 packets dropped by kernel' "$log"; then
      die "$(basename "$log" .log): tcpdump reports dropped packets, the capture is incomplete: $(grep 'dropped by kernel' "$log")"
    fi
  done
  echo "netns-capture: $mode: pod $POD1 (node $NODE1) -> pod $POD2 (node $NODE2): captures in $OUT"
}

main "$@"
