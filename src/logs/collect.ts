// Gathers everything `labgen logs` archives: per node (labgen and vagrant logs, kubelet/containerd journals, addresses,
// routes, FDB), the cluster (nodes, pods, events, the CNI's pods and their logs), the host's tools and boxes, and the
// resolved lab. Every text passes the redactor; a node or API that does not answer is noted, never fatal.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CniPlugin } from '../cni/types.js';
import type { K8sList, K8sPod } from '../host/k8s-types.js';
import { kubeconfigPath } from '../create/kubeconfig.js';
import { kubectlJson } from '../host/kubectl.js';
import { LAB_JSON } from '../io/lab-dir.js';
import { packageRoot } from '../lab/load.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Provider } from '../providers/types.js';
import type { LabSecrets } from '../render/secrets.js';
import { redactText } from '../vagrant/redact.js';
import { firstLine, type RunResult, type Runner } from '../host/process.js';
import { vagrantSsh, vagrantStatus } from '../vagrant/vagrant.js';
import { guestScript, parseGuestOutput } from './guest-script.js';
import type { TarMember } from './tar.js';

/** What collecting needs. */
export interface CollectInput {
  dir: string; lab: ResolvedLab; provider: Provider; cni: CniPlugin; runner: Runner; secrets?: LabSecrets;
  /** How long one node (or one kubectl call) may take before it is noted as not answering. */
  nodeTimeoutMs: number;
  signal: AbortSignal;
  now: Date;
}

/** What was collected: archive members under one top directory, and what could not be collected. */
export interface Collected { members: TarMember[]; notes: string[] }

/** Host log files larger than this are cut to their last bytes (a runaway log must not fill the archive). */
const MAX_HOST_LOG = 32 * 1024 * 1024;

/** The literal secrets of a lab directory: bootstrap token, the CA key's base64 lines, the kubeconfig's credentials. */
export function labLiterals(dir: string, secrets: LabSecrets | undefined): string[] {
  const out: string[] = [];
  if (secrets) {
    out.push(secrets.bootstrapToken);
    for (const l of secrets.caKeyPem.split('\n')) if (!l.startsWith('-----') && l.trim().length >= 16) out.push(l.trim());
  }
  const kc = kubeconfigPath(dir);
  if (existsSync(kc) && lstatSync(kc).isFile()) {
    for (const m of readFileSync(kc, 'utf8').matchAll(/\b(?:client-key-data|client-certificate-data|token|password):\s*(\S+)/g)) out.push(m[1]!);
  }
  return out;
}

function timed(signal: AbortSignal, ms: number): AbortSignal { return AbortSignal.any([signal, AbortSignal.timeout(ms)]); }

function commandText(command: string, args: string[], r: RunResult): string {
  return `$ ${[command, ...args].join(' ')}\n${r.notFound ? `(${command} is not on PATH)\n` : ''}${r.stdout}${r.stderr ? `${r.stderr.endsWith('\n') || !r.stdout ? '' : '\n'}${r.stderr}` : ''}${r.exitCode !== 0 && !r.notFound ? `(exit ${r.exitCode}${r.interrupted ? ', stopped: it did not answer in time' : ''})\n` : ''}`;
}

