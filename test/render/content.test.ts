// What the rendered files say, read as data: kubeadm and CNI YAML parsed with `yaml`, the Vagrantfile evaluated by Ruby,
// and the step counts the progress display relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { countSteps } from '../../src/render/render.js';
import { labFixture } from '../helpers/paths.js';
import { fileOf, renderInMemory, renderToTemp, type RenderedLab } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { evalVagrantfile, setting } from '../helpers/vagrantfile.js';

type Doc = Record<string, any>;
function docs(r: RenderedLab, path: string): Doc[] {
  const all = parseAllDocuments(fileOf(r, path));
  for (const d of all) assert.deepEqual(d.errors, [], `${path} is not valid YAML`);
  return all.map((d) => d.toJS() as Doc);
}
function kind(ds: Doc[], k: string): Doc {
  const d = ds.find((x) => x.kind === k);
  assert.ok(d, `no ${k} document`);
  return d;
}
/** shell-unquotes the values of an env file written by labgen (KEY=word or KEY='...'). */
function envVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.startsWith("'") ? m[2]!.slice(1, -1).replace(/'\\''/g, "'") : m[2]!;
  }
  return out;
}

const flannel4 = renderInMemory('flannel-4node');

describe('kubeadm configuration (flannel-4node)', () => {
  const init = docs(flannel4, 'kubeadm/init.yaml');
  it('InitConfiguration: v1beta4, advertise 10.0.0.1:6443, node-ip as a {name,value} list, containerd socket, token placeholder', () => {
    const ic = kind(init, 'InitConfiguration');
    assert.equal(ic.apiVersion, 'kubeadm.k8s.io/v1beta4');
    assert.deepEqual(ic.localAPIEndpoint, { advertiseAddress: '10.0.0.1', bindPort: 6443 });
    assert.equal(ic.nodeRegistration.name, 'master.lab.com');
    assert.equal(ic.nodeRegistration.criSocket, 'unix:///run/containerd/containerd.sock');
    assert.deepEqual(ic.nodeRegistration.kubeletExtraArgs, [{ name: 'node-ip', value: '10.0.0.1' }]);
    assert.equal(ic.bootstrapTokens[0].token, '__LABGEN_BOOTSTRAP_TOKEN__');
  });
  it('ClusterConfiguration: podSubnet 10.244.0.0/16, serviceSubnet 10.96.0.0/12, endpoint 10.0.0.1:6443', () => {
    const cc = kind(init, 'ClusterConfiguration');
    assert.equal(cc.apiVersion, 'kubeadm.k8s.io/v1beta4');
    assert.deepEqual(cc.networking, { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' });
    assert.equal(cc.controlPlaneEndpoint, '10.0.0.1:6443');
  });
  it('KubeletConfiguration: cgroupDriver systemd', () => {
    assert.equal(kind(init, 'KubeletConfiguration').cgroupDriver, 'systemd');
  });
  for (const [name, ip] of [['worker1', '10.0.0.2'], ['worker2', '10.0.0.3'], ['worker3', '10.0.0.4']] as const) {
    it(`JoinConfiguration for ${name}: endpoint 10.0.0.1:6443, placeholders, node-ip ${ip}`, () => {
      const jc = kind(docs(flannel4, `kubeadm/join-${name}.yaml`), 'JoinConfiguration');
      assert.equal(jc.apiVersion, 'kubeadm.k8s.io/v1beta4');
      assert.deepEqual(jc.discovery.bootstrapToken, { apiServerEndpoint: '10.0.0.1:6443', token: '__LABGEN_BOOTSTRAP_TOKEN__', caCertHashes: ['__LABGEN_CA_CERT_HASH__'] });
      assert.equal(jc.nodeRegistration.name, `${name}.lab.com`);
      assert.equal(jc.nodeRegistration.criSocket, 'unix:///run/containerd/containerd.sock');
      assert.deepEqual(jc.nodeRegistration.kubeletExtraArgs, [{ name: 'node-ip', value: ip }]);
    });
  }
  it('the control plane has no join file and every worker has one', () => {
    assert.deepEqual([...flannel4.byPath.keys()].filter((p) => p.startsWith('kubeadm/')).sort(), ['kubeadm/init.yaml', 'kubeadm/join-worker1.yaml', 'kubeadm/join-worker2.yaml', 'kubeadm/join-worker3.yaml']);
  });
  it('no non-secret file holds a token or a CA hash', () => {
    for (const f of flannel4.files.filter((x) => !x.secret)) {
      assert.doesNotMatch(f.content, /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/, `${f.path} holds something shaped like a bootstrap token`);
      assert.doesNotMatch(f.content, /sha256:[0-9a-f]{64}/, `${f.path} holds a CA hash`);
      assert.doesNotMatch(f.content, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${f.path} holds a key`);
    }
  });
});

function flannelDaemonSet(r: RenderedLab): { netConf: Doc; container: Doc } {
  const ds = docs(r, 'cni/kube-flannel.yml');
  const cm = ds.find((d) => d.kind === 'ConfigMap' && d.data?.['net-conf.json']);
  assert.ok(cm, 'kube-flannel-cfg ConfigMap with net-conf.json');
  const dset = kind(ds, 'DaemonSet');
  return { netConf: JSON.parse(cm.data['net-conf.json']) as Doc, container: dset.spec.template.spec.containers.find((c: Doc) => c.name === 'kube-flannel') };
}

describe('flannel manifest', () => {
  it('flannel-4node: Network = pod CIDR, vxlan VNI 1 port 8472, --iface=enp0s8 --ip-masq --kube-subnet-mgr', () => {
    const { netConf, container } = flannelDaemonSet(flannel4);
    assert.equal(netConf.Network, '10.244.0.0/16');
    assert.deepEqual(netConf.Backend, { Type: 'vxlan', VNI: 1, Port: 8472 });
    assert.deepEqual(container.args, ['--iface=enp0s8', '--ip-masq', '--kube-subnet-mgr']);
    assert.ok(!(container.env as Doc[]).some((e) => e.name === 'NODE_IP'), 'no NODE_IP when the NIC is named');
  });
  it('host-gw backend: Backend.Type host-gw without VNI/Port', () => {
    const { netConf } = flannelDaemonSet(renderInMemory(labFixture('valid-flannel-host-gw')));
    assert.deepEqual(netConf.Backend, { Type: 'host-gw' });
  });
  it('wireguard backend with interface auto: --iface=$(NODE_IP) and NODE_IP from status.hostIP', () => {
    const { netConf, container } = flannelDaemonSet(renderInMemory(labFixture('valid-flannel-wireguard-auto')));
    assert.deepEqual(netConf.Backend, { Type: 'wireguard' });
    assert.deepEqual(container.args, ['--iface=$(NODE_IP)', '--ip-masq', '--kube-subnet-mgr']);
    const nodeIp = (container.env as Doc[]).find((e) => e.name === 'NODE_IP');
    assert.deepEqual(nodeIp?.valueFrom, { fieldRef: { fieldPath: 'status.hostIP' } });
    // $(NODE_IP) is expanded by the kubelet only if NODE_IP is defined before use in the container's env.
    assert.ok((container.env as Doc[]).findIndex((e) => e.name === 'NODE_IP') >= 0);
  });
  it('ubuntu-flannel-3node: --iface=eth1, Network 10.244.0.0/16', () => {
    const { netConf, container } = flannelDaemonSet(renderInMemory('ubuntu-flannel-3node'));
    assert.equal(netConf.Network, '10.244.0.0/16');
    assert.ok((container.args as string[]).includes('--iface=eth1'));
  });
});

function installation(r: RenderedLab): Doc { return kind(docs(r, 'cni/calico-installation.yaml'), 'Installation'); }

describe('Calico Installation', () => {
  for (const [fixture, encapsulation, bgp] of [['valid-calico-ipip', 'IPIP', 'Enabled'], ['valid-calico-vxlan', 'VXLAN', 'Disabled'], ['valid-calico-none', 'None', 'Enabled']] as const) {
    it(`${encapsulation}: pool = pod CIDR, encapsulation ${encapsulation}, BGP ${bgp}`, () => {
      const net = installation(renderInMemory(labFixture(fixture))).spec.calicoNetwork;
      assert.equal(net.bgp, bgp);
      assert.equal(net.ipPools.length, 1);
      assert.equal(net.ipPools[0].cidr, '10.244.0.0/16');
      assert.equal(net.ipPools[0].encapsulation, encapsulation);
      assert.equal(net.ipPools[0].blockSize, 26);
      assert.equal(net.ipPools[0].natOutgoing, 'Enabled');
    });
  }
  it('a named NIC is an anchored regex ^enp0s8$; never firstFound', () => {
    const det = installation(renderInMemory('calico-4node')).spec.calicoNetwork.nodeAddressAutodetectionV4;
    assert.deepEqual(det, { interface: '^enp0s8$' });
  });
  it('interface auto selects by the host-only CIDR', () => {
    for (const r of [renderInMemory(labFixture('valid-calico-none')), renderInMemory('libvirt-calico-vxlan')]) {
      assert.deepEqual(installation(r).spec.calicoNetwork.nodeAddressAutodetectionV4, { cidrs: ['10.0.0.0/24'] });
    }
  });
  it('poolCidr, blockSize and natOutgoing options are placed', () => {
    const net = installation(renderInMemory(labFixture('valid-ubuntu-libvirt'))).spec.calicoNetwork;
    assert.deepEqual(net.ipPools[0], { name: 'default-ipv4-ippool', cidr: '10.200.0.0/17', blockSize: 24, encapsulation: 'VXLAN', natOutgoing: 'Disabled', nodeSelector: 'all()' });
    assert.deepEqual(net.nodeAddressAutodetectionV4, { cidrs: ['172.30.0.0/24'] });
  });
  it('flannel-4node --cni calico keeps the NIC and the pod CIDR', () => {
    const net = installation(renderInMemory('flannel-4node', { cni: 'calico' })).spec.calicoNetwork;
    assert.equal(net.ipPools[0].cidr, '10.244.0.0/16');
    assert.equal(net.ipPools[0].encapsulation, 'IPIP');
    assert.deepEqual(net.nodeAddressAutodetectionV4, { interface: '^enp0s8$' });
  });
  it('no shipped or fixture lab renders firstFound', () => {
    for (const ref of ['calico-4node', 'libvirt-calico-vxlan', labFixture('valid-calico-ipip'), labFixture('valid-ubuntu-libvirt')]) {
      assert.doesNotMatch(fileOf(renderInMemory(ref), 'cni/calico-installation.yaml'), /firstFound/);
    }
  });
});

describe('Vagrantfile, evaluated by Ruby', () => {
  it('flannel-4node: adapter_ip 10.0.0.254, private_network ip per node, 2 CPUs 3072 MB, linked clone, control plane first', (t) => {
    if (!requireTool(t, 'ruby')) return;
    const { dir } = renderToTemp('flannel-4node');
    const calls = evalVagrantfile(dir);
    assert.equal(setting(calls, 'vm.box'), 'rockylinux/9');
    const defined = calls.filter((c) => c.path === 'vm.define').map((c) => c.args?.[0]);
    assert.deepEqual(defined, ['master', 'worker1', 'worker2', 'worker3']);
    const ips = { master: '10.0.0.1', worker1: '10.0.0.2', worker2: '10.0.0.3', worker3: '10.0.0.4' } as const;
    for (const [node, ip] of Object.entries(ips)) {
      const m = `vm.define(${node})`;
      const nets = calls.filter((c) => c.path === `${m}.vm.network`);
      assert.equal(nets.length, 1, `${node}: one extra NIC (NIC1 is Vagrant's NAT)`);
      assert.deepEqual(nets[0]!.args, ['private_network']);
      assert.deepEqual(nets[0]!.kw, { ip, netmask: '255.255.255.0', adapter_ip: '10.0.0.254' });
      assert.equal(setting(calls, `${m}.vm.hostname`), `${node}.lab.com`);
      const vb = `${m}.vm.provider(virtualbox)`;
      assert.equal(setting(calls, `${vb}.cpus`), 2);
      assert.equal(setting(calls, `${vb}.memory`), 3072);
      assert.equal(setting(calls, `${vb}.linked_clone`), true);
      assert.equal(setting(calls, `${vb}.name`), `flannel-4node-${node}`);
    }
    const primary = calls.find((c) => c.path === 'vm.define' && c.args?.[0] === 'master');
    assert.deepEqual(primary?.kw, { primary: true });
    // Workers get the token and hash, never the CA key.
    const uploads = (node: string) => calls.filter((c) => c.path === `vm.define(${node}).vm.provision` && String(c.args?.[0]).startsWith('labgen-upload-secret-')).map((c) => c.kw?.source);
    assert.deepEqual(uploads('master'), ['secrets/bootstrap-token', 'secrets/ca-cert-hash', 'secrets/ca.key']);
    assert.deepEqual(uploads('worker1'), ['secrets/bootstrap-token', 'secrets/ca-cert-hash']);
  });

  it('libvirt-calico-vxlan: provider options and an isolated NIC2 network with the host address off the nodes', (t) => {
    if (!requireTool(t, 'ruby')) return;
    const { dir } = renderToTemp('libvirt-calico-vxlan');
    const calls = evalVagrantfile(dir);
    assert.equal(setting(calls, 'vm.provider(libvirt).uri'), 'qemu:///system');
    assert.equal(setting(calls, 'vm.provider(libvirt).management_network_address'), '192.168.121.0/24');
    const net = calls.find((c) => c.path === 'vm.define(worker2).vm.network');
    assert.deepEqual(net?.kw, { ip: '10.0.0.3', netmask: '255.255.255.0', libvirt__network_name: 'labgen-libvirt-calico-vxlan', libvirt__forward_mode: 'none', libvirt__dhcp_enabled: false, libvirt__host_ip: '10.0.0.254' });
    assert.equal(setting(calls, 'vm.define(master).vm.provider(libvirt).memory'), 3072);
  });
});

describe('progress step counts', () => {
  const cases = ['flannel-4node', 'calico-4node', 'ubuntu-flannel-3node', 'libvirt-calico-vxlan', 'debian-flannel-2node'];
  for (const ref of cases) {
    it(`${ref}: LABGEN_BASE_STEPS / LABGEN_TOTAL_STEPS match the labgen_step lines of the scripts each node runs`, () => {
      const r = renderInMemory(ref);
      const base = countSteps(fileOf(r, 'provision/base.sh'));
      assert.ok(base >= 8, `base.sh announces ${base} steps`);
      for (const n of r.lab.nodes) {
        const env = envVars(fileOf(r, `provision/nodes/${n.name}.env`));
        const role = countSteps(fileOf(r, n.role === 'control-plane' ? 'provision/control-plane.sh' : 'provision/worker.sh'));
        assert.equal(Number(env.LABGEN_BASE_STEPS), base, n.name);
        assert.equal(Number(env.LABGEN_TOTAL_STEPS), base + role, n.name);
        assert.equal(env.NODE_IP, n.ip);
      }
    });
  }
  it('the step names of base.sh are in the documented order', () => {
    const names = (s: string) => [...s.matchAll(/^labgen_step (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(names(fileOf(flannel4, 'provision/base.sh')), ['nic-name', 'hosts', 'swap', 'selinux', 'firewall', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic']);
    assert.deepEqual(names(fileOf(renderInMemory('ubuntu-flannel-3node'), 'provision/base.sh')), ['hosts', 'swap', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic']);
    assert.deepEqual(names(fileOf(renderInMemory('debian-flannel-2node'), 'provision/base.sh')), ['hosts', 'swap', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic']);
    assert.deepEqual(names(fileOf(flannel4, 'provision/control-plane.sh')), ['cluster-ca', 'kubeadm-init', 'kubeconfig', 'cni', 'cleanup']);
    assert.deepEqual(names(fileOf(flannel4, 'provision/worker.sh')), ['wait-api', 'kubeadm-join', 'cleanup']);
  });
  it('files have the right modes: scripts 0755, secrets 0600, the rest 0644', () => {
    for (const f of flannel4.files) {
      const want = f.path.startsWith('secrets/') ? 0o600 : /^(provision|cni)\/[^/]+\.sh$/.test(f.path) && !/\/(lib|steps)\.sh$/.test(f.path) ? 0o755 : 0o644;
      assert.equal(f.mode.toString(8), want.toString(8), f.path);
    }
  });
});
