// The Debian family end to end without VMs: it renders for both providers with Debian's own box, passes real
// `vagrant validate` (vagrant-libvirt's own checks too) and shellcheck, and its provisioning runs against the stub guest
// commands: steps in order, Docker's containerd.io and pkgs.k8s.io set up, a too-old containerd stopped with the fix.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run, vagrantEnv } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';
import { renderInMemory, renderToTemp, fileOf } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { FakeNode, MUTATING } from '../provision/harness.js';
import { defaultRegistries } from '../../src/registries.js';
import { ensureTcpdumpCommand } from '../../src/verify/plan.js';
import { packageManagerOf } from '../../src/verify/run-verify.js';
import { BOOKWORM, checkLabText, labVariant } from './helpers.js';

const LAB = join(ROOT, 'labs', 'debian-flannel-2node.yaml');
const DEBIAN_BASE = ['hosts', 'swap', 'kernel', 'os-mirror', 'containerd', 'kubernetes-packages', 'kubelet', 'cni-prep', 'pod-network-nic'];
const CP = ['cluster-ca', 'kubeadm-init', 'kubeconfig', 'cni', 'cleanup'];
const WORKER = ['wait-api', 'kubeadm-join', 'cleanup'];

function numbered(names: string[], total: number): string[] { return names.map((n, i) => `${i + 1}/${total} ${n}`); }
const mutating = (calls: string[]) => calls.filter((c) => MUTATING.some((re) => re.test(c)));