/** Collects everything; never throws for a node, the API or a tool that does not answer. */
export async function collect(input: CollectInput): Promise<Collected> {
  const { dir, lab, runner } = input;
  // Every command adds a listener to the user's signal (through AbortSignal.any): more than Node's default warning limit.
  setMaxListeners(0, input.signal);
  const literals = labLiterals(dir, input.secrets);
  const clean = (text: string) => redactText(text, literals);
  const root = `labgen-logs-${lab.name}-${input.now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const members: TarMember[] = [];
  const notes: string[] = [];
  const add = (path: string, text: string) => members.push({ path: `${root}/${path}`, content: clean(text), mtime: input.now });
  const run = async (command: string, args: string[], cwd?: string) => {
    const r = await runner.run(command, args, { cwd, signal: timed(input.signal, input.nodeTimeoutMs) });
    return { r, text: commandText(command, args, r) };
  };

  // The resolved lab and vagrant's view of the machines.
  add('lab/labgen.json', readFileSync(join(dir, LAB_JSON), 'utf8'));
  const status = await vagrantStatus(runner, dir);
  const states = status.states;
  add('lab/vagrant-status.txt', status.result.exitCode === 0
    ? lab.nodes.map((n) => `${n.name}\t${states.get(n.name)?.state ?? 'unknown'}\t${states.get(n.name)?.provider ?? ''}`).join('\n') + '\n'
    : commandText('vagrant', ['status', '--machine-readable'], status.result));
  if (status.result.exitCode !== 0) notes.push(`vagrant status failed (${firstLine(status.result)}): every node is tried anyway`);

  const tasks: Promise<void>[] = [];
  // Each node: its host-side vagrant log, then one ssh session running the guest script.
  for (const node of lab.nodes) {
    tasks.push((async () => {
      const state = states.get(node.name)?.state ?? 'unknown';
      if (status.result.exitCode === 0 && state !== 'running') {
        const why = `${node.name}: not collected from the guest: the VM is ${state} (vagrant status)`;
        notes.push(why);
        add(`nodes/${node.name}/NOT-COLLECTED.txt`, `${why}\n`);
        return;
      }
      const boundary = randomBytes(16).toString('hex');
      const r = await vagrantSsh(runner, dir, node.name, guestScript(boundary), timed(input.signal, input.nodeTimeoutMs));
      const sections = parseGuestOutput(r.stdout, boundary);
      for (const s of sections) add(`nodes/${node.name}/${s.name}`, `${s.text}${s.complete ? (s.exitCode ? `(exit ${s.exitCode})\n` : '') : '(cut short: the node stopped answering)\n'}`);
      if (sections.length === 0 || r.exitCode !== 0) {
        const why = `${node.name}: ${r.interrupted ? `did not answer within ${Math.round(input.nodeTimeoutMs / 1000)}s` : `vagrant ssh failed (exit ${r.exitCode})`}${sections.length ? `; ${sections.length} items collected before that` : ''}`;
        notes.push(why);
        add(`nodes/${node.name}/NOT-COLLECTED.txt`, `${why}\n${r.stderr}`);
      }
    })());
  }

  // The cluster through the lab's kubeconfig on the host.
  const kc = kubeconfigPath(dir);
  tasks.push((async () => {
    if (!existsSync(kc)) { notes.push('cluster: no kubeconfig in the lab directory yet (create writes it once the control plane is up)'); add('cluster/NOT-COLLECTED.txt', 'no kubeconfig yet\n'); return; }
    const k = (args: string[]) => run('kubectl', ['--kubeconfig', kc, '--request-timeout=10s', ...args]);
    const np = await k(['get', 'nodes,pods', '-A', '-o', 'wide']);
    add('cluster/nodes-pods.txt', np.text);
    if (np.r.exitCode !== 0) { notes.push(`cluster: the API did not answer: ${firstLine(np.r)}`); return; }
    add('cluster/events.txt', (await k(['get', 'events', '-A', '--sort-by=.lastTimestamp'])).text);
    for (const src of input.cni.logSources(lab.cni.options)) {
      const sel = src.selector ? ['-l', src.selector] : [];
      add(`cluster/cni/${src.namespace}/pods.txt`, (await k(['get', 'pods', '-n', src.namespace, ...sel, '-o', 'wide'])).text);
      const pods = await kubectlJson<K8sList<K8sPod>>(runner, kc, ['get', 'pods', '-n', src.namespace, ...sel], timed(input.signal, input.nodeTimeoutMs));
      if (pods.error) { notes.push(`cluster: pods of ${src.namespace}: ${pods.error}`); continue; }
      for (const p of pods.value?.items ?? []) {
        if (!/^[a-z0-9][a-z0-9.-]{0,252}$/.test(p.metadata.name)) continue;
        add(`cluster/cni/${src.namespace}/${p.metadata.name}.log`, (await k(['logs', '-n', src.namespace, p.metadata.name, '--all-containers', '--prefix', '--timestamps', '--tail=5000'])).text);
      }
    }
  })());

  // The host: versions of the tools, the boxes, and labgen's own logs of this lab.
  tasks.push((async () => {
    const tools: [string, string[]][] = [['vagrant', ['--version']], ['vagrant', ['plugin', 'list']], ...input.provider.hostTools.map((t): [string, string[]] => [t.command, t.args]), ['kubectl', ['version', '--client']]];
    const texts: string[] = [`labgen ${labgenVersion()}, node ${process.version}, ${process.platform} ${process.arch}\n`];
    for (const [c, a] of tools) texts.push((await run(c, a)).text);
    add('host/versions.txt', texts.join('\n'));
    add('host/boxes.txt', (await run('vagrant', ['box', 'list'])).text);
  })());
  const logDir = join(dir, 'logs');
  if (existsSync(logDir) && lstatSync(logDir).isDirectory()) {
    for (const f of readdirSync(logDir).sort()) {
      const p = join(logDir, f);
      // Only regular files labgen names <something>.log: a planted symlink is not followed.
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.log$/.test(f) || !lstatSync(p).isFile()) continue;
      const buf = readFileSync(p);
      add(`host/logs/${f}`, buf.length > MAX_HOST_LOG ? `(first ${buf.length - MAX_HOST_LOG} bytes left out)\n${buf.subarray(buf.length - MAX_HOST_LOG).toString('utf8')}` : buf.toString('utf8'));
    }
  }

  await Promise.all(tasks);
  notes.sort();
  const readme = [
    `labgen logs of ${lab.name} (${lab.nodes.length} nodes, ${lab.cni.summary}, ${lab.provider.name}), collected ${input.now.toISOString()}`,
    `from ${dir}. Secrets (bootstrap token, CA key, kubeconfig credentials) are redacted.`,
    '',
    'lab/        the resolved lab (labgen.json) and each VM\'s state',
    'host/       tool versions, boxes, and labgen\'s per-node vagrant logs (logs/<node>.log)',
    'nodes/<n>/  kubelet and containerd journals, ip -d addr, ip route, bridge fdb, labgen/<step>.log',
    'cluster/    kubectl get nodes,pods -A -o wide, events, the CNI\'s pods and their logs',
    '',
    notes.length ? 'Not collected:' : 'Everything was collected.',
    ...notes.map((n) => `  - ${n}`),
    '',
  ].join('\n');
  members.unshift({ path: `${root}/README.txt`, content: clean(readme), mtime: input.now });
  members.sort((a, b) => (a.path.endsWith('/README.txt') ? -1 : b.path.endsWith('/README.txt') ? 1 : a.path.localeCompare(b.path)));
  return { members, notes };
}

function labgenVersion(): string {
  try { return String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '?'); } catch { return '?'; }
}
