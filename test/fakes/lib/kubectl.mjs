// A fake `kubectl` for labgen's tests: answers `--kubeconfig <dir>/kubeconfig get ... -o json` from the fake
// vagrant's state (a node exists once its machine is provisioned). Never opens a connection.
// Told by env vars: FAKE_STATE_DIR, FAKE_KUBECTL_NOT_READY=node,... (stays NotReady), FAKE_KUBECTL_READY_AFTER=N
// (the first N `get nodes` calls show every node NotReady). A node whose machine is not running is NotReady. Also, for
// labgen logs: `get nodes,pods -A -o wide`, `get events -A --sort-by=...`, `get pods -n NS -l SEL [-o wide]`, and
// `logs -n NS POD ...` (whose lines carry the bootstrap token, which labgen must redact).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { machine, readLab, record, stateDir } from './common.mjs';

const argv = process.argv.slice(2);
record('kubectl', argv);
const out = (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const ts = new Date(Date.now() - 300_000).toISOString();

function main() {
  if (argv[0] === 'version') { out({ clientVersion: { gitVersion: 'v1.35.0' } }); return 0; }
  const k = argv.indexOf('--kubeconfig');
  const kc = k >= 0 ? argv[k + 1] : undefined;
  if (!kc || !existsSync(kc)) { process.stderr.write('error: stat kubeconfig: no such file or directory\n'); return 1; }
  // The kubeconfig must have been written 0600 by labgen and point at the host-only address.
  const lab = readLab(dirname(kc));
  const d = stateDir();
  if (!existsSync(join(d, 'api-up'))) { process.stderr.write(`The connection to the server ${lab.kubernetes.apiServerAddress}:6443 was refused - did you specify the right host or port?\n`); return 1; }
  const rest = argv.filter((a, i) => !(i === k || i === k + 1) && !a.startsWith('--request-timeout') && !a.startsWith('--sort-by') && !a.startsWith('--tail') && !['--all-containers', '--prefix', '--timestamps', '-A'].includes(a));
  const nsI = rest.indexOf('-n');
  const ns = nsI >= 0 ? rest[nsI + 1] : 'default';
  const oI = rest.indexOf('-o');
  const wide = oI >= 0 && rest[oI + 1] === 'wide';
  const lI = rest.indexOf('-l');
  const selector = lI >= 0 ? rest[lI + 1] : undefined;
  const words = rest.filter((a, i) => !['-o', 'json', 'wide', '-n', '-l', '--all-namespaces'].includes(a) && !(nsI >= 0 && i === nsI + 1) && !(lI >= 0 && i === lI + 1));
  const [verb, kind, name] = words;
  if (verb === 'logs') {
    const token = readFileSync(join(dirname(kc), 'secrets/bootstrap-token'), 'utf8').trim();
    process.stdout.write(`[pod/${kind}/kube-flannel] 2026-12-01T10:00:03Z I1201 main.go:212] CLI flags config: --iface=enp0s8 --ip-masq --kube-subnet-mgr\n[pod/${kind}/kube-flannel] 2026-12-01T10:00:04Z W1201 leaked join token ${token}\n`);
    return 0;
  }
  if (verb !== 'get') { process.stderr.write(`fake kubectl: unsupported: ${argv.join(' ')}\n`); return 1; }
  const joined = lab.nodes.filter((n) => machine(n.name).provisioned);
  const notReady = new Set((process.env.FAKE_KUBECTL_NOT_READY ?? '').split(',').filter(Boolean));
  const counter = join(d, 'kubectl-get-nodes');
  const calls = kind === 'nodes' ? Number(existsSync(counter) ? readFileSync(counter, 'utf8') : 0) + 1 : Number(existsSync(counter) ? readFileSync(counter, 'utf8') : 0);
  if (kind === 'nodes') writeFileSync(counter, String(calls));
  const early = calls <= Number(process.env.FAKE_KUBECTL_READY_AFTER ?? 0);
  const ready = (n) => !early && !notReady.has(n.name) && machine(n.name).state === 'running';
  const cni = lab.cni.plugin === 'calico' ? { ns: 'calico-system', ds: 'calico-node' } : { ns: 'kube-flannel', ds: 'kube-flannel-ds' };
  const container = (nm, ok) => ({ name: nm, ready: ok, restartCount: 0, state: ok ? { running: { startedAt: ts } } : { waiting: { reason: 'ContainerCreating' } } });
  const pod = (namespace, nm, node, ok, ip) => ({ metadata: { name: nm, namespace, creationTimestamp: ts }, spec: { nodeName: node.hostname }, status: { phase: ok ? 'Running' : 'Pending', podIP: ip, containerStatuses: [container(nm.split('-').slice(0, -1).join('-') || nm, ok)] } });
  if (wide && kind === 'nodes,pods') {
    const rows = ['NAME                  STATUS   ROLES           AGE   VERSION   INTERNAL-IP', ...joined.map((n) => `node/${n.hostname}   ${ready(n) ? 'Ready' : 'NotReady'}   ${n.role}   5m   v${lab.kubernetes.minor}.0   ${n.ip}`), '', 'NAMESPACE     NAME    READY   STATUS    NODE', ...joined.map((n, i) => `kube-system   pod/kube-proxy-${10000 + i}   1/1   Running   ${n.hostname}`)];
    process.stdout.write(`${rows.join('\n')}\n`);
    return 0;
  }
  if (kind === 'events' && oI < 0) {
    process.stdout.write(`NAMESPACE   LAST SEEN   TYPE     REASON         OBJECT        MESSAGE\ndefault     5m          Normal   RegisteredNode node/${lab.nodes[0].hostname}   Node ${lab.nodes[0].hostname} event: Registered Node\n`);
    return 0;
  }
  if (kind === 'pods' && selector !== undefined && selector !== 'app=flannel') { out({ items: [] }); return 0; }
  if (wide && kind === 'pods') {
    const cniNs = lab.cni.plugin === 'calico' ? 'calico-system' : 'kube-flannel';
    const rows = ['NAME   READY   STATUS   IP   NODE', ...(ns === cniNs ? joined.map((n, i) => `${lab.cni.plugin === 'calico' ? 'calico-node' : 'kube-flannel-ds'}-${20000 + i}   ${ready(n) ? '1/1' : '0/1'}   ${ready(n) ? 'Running' : 'Pending'}   ${n.ip}   ${n.hostname}`) : [])];
    process.stdout.write(`${rows.join('\n')}\n`);
    return 0;
  }
  if (kind === 'nodes') {
    out({ items: joined.map((n, i) => ({
      metadata: { name: n.hostname, creationTimestamp: ts, labels: n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
      // kube-controller-manager hands each node a /24 of the pod network, in the order they register.
      spec: { podCIDR: `10.244.${i}.0/24` },
      status: {
        conditions: [ready(n) ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' } : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' }],
        addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.hostname }],
        nodeInfo: { kubeletVersion: `v${lab.kubernetes.minor}.0` },
      },
    })) });
    return 0;
  }
  if (kind === 'pods') {
    const cp = lab.nodes.find((n) => n.role === 'control-plane');
    const items = [];
    if (ns === 'kube-system') {
      items.push(pod(ns, 'coredns-7db6d8ff4d-abcde', lab.nodes[1] ?? cp, ready(cp), '10.244.1.2'), pod(ns, 'coredns-7db6d8ff4d-fghij', lab.nodes[1] ?? cp, ready(cp), '10.244.1.3'));
      for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) items.push(pod(ns, `${c}-${cp.hostname}`, cp, true, cp.ip));
      joined.forEach((n, i) => items.push(pod(ns, `kube-proxy-${String(10000 + i)}`, n, true, n.ip)));
    } else if (ns === cni.ns) {
      joined.forEach((n, i) => items.push(pod(ns, `${cni.ds}-${String(20000 + i)}`, n, ready(n), n.ip)));
    }
    out({ items });
    return 0;
  }
  if (kind === 'daemonset') {
    out({ metadata: { name, namespace: ns }, status: { desiredNumberScheduled: joined.length, numberReady: joined.filter(ready).length } });
    return 0;
  }
  if (kind === 'tigerastatus') {
    const all = joined.length === lab.nodes.length && joined.every(ready);
    out({ metadata: { name }, status: { conditions: [{ type: 'Available', status: all ? 'True' : 'False', message: all ? 'All objects available' : 'calico-node not ready' }] } });
    return 0;
  }
  if (kind === 'events') {
    out({ items: [...notReady].map((n) => ({ involvedObject: { kind: 'Node', name: lab.nodes.find((x) => x.name === n)?.hostname ?? n }, type: 'Normal', reason: 'NodeNotReady', message: `Node ${n} status is now: NodeNotReady`, lastTimestamp: ts })) });
    return 0;
  }
  if (kind === 'blockaffinities' && lab.cni.plugin === 'calico') {
    // Calico IPAM: node i holds block 2i of the pool; the first worker also block 2i+1 (a node can hold several).
    const size = 2 ** (32 - lab.cni.options.blockSize);
    const [base] = (lab.cni.options.poolCidr ?? lab.kubernetes.podCidr).split('/');
    const b = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const ip = (n) => [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.');
    const block = (n, k) => ({ metadata: { name: `${n.hostname}-${ip(b + k * size).replace(/\./g, '-')}-${lab.cni.options.blockSize}` }, spec: { node: n.hostname, cidr: `${ip(b + k * size)}/${lab.cni.options.blockSize}`, state: 'confirmed', deleted: 'false' } });
    out({ items: joined.flatMap((n, i) => [block(n, 2 * i), ...(i === 1 ? [block(n, 2 * i + 1)] : [])]) });
    return 0;
  }
  process.stderr.write(`error: the server doesn't have a resource type "${kind}"\n`);
  return 1;
}
process.exitCode = main();