describe('the Debian OS family', () => {
  it('is registered by one line and renders debian/bookworm64 for both providers, eth0/eth1, apt', () => {
    const reg = defaultRegistries();
    assert.ok(reg.os.names().includes('debian'));
    for (const provider of ['libvirt', 'virtualbox']) {
      const r = renderInMemory(LAB, { provider });
      assert.equal(r.lab.os.box, 'debian/bookworm64');
      assert.equal(r.lab.os.packageManager, 'apt');
      assert.deepEqual(r.lab.os.options, { containerd: 'docker' });
      assert.deepEqual(r.lab.nodes[0]!.nics.map((n) => n.name), ['eth0', 'eth1']);
      assert.match(fileOf(r, 'Vagrantfile'), /config\.vm\.box = 'debian\/bookworm64'/);
      assert.match(fileOf(r, 'provision/base.sh'), /^# Base provisioning for Debian nodes/m);
      assert.match(fileOf(r, 'provision/lab.env'), /^CONTAINERD_SOURCE=docker$/m);
      assert.match(fileOf(r, 'provision/lab.env'), /^CONTAINERD_MINIMUMS='2\.2\.0 2\.1\.5 1\.7\.28'$/m);
    }
  });

  it('verify installs tcpdump with the family\'s package manager (apt on Debian, not dnf); old labgen.json files keep working', () => {
    const lab = renderInMemory(LAB).lab;
    const reg = defaultRegistries();
    const pm = (l: typeof lab) => ensureTcpdumpCommand(packageManagerOf(l, reg.os.get(l.os.family)));
    assert.match(pm(lab), /apt-get install -y -q tcpdump/);
    assert.match(pm(renderInMemory('flannel-4node').lab), /dnf -y -q install tcpdump/);
    // A labgen.json from before the lab recorded its package manager: the family plugin is asked.
    const old = (l: typeof lab, family: string) => ({ ...l, os: { ...l.os, family, packageManager: undefined } });
    assert.match(pm(old(lab, 'ubuntu')), /apt-get/);
    assert.match(pm(old(lab, 'el')), /dnf/);
  });

  it('os.debian options are validated, and refused on another family', () => {
    assert.deepEqual(checkLabText(LAB, (t) => t.replace('family: debian ', 'family: debian\n  debian: { containerd: debian }\n ')), []);
    const bad = checkLabText(LAB, (t) => t.replace('family: debian ', 'family: debian\n  debian: { containerd: ubuntu }\n '));
    assert.ok(bad.some((p) => p.path === 'os.debian.containerd' && /not one of "docker", "debian"/.test(p.message)), JSON.stringify(bad));
    const other = checkLabText(LAB, (t) => t.replace('family: debian ', 'family: el\n  debian: { containerd: docker }\n '));
    assert.ok(other.some((p) => p.path === 'os.debian' && /this lab's family is el/.test(p.message) && /set os\.family: debian/.test(p.fix ?? '')), JSON.stringify(other));
  });

  for (const provider of ['libvirt', 'virtualbox']) {
    it(`${provider}: real vagrant validate (the provider's own checks) and shellcheck -x on every script`, (t) => {
      if (!requireTool(t, 'vagrant') || !requireTool(t, 'shellcheck')) return;
      const { dir } = renderToTemp(LAB, { provider });
      const v = run('vagrant', ['validate'], { cwd: dir, env: vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: provider }) });
      if (provider === 'libvirt') {
        assert.equal(v.code, 0, v.output);
        assert.doesNotMatch(v.output, /Ignoring provider config/);
      } else {
        // Debian's vagrant has no VirtualBox here: its provider block is checked with --ignore-provider only.
        const ig = run('vagrant', ['validate', '--ignore-provider'], { cwd: dir, env: vagrantEnv() });
        assert.equal(ig.code, 0, ig.output);
        assert.match(ig.stdout, /Vagrantfile validated successfully/);
      }
      const files = ['provision', 'cni'].flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.sh')).map((f) => `${d}/${f}`));
      assert.ok(files.includes('provision/base.sh'));
      const sc = run('shellcheck', ['-x', ...files], { cwd: dir });
      assert.equal(sc.code, 0, sc.output);
    });
  }
});

describe('Debian provisioning with stub guest commands', () => {
  it('control plane: steps in order, containerd.io from Docker, pkgs.k8s.io v1.35, held, node-ip; a second run changes nothing', (t) => {
    if (!requireTool(t, 'openssl')) return;
    const { dir, lab } = renderToTemp(LAB);
    const node = new FakeNode(dir, lab.controlPlane, { etc: BOOKWORM });
    const base = node.ok('base.sh');
    const cp = node.ok('control-plane.sh');
    assert.deepEqual([...base.steps, ...cp.steps], numbered([...DEBIAN_BASE, ...CP], DEBIAN_BASE.length + CP.length));
    assert.equal(node.file('etc/apt/sources.list.d/docker.list'), 'deb [signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/debian bookworm stable\n');
    assert.ok(base.calls.includes('curl -fsSL https://download.docker.com/linux/debian/gpg'), base.calls.join('\n'));
    assert.ok(base.calls.includes('apt-get install -y -q containerd.io'));
    assert.match(base.stdout, /containerd 2\.2\.1 meets Kubernetes 1\.35/);
    assert.equal(node.file('etc/apt/sources.list.d/kubernetes.list'), 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n');
    assert.ok(base.calls.includes('curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key'));
    assert.ok(base.calls.includes('apt-mark hold kubelet kubeadm kubectl'));
    assert.match(node.file('etc/containerd/config.toml'), /^\s+SystemdCgroup = true$/m);
    assert.equal(node.file('etc/default/kubelet'), 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.1\n');
    assert.match(base.stdout, /no mirrors\.os: the box's own apt sources stay/);
    assert.match(base.stdout, /pod network NIC is eth1 \(found by address 10\.0\.0\.1\)/);
    assert.ok(!base.calls.some((c) => /^(dnf|rpm|getenforce|setenforce|firewall-cmd|nmcli)\b/.test(c)), 'no EL tools on Debian');

    const before = node.snapshot();
    node.upload();
    const again = [...node.ok('base.sh').calls, ...node.ok('control-plane.sh').calls];
    assert.deepEqual(mutating(again), [], 'a second run made changing calls');
    assert.deepEqual(node.snapshot(), before);
  });

  it('worker: base steps, then waits for the API and joins', () => {
    const { dir, lab } = renderToTemp(LAB);
    const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
    const steps = [...node.ok('base.sh').steps, ...node.ok('worker.sh').steps];
    assert.deepEqual(steps, numbered([...DEBIAN_BASE, ...WORKER], DEBIAN_BASE.length + WORKER.length));
    assert.equal(node.file('etc/default/kubelet'), 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.2\n');
  });

  it('a containerd too old for the Kubernetes minor stops at the containerd step, naming the versions and the fix', () => {
    const { dir, lab } = renderToTemp(LAB);
    const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
    // Debian 12's own containerd package is 1.6.20 (apt-cache policy containerd on bookworm).
    run('bash', ['-c', `printf '1.6.20~ds1\\n' >${node.state}/containerd-version`]);
    const r = node.run('base.sh');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.steps.at(-1), `5/${DEBIAN_BASE.length + WORKER.length} containerd`);
    assert.match(r.stderr, /labgen: containerd on worker1: containerd 1\.6\.20 is too old for Kubernetes 1\.35, which needs containerd 2\.2\.0\+, 2\.1\.5\+, 1\.7\.28\+/);
    assert.match(r.stderr, /labgen: fix: upgrade it \(apt-get update && apt-get install -y --only-upgrade containerd\.io\)/);
    assert.match(r.stderr, /^LABGEN-FAIL node=worker1 step=containerd/m);
    assert.equal(node.exists('etc/containerd/config.toml'), false, 'nothing configured after the failed check');
  });

  it('containerd versions: a newer line passes, an older patch of a listed line fails, 2.0.x fails for 1.35', () => {
    const { dir, lab } = renderToTemp(LAB);
    for (const [v, ok] of [['2.3.1', true], ['2.2.0', true], ['2.1.5', true], ['2.1.4', false], ['2.0.9', false], ['1.7.27', false], ['1.7.30', true]] as const) {
      const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
      run('bash', ['-c', `printf '${v}\\n' >${node.state}/containerd-version`]);
      const r = node.run('base.sh');
      assert.equal(r.code === 0, ok, `containerd ${v}: exit ${r.code}\n${r.stderr}`);
    }
  });

  it('os.debian.containerd: debian installs Debian\'s own containerd and no Docker repository', () => {
    const { dir, lab } = renderToTemp(labVariant(LAB, (t) => t.replace('family: debian ', 'family: debian\n  debian: { containerd: debian }\n ')));
    const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
    const r = node.ok('base.sh');
    assert.ok(r.calls.includes('apt-get install -y -q containerd'), r.calls.join('\n'));
    assert.equal(node.exists('etc/apt/sources.list.d/docker.list'), false);
  });
});
