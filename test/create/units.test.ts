// The pure pieces of orchestration: vagrant output parsing, redaction, readiness, durations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateReadiness, type ClusterSnapshot } from '../../src/create/readiness.js';
import { parseDuration } from '../../src/create/timeout.js';
import { prepareLab } from '../../src/pipeline/prepare.js';
import { defaultRegistries } from '../../src/registries.js';
import { machineStates } from '../../src/vagrant/machine-readable.js';
import { parseVagrantLine as parseLine } from '../../src/vagrant/progress.js';

const REG = defaultRegistries();
/** Parses with the phases of the provider whose message the line is (VirtualBox's or libvirt's). */
function parseVagrantLine(raw: string) {
  const own = REG.providers.all().map((p) => parseLine(raw, p.upPhases)).find((r) => r.event?.kind === 'phase');
  return own ?? parseLine(raw);
}
import { redactText } from '../../src/vagrant/redact.js';
import type { K8sNode, K8sPod } from '../../src/host/k8s-types.js';

test('vagrant lines are attributed to their machine and turned into progress events', () => {
  assert.deepEqual(parseVagrantLine("==> worker1: Importing base box 'rockylinux/9'..."), { node: 'worker1', text: "Importing base box 'rockylinux/9'...", event: { kind: 'phase', phase: 'import' } });
  assert.deepEqual(parseVagrantLine('==> master: Starting domain.').event, { kind: 'phase', phase: 'boot' });
  assert.deepEqual(parseVagrantLine('    worker2: LABGEN-STEP node=worker2 n=3 total=13 name=selinux').event, { kind: 'step', n: 3, total: 13, name: 'selinux' });
  assert.deepEqual(parseVagrantLine('\u001b[1;31m    worker2: LABGEN-FAIL node=worker2 step=kubeadm-join line=42\u001b[0m').event, { kind: 'fail', step: 'kubeadm-join', line: 42 });
  assert.equal(parseVagrantLine("Bringing machine 'worker3' up with 'libvirt' provider...").node, 'worker3');
  assert.equal(parseVagrantLine('The SSH command responded with a non-zero exit status.').node, undefined);
  // vagrant-libvirt 0.11.2's box upload, as real vagrant printed it with --no-color (the real-VM test saw it):
  // the progress is redrawn with \r and ESC[K, and the next message follows the last redraw without a newline.
  assert.deepEqual(parseVagrantLine('\u001b[KProgress: 0%\r\u001b[KProgress: 100%\r\u001b[K==> master: Creating image (snapshot of base box volume).'),
    { node: 'master', text: 'Creating image (snapshot of base box volume).', event: { kind: 'phase', phase: 'import' } });
  assert.equal(parseVagrantLine('Progress: 7%\r').text, 'Progress: 7%');
  // A guest's dpkg redraws inside one prefixed line: the machine stays the line's.
  assert.deepEqual(parseVagrantLine('    worker1: (Reading database ... 5%\r(Reading database ... 100%\r(Reading database ... 13574 files and directories currently installed.)'),
    { node: 'worker1', text: '(Reading database ... 13574 files and directories currently installed.)' });
});

test('machine-readable status gives each machine its state', () => {
  const m = machineStates('1,master,provider-name,virtualbox\n1,master,state,running\n1,worker1,state,not_created\n1,,ui,info,Current machine states:%!(VAGRANT_COMMA)\n');
  assert.deepEqual([...m], [['master', { state: 'running', provider: 'virtualbox' }], ['worker1', { state: 'not_created', provider: '' }]]);
});

test('the redactor hides bootstrap tokens, PEM blocks across lines, kubeconfig keys and given literals', () => {
  const text = ['join with abcdef.0123456789abcdef now', '-----BEGIN RSA PRIVATE KEY-----', 'MIIEsecret', '-----END RSA PRIVATE KEY-----', '    client-key-data: c2VjcmV0', 'my-long-secret-value here', 'plain line'].join('\n');
  const out = redactText(text, ['my-long-secret-value']);
  assert.equal(out, ['join with <redacted-token> now', '<redacted PEM block>', '    client-key-data: <redacted>', '<redacted> here', 'plain line'].join('\n'));
});

