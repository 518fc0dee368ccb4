// The small python3 programs demo runs inside its namespaces: tunl0's stand-in, and the service scenario's TCP ends.

/**
 * Stand-in for the kernel's tunl0 where this kernel has no ipip module (`ip link add type ipip` fails): a TUN
 * device named like the CNI's device takes the routed pod packets; a raw socket of IP protocol 4 sends each to
 * the remote node owning the destination's slice, and the kernel writes the outer IPv4 header (protocol 4,
 * node -> node) and transmits it on the NIC. Received protocol-4 packets lose their outer header and go back
 * into the TUN device, and the kernel forwards them to the pod. Only who adds and strips the outer header
 * differs from the kernel module (user space here). argv: device, local address, then SLICE=REMOTE pairs.
 */
export const IPIP_STAND_IN = String.raw`
import fcntl, ipaddress, os, select, signal, socket, struct, sys
signal.signal(signal.SIGINT, lambda *a: sys.exit(0))
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
dev, local = sys.argv[1], sys.argv[2]
routes = [(ipaddress.ip_network(a.split("=")[0]), a.split("=")[1]) for a in sys.argv[3:]]
remotes = {r for _, r in routes}
tun = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
wire = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
wire.bind((local, 0))
print("ready", flush=True)
while True:
    ready, _, _ = select.select([tun, wire], [], [])
    if tun in ready:
        inner = os.read(tun, 65535)
        if len(inner) >= 20 and inner[0] >> 4 == 4:
            dst = ipaddress.ip_address(inner[16:20])
            for net, remote in routes:
                if dst in net:
                    wire.sendto(inner, (remote, 0))
                    break
    if wire in ready:
        outer, (sender, _) = wire.recvfrom(65535)
        if sender in remotes and len(outer) >= 20:
            os.write(tun, outer[(outer[0] & 0x0F) * 4:])
`;

/** The service scenario's backend in the destination pod: answers every TCP connection with one line. argv: port. */
export const TCP_SERVER = String.raw`
import signal, socket, sys
signal.signal(signal.SIGINT, lambda *a: sys.exit(0))
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
print("listening", flush=True)
while True:
    c, peer = s.accept()
    c.sendall(b"labgen-demo backend\n")
    c.close()
`;

/** The service scenario's client in the source pod: N connections to the ClusterIP, each read to the end. argv: ip, port, count. */
export const TCP_CLIENT = String.raw`
import socket, sys, time
ip, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ok = 0
for i in range(count):
    t = time.monotonic()
    with socket.create_connection((ip, port), timeout=3) as c:
        data = b""
        while True:
            b = c.recv(100)
            if not b: break
            data += b
    print("connection %d to %s:%d: %r in %.3f ms" % (i + 1, ip, port, data.decode().strip(), (time.monotonic() - t) * 1000), flush=True)
    ok += 1
    time.sleep(0.2)
print("%d/%d connections answered" % (ok, count))
`;
