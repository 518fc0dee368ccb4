// The rendered provisioning scripts run for real (bash) against a scratch node root, with stub guest commands:
// step order, resulting files, secrets kept out of the output, idempotency, and the NIC check's failure message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { renderToTemp } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { FakeNode, MUTATING, REAL_TOOLS, realToolsDir, STUBS } from './harness.js';

const EL_BASE = ['nic-name', 'hosts', 'swap', 'selinux', 'firewall', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic'];
const UBUNTU_BASE = ['hosts', 'swap', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic'];
const CP = ['cluster-ca', 'kubeadm-init', 'kubeconfig', 'cni', 'cleanup'];
const WORKER = ['wait-api', 'kubeadm-join', 'cleanup'];

function numbered(names: string[], total: number): string[] { return names.map((n, i) => `${i + 1}/${total} ${n}`); }
function secretsOf(dir: string): string[] {
  const token = readFileSync(join(dir, 'secrets/bootstrap-token'), 'utf8').trim();
  return [token, token.split('.')[1]!];
}
function assertNoSecrets(dir: string, ...texts: string[]): void {
  for (const s of secretsOf(dir)) for (const t of texts) assert.ok(!t.includes(s), 'the bootstrap token reached the output');
}
function mutating(calls: string[]): string[] { return calls.filter((c) => MUTATING.some((re) => re.test(c))); }

describe('provisioning scripts with stub guest commands', () => {
  it('PATH holds only the stubs and the real harmless tools: curl, ip, systemctl... resolve to the stubs', () => {
    const node = new FakeNode(renderToTemp('flannel-4node').dir, renderToTemp('flannel-4node').lab.nodes[0]!);
    for (const cmd of ['curl', 'ip', 'systemctl', 'dnf', 'kubeadm', 'kubectl', 'firewall-cmd', 'modprobe']) {
      assert.ok(STUBS.includes(cmd), `${cmd} has a stub`);
      const r = spawnSync(join(realToolsDir(), 'bash'), ['-c', `command -v ${cmd}`], { env: node.env(), encoding: 'utf8' });
      assert.match(r.stdout.trim(), /test\/fakes\/guest\//, `${cmd} resolves to ${r.stdout.trim()}`);
    }
    for (const cmd of ['wget', 'nc', 'ssh', 'python3', 'node']) {
      const r = spawnSync(join(realToolsDir(), 'bash'), ['-c', `command -v ${cmd}`], { env: node.env(), encoding: 'utf8' });
      assert.equal(r.stdout.trim(), '', `${cmd} must not be reachable`);
    }
    assert.ok(!REAL_TOOLS.some((t) => STUBS.includes(t)), 'no real tool shadows a stub');
  });

  it('EL control plane (flannel-4node master): steps in order, files right, token never printed, second run changes nothing', (t) => {
    if (!requireTool(t, 'openssl')) return;
    const { dir, lab } = renderToTemp('flannel-4node');
    const node = new FakeNode(dir, lab.controlPlane);
    const total = EL_BASE.length + CP.length;
    const base = node.ok('base.sh');
    const cp = node.ok('control-plane.sh');
    assert.deepEqual([...base.steps, ...cp.steps], numbered([...EL_BASE, ...CP], total));
    assert.match(cp.stdout, /^LABGEN-DONE node=master$/m);

    // /etc/hosts: the four lab lines, Vagrant's 127.0.1.1 self line gone, localhost kept.
    const hosts = node.file('etc/hosts');
    assert.equal(hosts, '127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n# BEGIN labgen\n10.0.0.1 master.lab.com master\n10.0.0.2 worker1.lab.com worker1\n10.0.0.3 worker2.lab.com worker2\n10.0.0.4 worker3.lab.com worker3\n# END labgen\n');
    assert.equal(node.file('etc/fstab'), 'UUID=0a1b2c3d / xfs defaults 0 0\n# labgen: kubelet needs swap off: /dev/mapper/rl-swap none swap defaults 0 0\n');
    assert.equal(node.file('etc/selinux/config'), 'SELINUX=permissive\nSELINUXTYPE=targeted\n');
    const toml = node.file('etc/containerd/config.toml');
    assert.match(toml, /^\s+SystemdCgroup = true$/m);
    assert.doesNotMatch(toml, /SystemdCgroup = false/);
    const repo = node.file('etc/yum.repos.d/kubernetes.repo');
    assert.match(repo, /^baseurl=https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.35\/rpm\/$/m);
    assert.match(repo, /^exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni$/m);
    assert.equal(node.file('etc/sysconfig/kubelet'), 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.1\n');
    assert.equal(node.file('etc/modules-load.d/k8s.conf'), 'overlay\nbr_netfilter\n');
    assert.match(node.file('etc/sysctl.d/k8s.conf'), /net\.ipv4\.ip_forward = 1/);
    assert.ok(node.exists('etc/kubernetes/pki/ca.crt') && node.exists('etc/kubernetes/pki/ca.key'));
    assert.equal(node.file('home/vagrant/.kube/config'), node.file('etc/kubernetes/admin.conf'));
    // Stub calls that prove what was done: ports for the control plane and flannel's VXLAN, packages, kubeadm init.
    for (const c of ['firewall-cmd --permanent --add-port=6443/tcp', 'firewall-cmd --permanent --add-port=8472/udp', 'firewall-cmd --permanent --zone=trusted --add-source=10.244.0.0/16', 'setenforce 0', 'swapoff -a', 'systemctl mask swap.target', 'modprobe br_netfilter', 'dnf -y -q install containerd.io', 'systemctl restart containerd', 'systemctl enable kubelet']) {
      assert.ok([...base.calls].includes(c), `base.sh did not run "${c}"; calls:\n${base.calls.join('\n')}`);
    }
    assert.ok(cp.calls.some((c) => /^kubeadm init --config .*\/etc\/kubernetes\/labgen\/init\.yaml$/.test(c)));
    assert.ok(cp.calls.includes(`kubectl apply -f ${node.labDir}/cni/kube-flannel.yml`), cp.calls.join('\n'));
    // The token reaches the kubeadm config on the node (0600) and nothing else: not the output, not the log.
    assertNoSecrets(dir, base.stdout, base.stderr, cp.stdout, cp.stderr, node.file('var/log/labgen/kubeadm-init.log'));
    assert.match(node.file('var/log/labgen/kubeadm-init.log'), /--token <redacted-token>/);
    assert.ok(node.file('etc/kubernetes/labgen/init.yaml').includes(secretsOf(dir)[0]!));
    assert.equal(node.exists('../tmp-labgen/secrets'), false, 'the uploaded secrets are removed at the end');

    assert.ok(mutating([...base.calls, ...cp.calls]).length >= 15, 'the first run makes the changes the second must not repeat');
    // Idempotency: Vagrant uploads again and runs both scripts; nothing changes.
    const before = node.snapshot();
    node.upload();
    const base2 = node.ok('base.sh');
    const cp2 = node.ok('control-plane.sh');
    assert.deepEqual([...base2.steps, ...cp2.steps], numbered([...EL_BASE, ...CP], total));
    assert.deepEqual(mutating([...base2.calls, ...cp2.calls]), [], 'a second run made changing calls');
    assert.deepEqual(node.snapshot(), before, 'a second run changed files under the node root');
    assert.match(base2.stdout, /already done/);
    assertNoSecrets(dir, base2.stdout, base2.stderr, cp2.stdout, cp2.stderr);
  });

  it('EL worker (flannel-4node worker1): waits on the API through the stub curl, joins with token and hash, idempotent', () => {
    const { dir, lab } = renderToTemp('flannel-4node');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker1')!);
    const total = EL_BASE.length + WORKER.length;
    const base = node.ok('base.sh');
    const w = node.ok('worker.sh');
    assert.deepEqual([...base.steps, ...w.steps], numbered([...EL_BASE, ...WORKER], total));
    assert.ok(w.calls.includes('curl -ksf --max-time 5 https://10.0.0.1:6443/livez'), `the API wait went to the stub curl; calls:\n${w.calls.join('\n')}`);
    assert.equal(node.file('etc/sysconfig/kubelet'), 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.2\n');
    assert.ok(base.calls.includes('firewall-cmd --permanent --add-port=10250/tcp'));
    assert.ok(!base.calls.includes('firewall-cmd --permanent --add-port=6443/tcp'), 'a worker does not open the API port');
    const join = node.file('etc/kubernetes/labgen/join.yaml');
    const hash = readFileSync(`${dir}/secrets/ca-cert-hash`, 'utf8').trim();
    assert.ok(join.includes(`caCertHashes: ["${hash}"]`));
    assert.doesNotMatch(join, /__LABGEN_/);
    assert.ok(node.exists('etc/kubernetes/kubelet.conf'));
    assert.equal(node.exists('etc/kubernetes/pki/ca.key'), false, 'a worker never gets the CA key');
    assertNoSecrets(dir, base.stdout, base.stderr, w.stdout, w.stderr, node.file('var/log/labgen/kubeadm-join.log'));

    const before = node.snapshot();
    node.upload();
    const calls = [...node.ok('base.sh').calls, ...node.ok('worker.sh').calls];
    assert.deepEqual(mutating(calls), []);
    assert.ok(!calls.some((c) => c.startsWith('curl ')), 'a joined worker does not wait for the API again');
    assert.deepEqual(node.snapshot(), before);
  });

  it('EL box with kernel NIC names (eth1) and a lab asking for enp0s8: NIC2 is renamed for good, its profile follows, idempotent', () => {
    const { dir, lab } = renderToTemp('flannel-4node');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker2')!, { nic2Name: 'eth1' });
    const base = node.ok('base.sh');
    assert.equal(base.steps[0], `1/${EL_BASE.length + WORKER.length} nic-name`);
    assert.ok(base.calls.includes('ip link set dev eth1 name enp0s8'), base.calls.join('\n'));
    assert.ok(base.calls.includes('nmcli connection modify System eth1 connection.interface-name enp0s8'));
    assert.equal(node.file('etc/systemd/network/10-labgen-nic2.link'), '# Written by labgen: the host-only NIC keeps the name the lab gives it.\n[Match]\nMACAddress=08:00:27:00:00:04\n\n[Link]\nName=enp0s8\n');
    assert.match(base.stdout, /NIC2 eth1 \(08:00:27:00:00:04\) is now enp0s8/);
    assert.match(base.stdout, /pod network NIC enp0s8 carries 10\.0\.0\.3\/24/, 'the NIC check afterwards finds enp0s8');
    const before = node.snapshot();
    node.upload();
    const again = node.ok('base.sh');
    assert.deepEqual(mutating(again.calls), []);
    assert.deepEqual(node.snapshot(), before);
  });

  it('EL: no NIC carries the node address, so nothing can be renamed: stops at nic-name with the fix', () => {
    const { dir, lab } = renderToTemp('flannel-4node');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker1')!, { nic2Name: 'eth1', nicAddress: '192.168.56.9/24' });
    const r = node.run('base.sh');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no NIC carries the host-only address 10\.0\.0\.2, so none can become enp0s8/);
    assert.match(r.stderr, /LABGEN-FAIL node=worker1 step=nic-name/);
  });

  it('Ubuntu control plane (ubuntu-flannel-3node cp): apt steps in order, repo for v1.35, packages held, idempotent', (t) => {
    if (!requireTool(t, 'openssl')) return;
    const { dir, lab } = renderToTemp('ubuntu-flannel-3node');
    const node = new FakeNode(dir, lab.controlPlane);
    const base = node.ok('base.sh');
    const cp = node.ok('control-plane.sh');
    assert.deepEqual([...base.steps, ...cp.steps], numbered([...UBUNTU_BASE, ...CP], UBUNTU_BASE.length + CP.length));
    assert.equal(node.file('etc/apt/sources.list.d/kubernetes.list'), 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n');
    assert.ok(base.calls.includes('apt-mark hold kubelet kubeadm kubectl'));
    assert.ok(base.calls.some((c) => c === 'curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key'), 'the key download went to the stub curl');
    assert.equal(node.file('etc/default/kubelet'), 'KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    assert.match(node.file('etc/hosts'), /# BEGIN labgen\n192\.168\.56\.10 cp\.k8s\.lab cp\n192\.168\.56\.11 w1\.k8s\.lab w1\n192\.168\.56\.12 w2\.k8s\.lab w2\n# END labgen\n$/);
    assert.doesNotMatch(node.file('etc/hosts'), /^127\.0\.1\.1/m);
    assert.ok(!base.calls.some((c) => /^(getenforce|setenforce|firewall-cmd)/.test(c)), 'no SELinux or firewalld on Ubuntu');
    assertNoSecrets(dir, base.stdout, base.stderr, cp.stdout, cp.stderr);

    const before = node.snapshot();
    node.upload();
    const calls = [...node.ok('base.sh').calls, ...node.ok('control-plane.sh').calls];
    assert.deepEqual(mutating(calls), []);
    assert.deepEqual(node.snapshot(), before);
  });

  it('Calico node prep tells NetworkManager to leave cali*/tunl*/vxlan.calico alone, once', () => {
    const { dir, lab } = renderToTemp('calico-4node');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker2')!, { etc: { 'etc/NetworkManager/NetworkManager.conf': '[main]\n' } });
    const base = node.ok('base.sh');
    assert.match(node.file('etc/NetworkManager/conf.d/calico.conf'), /^\[keyfile\]\nunmanaged-devices=interface-name:cali\*;interface-name:tunl\*;interface-name:vxlan\.calico;/);
    assert.ok(base.calls.includes('firewall-cmd --permanent --add-port=179/tcp'), 'BGP port opened');
    assert.ok(base.calls.includes('firewall-cmd --permanent --add-rich-rule=rule protocol value="4" accept'), 'IP-in-IP allowed');
    const before = node.snapshot();
    node.upload();
    assert.deepEqual(mutating(node.ok('base.sh').calls), []);
    assert.deepEqual(node.snapshot(), before);
  });

  it('interface auto finds the NIC by the node address (libvirt: eth1)', () => {
    const { dir, lab } = renderToTemp('libvirt-calico-vxlan');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker3')!);
    const base = node.ok('base.sh');
    assert.match(base.stdout, /pod network NIC is eth1 \(found by address 10\.0\.0\.4\)/);
  });

  it('the NIC check fails, naming the NIC and the fix, when enp0s8 does not carry the node address', () => {
    const { dir, lab } = renderToTemp('flannel-4node');
    const node = new FakeNode(dir, lab.nodes.find((n) => n.name === 'worker1')!, { nicAddress: '10.0.0.99/24' });
    const r = node.run('base.sh');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.steps.at(-1), `${EL_BASE.length}/${EL_BASE.length + WORKER.length} pod-network-nic`);
    assert.match(r.stderr, /labgen: pod-network-nic on worker1: the pod-network NIC 'enp0s8' does not carry the host-only address 10\.0\.0\.2\/24/);
    assert.match(r.stderr, /labgen: fix: set cni\.interface to the NIC that carries 10\.0\.0\.2, or to auto/);
    assert.match(r.stderr, /^LABGEN-FAIL node=worker1 step=pod-network-nic/m);
  });

  it('the NIC check names the NIC that does carry the address when cni.interface is wrong (Ubuntu: no renaming step)', () => {
    const { dir, lab } = renderToTemp('ubuntu-flannel-3node');
    const worker = lab.nodes.find((n) => n.name === 'w1')!;
    const node = new FakeNode(dir, worker, { nic2Name: 'enp0s8' });
    const r = node.run('base.sh');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the pod-network NIC 'eth1' \(cni\.interface\) does not exist on this box; it has: lo eth0 enp0s8/);
    assert.match(r.stderr, /fix: set cni\.interface to the NIC that carries 192\.168\.56\.11 \(here: enp0s8\), or to auto/);
  });
});