test('readiness: Ready only with every node Ready on its host-only InternalIP, every pod ready and the DaemonSet complete', () => {
  const { lab } = prepareLab('flannel-4node', {}, defaultRegistries());
  const node = (n: typeof lab.nodes[number], ready = true, ip = n.ip): K8sNode => ({ metadata: { name: n.hostname }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletNotReady' }], addresses: [{ type: 'InternalIP', address: ip }] } });
  const pod = (name: string, ok = true): K8sPod => ({ metadata: { name, namespace: 'kube-system' }, spec: { nodeName: 'x' }, status: { phase: ok ? 'Running' : 'Pending', containerStatuses: [{ name: 'c', ready: ok, state: ok ? { running: {} } : { waiting: { reason: 'ContainerCreating' } } }] } });
  const good: ClusterSnapshot = { nodes: lab.nodes.map((n) => node(n)), pods: [pod('coredns-a'), pod('etcd-master')], daemonSets: [{ namespace: 'kube-flannel', name: 'kube-flannel-ds', ds: { metadata: { name: 'kube-flannel-ds' }, status: { desiredNumberScheduled: 4, numberReady: 4 } } }], conditions: [] };
  assert.deepEqual(evaluateReadiness(lab, good), []);
  const natIp = { ...good, nodes: lab.nodes.map((n, i) => node(n, true, i === 2 ? '10.0.2.15' : n.ip)) };
  assert.match(evaluateReadiness(lab, natIp)[0]!.reason, /InternalIP is 10\.0\.2\.15, not its host-only address 10\.0\.0\.3/);
  const missing = { ...good, nodes: good.nodes.slice(0, 3) };
  assert.deepEqual(evaluateReadiness(lab, missing).map((p) => p.name), ['worker3.lab.com']);
  const pending = { ...good, pods: [pod('coredns-a', false)] };
  assert.match(evaluateReadiness(lab, pending)[0]!.reason, /Pending; c: ContainerCreating/);
  const ds = { ...good, daemonSets: [{ ...good.daemonSets[0]!, ds: { metadata: { name: 'd' }, status: { desiredNumberScheduled: 4, numberReady: 3 } } }] };
  assert.match(evaluateReadiness(lab, ds)[0]!.reason, /3 of 4 pods ready/);
  assert.equal(evaluateReadiness(lab, { ...good, apiError: 'connection refused' })[0]!.kind, 'API');
});

test('durations accept seconds and units and reject the rest', () => {
  assert.equal(parseDuration('timeout', '900'), 900_000);
  assert.equal(parseDuration('timeout', '15m'), 900_000);
  assert.equal(parseDuration('timeout', '250ms'), 250);
  assert.throws(() => parseDuration('timeout', 'soon'), /--timeout soon is not a duration/);
  assert.throws(() => parseDuration('timeout', '0'), /not a duration/);
});

test('the kubeconfig is what lies between the markers: Vagrant\'s own lines on ssh\'s stdout (the ".1" warning) are not part of it', async () => {
  const { betweenMarkers } = await import('../../src/create/kubeconfig.js');
  const stdout = '==> master: You assigned a static IP ending in ".1" to this machine.\n==> master: properly, try changing this IP.\nLABGEN-KUBECONFIG-BEGIN\napiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\nLABGEN-KUBECONFIG-END\n';
  assert.equal(betweenMarkers(stdout), 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n');
  assert.equal(betweenMarkers('apiVersion: v1\nclusters:\n'), undefined, 'no markers: no kubeconfig (a cut-off cat is not taken for the file)');
});

test('waitReady hands Ctrl-C to the kubectl running now: it stops at once, no further kubectl starts, the wait ends interrupted', async () => {
  const { waitReady } = await import('../../src/create/wait-ready.js');
  const stop = new AbortController();
  const calls: { args: string[]; signalled: boolean }[] = [];
  let afterAbort = 0;
  // A kubectl that answers only when its own signal aborts (as execa-runner stops it), or else after the test's
  // controller aborted plus a turn (a kubectl that ran on, ignoring Ctrl-C, to its --request-timeout).
  const runner = {
    run: (_cmd: string, args: string[], o: { signal?: AbortSignal } = {}) => {
      if (stop.signal.aborted) afterAbort++;
      if (o.signal?.aborted) return Promise.resolve({ exitCode: 130, stdout: '', stderr: '', notFound: false, interrupted: true });
      const call = { args, signalled: o.signal !== undefined };
      calls.push(call);
      return new Promise<{ exitCode: number; stdout: string; stderr: string; notFound: boolean; interrupted: boolean }>((res) => {
        const answer = (interrupted: boolean) => res({ exitCode: interrupted ? 130 : 0, stdout: interrupted ? '' : '{"items": []}', stderr: '', notFound: false, interrupted });
        if (o.signal) o.signal.addEventListener('abort', () => answer(true), { once: true });
        else if (stop.signal.aborted) answer(false);
        else stop.signal.addEventListener('abort', () => setImmediate(() => answer(false)), { once: true });
      });
    },
  };
  const lab = prepareLab('flannel-4node', {}, defaultRegistries()).lab;
  const cni = defaultRegistries().cni.require(lab.cni.plugin).readiness(lab.cni.options);
  let t = 0;
  const clock = { now: () => t, sleep: async (ms: number) => { t += ms; } };
  const wait = waitReady({ runner, clock, kubeconfig: 'kc', lab, cni, timeoutMs: 600_000, intervalMs: 5000, signal: stop.signal });
  while (calls.length === 0) await new Promise((res) => setImmediate(res));
  stop.abort();
  const w = await wait;
  assert.equal(w.outcome, 'interrupted');
  assert.equal(calls[0]!.signalled, true, 'the running kubectl got the signal');
  assert.equal(calls.length, 1, `no other kubectl was started: ${calls.map((c) => c.args.join(' ')).join('; ')}`);
  assert.equal(afterAbort, 0, 'nothing ran after Ctrl-C');
});
