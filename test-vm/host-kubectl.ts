// STAND-IN kubectl for the HOST side of the real-VM test: labgen waits for Ready by running `kubectl` on the
// host, and the guests run the stand-in Kubernetes (no registry this machine reaches carries the real one).
// This program answers labgen's `kubectl --kubeconfig DIR/kubeconfig get ... -o json` from the guests' REAL
// state, gathered over SSH with the configuration `vagrant ssh-config` gives (what `vagrant ssh` uses):
//   - the API endpoint: a real TLS connection from the host (inside the test's namespace) to the kubeconfig's
//     `server:` (the control plane's host-only address), verified against the kubeconfig's CA with its client
//     certificate; no answer means kubectl's "connection refused" and exit 1, as the real one;
//   - a node is registered when /etc/kubernetes/kubelet.conf exists on it (kubeadm init/join ran), Ready when
//     the kubelet unit is active, the stand-in kubelet's checks passed (swap off, containerd answering with the
//     systemd cgroup driver, node-ip on a NIC) and the CNI's manifest was applied; InternalIP is the node-ip the
//     kubelet was started with;
//   - pods are derived, not run: the control plane's static pods from /etc/kubernetes/manifests, kube-proxy and
//     the CNI DaemonSet's pod per registered node, Running when their node is Ready; the CNI DaemonSet exists once
//     its manifest was applied (kubectl apply on the control plane).
// Run through a `kubectl` wrapper the test puts first on PATH inside the namespace. State (ssh configs) lives in
// $KUBECTL_STANDIN_STATE.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { dirname, join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

interface LabNode { name: string; hostname: string; role: string; ip: string }
interface Probe { node: LabNode; reachable: boolean; active: boolean; status: Record<string, string>; joined: boolean; manifests: string[]; applied: string }

const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}
const positional = argv.filter((a, i) => !a.startsWith('-') && !['--kubeconfig', '-n', '--namespace', '-o', '--output'].includes(argv[i - 1] ?? ''));

function out(value: unknown): never { process.stdout.write(`${JSON.stringify(value, null, 2)}\n`); process.exit(0); }
function fail(message: string): never { process.stderr.write(`${message}\n`); process.exit(1); }

if (positional[0] === 'version') out({ clientVersion: { gitVersion: 'v1.35.0-standin', major: '1', minor: '35' }, kustomizeVersion: 'v5.7.1' });
const kubeconfig = flag('--kubeconfig') ?? fail('error: the stand-in needs --kubeconfig (labgen always passes it)');
if (positional[0] !== 'get') fail(`kubectl (stand-in): '${positional[0] ?? ''}' is not implemented by the real-VM test's host-side stand-in`);
const labDir = dirname(kubeconfig);
const stateDir = process.env.KUBECTL_STANDIN_STATE ?? fail('KUBECTL_STANDIN_STATE is not set (the test sets it)');
mkdirSync(stateDir, { recursive: true });

const lab = (JSON.parse(readFileSync(join(labDir, 'labgen.json'), 'utf8')) as { lab: { nodes: LabNode[]; cni: { plugin?: string } } }).lab;

async function apiAnswers(): Promise<string | undefined> {
  const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[] };
  const cluster = kc.clusters[0]!.cluster;
  const user = kc.users[0]?.user ?? {};
  const url = new URL(cluster.server);
  const b64 = (s?: string) => (s ? Buffer.from(s, 'base64') : undefined);
  return new Promise((resolve) => {
    const s = connect({ host: url.hostname, port: Number(url.port || 443), ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']), timeout: 8000 });
    const done = (err?: string) => { s.destroy(); resolve(err); };
    s.on('secureConnect', () => done(s.authorized ? undefined : `x509: ${String(s.authorizationError)}`));
    s.on('error', (e) => done(`The connection to the server ${url.host} was refused - did you specify the right host or port? (${e.message})`));
    s.on('timeout', () => done(`Unable to connect to the server: dial tcp ${url.host}: i/o timeout`));
  });
}

function sshConfig(node: string, fresh: boolean): string {
  const file = join(stateDir, `ssh-${node}.conf`);
  if (!fresh && existsSync(file)) return file;
  writeFileSync(file, execFileSync('vagrant', ['ssh-config', node], { cwd: labDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return file;
}

const PROBE = [
  'echo "active=$(systemctl is-active kubelet)"',
  'sed "s/^/status./" /var/lib/kubelet/standin-status 2>/dev/null',
  '[ -f /etc/kubernetes/kubelet.conf ] && echo joined=1',
  'ls /etc/kubernetes/manifests 2>/dev/null | sed "s/^/manifest=/"',
  'echo ---applied---',
  'cat /var/lib/kubectl-standin/applied/* 2>/dev/null',
].join('; ');

function probe(node: LabNode): Probe {
  const p: Probe = { node, reachable: false, active: false, status: {}, joined: false, manifests: [], applied: '' };
  let text = '';
  for (const fresh of [false, true]) {
    try {
      const cfg = sshConfig(node.name, fresh);
      text = execFileSync('ssh', ['-F', cfg, '-o', 'ConnectTimeout=8', '-o', 'BatchMode=yes', node.name, `sudo sh -c '${PROBE}'`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
      p.reachable = true;
      break;
    } catch (e) { text = String((e as { stdout?: string }).stdout ?? ''); if (text.includes('active=')) { p.reachable = true; break; } }
  }
  const [head, applied] = text.split('---applied---\n');
  for (const line of (head ?? '').split('\n')) {
    const [k, ...rest] = line.split('=');
    const v = rest.join('=');
    if (k === 'active') p.active = v === 'active';
    else if (k?.startsWith('status.')) p.status[k.slice(7)] = v;
    else if (k === 'joined') p.joined = true;
    else if (k === 'manifest') p.manifests.push(v.replace(/\.yaml$/, ''));
  }
  p.applied = applied ?? '';
  return p;
}

const ts = new Date().toISOString();
const cond = (type: string, ok: boolean, reason: string, message = '') => ({ type, status: ok ? 'True' : 'False', reason, message, lastTransitionTime: ts });
function pod(namespace: string, name: string, nodeName: string, ready: boolean) {
  return {
    metadata: { name, namespace, creationTimestamp: ts },
    spec: { nodeName },
    status: { phase: ready ? 'Running' : 'Pending', conditions: [cond('Ready', ready, ready ? '' : 'NodeNotReady')], containerStatuses: [{ name: name.replace(/-[^-]+$/, ''), ready, restartCount: 0, state: ready ? { running: {} } : { waiting: { reason: 'ContainerCreating', message: 'node not Ready' } } }] },
  };
}

const apiError = await apiAnswers();
if (apiError) fail(apiError);
const probes = lab.nodes.map(probe);
const cp = probes.find((p) => p.node.role === 'control-plane')!;
const docs = parseAllDocuments(cp.applied).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null).filter((d) => d?.kind);
const cniApplied = docs.some((d) => d!.kind === 'DaemonSet');
const nodeReady = (p: Probe) => p.joined && p.active && p.status.ready === 'true' && cniApplied;
const registered = probes.filter((p) => p.joined);
const what = positional[1];
const ns = flag('-n') ?? flag('--namespace') ?? 'default';

if (what === 'nodes' || what === 'node') {
  out({ kind: 'List', items: registered.map((p) => {
    const reason = !p.reachable ? 'NodeStatusUnknown' : !p.active ? 'KubeletNotRunning' : p.status.ready !== 'true' ? 'KubeletNotReady' : !cniApplied ? 'NetworkPluginNotReady' : 'KubeletReady';
    const message = reason === 'KubeletReady' ? 'kubelet is posting ready status' : reason === 'NetworkPluginNotReady' ? 'container runtime network not ready: cni plugin not initialized' : p.status.reason ?? reason;
    return {
      metadata: { name: p.status.node ?? p.node.hostname, labels: p.node.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}, creationTimestamp: ts },
      status: { conditions: [cond('Ready', nodeReady(p), reason, message)], addresses: [{ type: 'InternalIP', address: p.status.ip ?? '' }, { type: 'Hostname', address: p.status.node ?? p.node.hostname }], nodeInfo: { kubeletVersion: 'v1.35.0-standin' } },
    };
  }) });
}
if (what === 'pods' || what === 'pod') {
  const items: unknown[] = [];
  if (ns === 'kube-system' && cp.joined) {
    for (const m of cp.manifests) items.push(pod(ns, `${m}-${cp.node.hostname}`, cp.node.hostname, nodeReady(cp)));
    for (const p of registered) items.push(pod(ns, `kube-proxy-${p.node.name}`, p.node.hostname, nodeReady(p)));
  }
  for (const d of docs) {
    if (d!.kind !== 'DaemonSet' || (d!.metadata?.namespace ?? 'default') !== ns) continue;
    for (const p of registered) items.push(pod(ns, `${d!.metadata?.name}-${p.node.name}`, p.node.hostname, nodeReady(p)));
  }
  out({ kind: 'List', items });
}
if (what === 'daemonset' || what === 'daemonsets' || what === 'ds') {
  const name = positional[2];
  const d = docs.find((x) => x!.kind === 'DaemonSet' && x!.metadata?.name === name && (x!.metadata?.namespace ?? 'default') === ns);
  if (!d) fail(`Error from server (NotFound): daemonsets.apps "${name}" not found`);
  out({ metadata: { name, namespace: ns }, status: { desiredNumberScheduled: registered.length, numberReady: registered.filter(nodeReady).length, numberAvailable: registered.filter(nodeReady).length } });
}
if (what === 'events') out({ kind: 'List', items: [] });
fail(`error: the server doesn't have a resource type "${what}" (the real-VM test's stand-in answers nodes, pods, daemonset, events)`);
