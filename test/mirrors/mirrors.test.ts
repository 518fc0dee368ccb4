// The `mirrors` lab option: strictly validated URLs, and every OS family's provisioning honouring each mirror
// (OS packages, Kubernetes packages, Docker's containerd.io, container images), unsigned local repositories included.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { ROOT } from '../helpers/paths.js';
import { fileOf, renderToTemp, tempDir } from '../helpers/render.js';
import { run } from '../helpers/exec.js';
import { FakeNode, MUTATING } from '../provision/harness.js';
import { BOOKWORM, labVariant } from '../debian/helpers.js';

const DEBIAN = join(ROOT, 'labs', 'debian-flannel-2node.yaml');
/** The mirrors an offline lab sets: a local unsigned repository for each, images through a local registry. */
const OFFLINE = {
  os: { url: 'http://10.0.0.254:8080/debian/', signedBy: 'none' },
  kubernetes: { url: 'http://10.0.0.254:8080/k8s', signedBy: 'none' },
  containerd: { url: 'https://mirror.example.com/docker', signedBy: 'https://mirror.example.com/keys/docker.asc' },
  images: { 'registry.k8s.io': 'http://10.0.0.254:5000', 'docker.io': 'https://registry-mirror.example.com' },
};
const withMirrors = (path: string, mirrors: unknown) => labVariant(path, (t) => `${t}mirrors: ${JSON.stringify(mirrors)}\n`);
const mutating = (calls: string[]) => calls.filter((c) => MUTATING.some((re) => re.test(c)));

function problemsWith(mirrors: unknown) {
  const lab = { name: 'm', os: { family: 'debian' }, network: { hostOnly: { cidr: '10.0.0.0/24' } }, kubernetes: { version: '1.35' }, cni: { plugin: 'flannel' }, nodes: [{ name: 'cp', hostname: 'cp.lab', role: 'control-plane', ip: '10.0.0.1' }], mirrors };
  return parseLab(stringify(lab), defaultRegistries()).problems;
}

describe('mirrors: validation', () => {
  it('accepts http and https URLs with ports and paths, signedBy none or a key URL', () => {
    assert.deepEqual(problemsWith(OFFLINE), []);
    assert.deepEqual(problemsWith({ os: { url: 'https://deb.example.com' } }), []);
  });

  const marker = join(tempDir('labgen-pwn-'), 'pwned');
  const BAD = ['ftp://mirror.example.com/debian', 'http://user:secret@mirror.example.com/', 'http://mirror.example.com/a b', `http://mirror.example.com/'x'`, 'http://mirror.example.com/"x"',
    'http://mirror.example.com/\nx', `http://mirror.example.com/$(touch ${marker})`, 'http://mirror.example.com/`id`', 'http://mirror.example.com/?q=1', 'http://mirror.example.com/#x',
    'http://mirror.example.com/%2e', 'http://mirror.example.com/a;b', 'http://mirror.example.com/a\\b', 'mirror.example.com/debian', 'http://', 'http://-x/', ''];
  for (const field of ['os.url', 'kubernetes.url', 'containerd.url', 'kubernetes.signedBy', 'images.registry.k8s.io']) {
    it(`${field}: rejects schemes other than http(s), credentials, quotes, spaces, newlines, query and shell`, () => {
      for (const bad of BAD) {
        const m: Record<string, any> = { os: { url: 'http://a.example' }, kubernetes: { url: 'http://a.example' }, containerd: { url: 'http://a.example' }, images: {} };
        if (field === 'images.registry.k8s.io') m.images['registry.k8s.io'] = bad; else { const [k, f] = field.split('.'); m[k!][f!] = bad; }
        const ps = problemsWith(m);
        assert.ok(ps.some((p) => p.path === `mirrors.${field}`), `${JSON.stringify(bad)} accepted for ${field}: ${JSON.stringify(ps)}`);
      }
      assert.equal(existsSync(marker), false);
    });
  }

  it('rejects a port out of range, an unknown registry, a url-less repository and unknown keys, each naming the field', () => {
    assert.ok(problemsWith({ os: { url: 'http://a.example:70000/' } }).some((p) => p.path === 'mirrors.os.url' && /port 70000/.test(p.message)));
    assert.ok(problemsWith({ images: { 'evil.example.com': 'http://a.example' } }).some((p) => p.path === 'mirrors.images.evil.example.com' && /unknown key/.test(p.message) && /registry\.k8s\.io, docker\.io, quay\.io, ghcr\.io/.test(p.fix ?? '')));
    assert.ok(problemsWith({ kubernetes: { signedBy: 'none' } }).some((p) => p.path === 'mirrors.kubernetes.url' && /is required/.test(p.message)));
    assert.ok(problemsWith({ apt: { url: 'http://a.example' } }).some((p) => p.path === 'mirrors.apt'));
    assert.ok(problemsWith({ os: { url: 'http://a.example', signedBy: 'None' } }).some((p) => p.path === 'mirrors.os.signedBy'));
  });

  it('reaches lab.env as shell words, with trailing slashes dropped, and labgen.json as the resolved mirrors', () => {
    const { byPath, lab } = renderToTemp(withMirrors(DEBIAN, OFFLINE));
    const env = byPath.get('provision/lab.env')!.content;
    for (const line of ['OS_MIRROR=http://10.0.0.254:8080/debian', 'OS_MIRROR_SIGNED_BY=none', 'K8S_PACKAGES=http://10.0.0.254:8080/k8s', 'K8S_SIGNED_BY=none',
      'CONTAINERD_PACKAGES=https://mirror.example.com/docker', 'CONTAINERD_SIGNED_BY=https://mirror.example.com/keys/docker.asc',
      "IMAGE_MIRRORS='registry.k8s.io=http://10.0.0.254:5000 docker.io=https://registry-mirror.example.com'"]) assert.ok(env.split('\n').includes(line), `${line} missing from\n${env}`);
    assert.equal(lab.mirrors?.os?.url, 'http://10.0.0.254:8080/debian');
    const r = run('bash', ['-c', `set -u; . ./lab.env; printf '%s|' "$OS_MIRROR" "$IMAGE_MIRRORS"`], { cwd: join(renderToTemp(withMirrors(DEBIAN, OFFLINE)).dir, 'provision') });
    assert.equal(r.stdout, 'http://10.0.0.254:8080/debian|registry.k8s.io=http://10.0.0.254:5000 docker.io=https://registry-mirror.example.com|');
  });
});

describe('mirrors: every OS family honours them (stub guest commands)', () => {
  it('Debian: one OS source, unsigned local repositories trusted, containerd.io from the mirror with its key, images through hosts.toml; idempotent', () => {
    const { dir, lab } = renderToTemp(withMirrors(DEBIAN, OFFLINE));
    const node = new FakeNode(dir, lab.workers[0]!, { etc: { ...BOOKWORM, 'etc/apt/sources.list': '', 'etc/apt/sources.list.d/debian.sources': 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n' } });
    const r = node.ok('base.sh');
    assert.equal(node.file('etc/apt/sources.list.d/labgen-os.list'), 'deb [trusted=yes] http://10.0.0.254:8080/debian bookworm main\n');
    assert.equal(node.exists('etc/apt/sources.list.d/debian.sources'), false, 'the box\'s own source is set aside');
    assert.match(node.file('etc/apt/sources.list.d/debian.sources.labgen-disabled'), /deb\.debian\.org/);
    assert.equal(node.file('etc/apt/sources.list.d/kubernetes.list'), 'deb [trusted=yes] http://10.0.0.254:8080/k8s/core:/stable:/v1.35/deb/ /\n');
    assert.equal(node.file('etc/apt/sources.list.d/docker.list'), 'deb [signed-by=/etc/apt/keyrings/docker.gpg] https://mirror.example.com/docker/linux/debian bookworm stable\n');
    assert.ok(r.calls.includes('curl -fsSL https://mirror.example.com/keys/docker.asc'), r.calls.join('\n'));
    assert.ok(!r.calls.some((c) => /pkgs\.k8s\.io|download\.docker\.com|deb\.debian\.org/.test(c)), `an upstream was contacted:\n${r.calls.join('\n')}`);
    assert.ok(!r.calls.some((c) => c.startsWith('curl') && /k8s/.test(c)), 'no key fetched for an unsigned repository');
    assert.equal(node.file('etc/containerd/certs.d/registry.k8s.io/hosts.toml'), 'server = "https://registry.k8s.io"\n\n[host."http://10.0.0.254:5000"]\n  capabilities = ["pull", "resolve"]\n');
    assert.equal(node.file('etc/containerd/certs.d/docker.io/hosts.toml'), 'server = "https://registry-1.docker.io"\n\n[host."https://registry-mirror.example.com"]\n  capabilities = ["pull", "resolve"]\n');
    assert.match(node.file('etc/containerd/config.toml'), /\.registry\]\n\s+config_path = "\/etc\/containerd\/certs\.d"\n/);
    // containerd 2.x (the stub prints 2.1.9's layout: single-quoted '' strings): the transfer service CRI pulls through
    // reads the same directory.
    assert.match(node.file('etc/containerd/config.toml'), /transfer\.v1\.local'\]\n(?:\s+\w+ = \S+\n)*?\s+config_path = "\/etc\/containerd\/certs\.d"\n/);
    assert.doesNotMatch(node.file('etc/containerd/config.toml'), /config_path = ''/);
    assert.match(r.stdout, /containerd pulls registry\.k8s\.io images through http:\/\/10\.0\.0\.254:5000/);

    const before = node.snapshot();
    node.upload();
    const again = node.ok('base.sh');
    assert.deepEqual(mutating(again.calls), []);
    assert.deepEqual(node.snapshot(), before);
    assert.match(again.stdout, /OS mirror http:\/\/10\.0\.0\.254:8080\/debian already done/);
  });

  it('Debian: mirrors.os without signedBy uses Debian\'s archive key; a signedBy URL is fetched into its own keyring', () => {
    const { dir, lab } = renderToTemp(withMirrors(DEBIAN, { os: { url: 'http://deb.example.com/debian' }, kubernetes: { url: 'http://k8s.example.com', signedBy: 'http://k8s.example.com/key.asc' } }));
    const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
    const r = node.ok('base.sh');
    assert.equal(node.file('etc/apt/sources.list.d/labgen-os.list'), 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.example.com/debian bookworm main\n');
    assert.equal(node.file('etc/apt/sources.list.d/kubernetes.list'), 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] http://k8s.example.com/core:/stable:/v1.35/deb/ /\n');
    assert.ok(r.calls.includes('curl -fsSL http://k8s.example.com/key.asc'));
  });

  it('Ubuntu: OS mirror with main universe, Kubernetes from the mirror', () => {
    const { dir, lab } = renderToTemp(withMirrors(join(ROOT, 'labs', 'ubuntu-flannel-3node.yaml'), { os: { url: 'http://ubuntu.example.com/ubuntu', signedBy: 'none' }, kubernetes: { url: 'http://k8s.example.com' } }));
    const node = new FakeNode(dir, lab.controlPlane, { etc: { 'etc/os-release': 'NAME="Ubuntu"\nVERSION_CODENAME=noble\nID=ubuntu\n', 'etc/apt/sources.list.d/ubuntu.sources': 'Types: deb\nURIs: http://archive.ubuntu.com/ubuntu\n' } });
    const r = node.ok('base.sh');
    assert.equal(node.file('etc/apt/sources.list.d/labgen-os.list'), 'deb [trusted=yes] http://ubuntu.example.com/ubuntu noble main universe\n');
    assert.equal(node.exists('etc/apt/sources.list.d/ubuntu.sources'), false);
    assert.equal(node.file('etc/apt/sources.list.d/kubernetes.list'), 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] http://k8s.example.com/core:/stable:/v1.36/deb/ /\n');
    assert.ok(r.calls.includes('curl -fsSL http://k8s.example.com/core:/stable:/v1.36/deb/Release.key'), 'the mirror\'s own copy of the key by default');
  });

  it('EL: the box\'s repositories replaced by BaseOS/AppStream on the mirror, docker-ce and kubernetes repos on theirs, gpgcheck per signedBy', () => {
    const { dir, lab } = renderToTemp(withMirrors(join(ROOT, 'labs', 'flannel-4node.yaml'), { os: { url: 'http://rocky.example.com/rocky' }, kubernetes: { url: 'http://k8s.example.com', signedBy: 'none' }, containerd: { url: 'http://docker.example.com', signedBy: 'none' } }));
    const node = new FakeNode(dir, lab.workers[0]!, { etc: { 'etc/yum.repos.d/rocky.repo': '[baseos]\nmirrorlist=https://mirrors.rockylinux.org/mirrorlist?repo=BaseOS-$releasever\n' } });
    node.ok('base.sh');
    assert.equal(node.file('etc/yum.repos.d/labgen-os.repo'), '[labgen-baseos]\nname=BaseOS from the lab OS mirror\nbaseurl=http://rocky.example.com/rocky/$releasever/BaseOS/$basearch/os/\nenabled=1\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-Rocky-9\n\n[labgen-appstream]\nname=AppStream from the lab OS mirror\nbaseurl=http://rocky.example.com/rocky/$releasever/AppStream/$basearch/os/\nenabled=1\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-Rocky-9\n\n');
    assert.equal(node.exists('etc/yum.repos.d/rocky.repo'), false);
    assert.ok(node.exists('etc/yum.repos.d/rocky.repo.labgen-disabled'));
    assert.equal(node.file('etc/yum.repos.d/docker-ce.repo'), '[docker-ce-stable]\nname=Docker CE Stable - $basearch\nbaseurl=http://docker.example.com/linux/rhel/$releasever/$basearch/stable\nenabled=1\ngpgcheck=0\n');
    assert.equal(node.file('etc/yum.repos.d/kubernetes.repo'), '[kubernetes]\nname=Kubernetes\nbaseurl=http://k8s.example.com/core:/stable:/v1.36/rpm/\nenabled=1\ngpgcheck=0\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n');
    const before = node.snapshot();
    node.upload();
    assert.deepEqual(mutating(node.ok('base.sh').calls), []);
    assert.deepEqual(node.snapshot(), before);
  });

  it('EL without mirrors: Docker\'s and pkgs.k8s.io\'s repositories with their keys, as before', () => {
    const { dir, lab } = renderToTemp(join(ROOT, 'labs', 'flannel-4node.yaml'));
    const node = new FakeNode(dir, lab.workers[0]!);
    node.ok('base.sh');
    assert.equal(node.file('etc/yum.repos.d/docker-ce.repo'), '[docker-ce-stable]\nname=Docker CE Stable - $basearch\nbaseurl=https://download.docker.com/linux/rhel/$releasever/$basearch/stable\nenabled=1\ngpgcheck=1\ngpgkey=https://download.docker.com/linux/rhel/gpg\n');
    assert.match(node.file('etc/yum.repos.d/kubernetes.repo'), /^gpgkey=https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.36\/rpm\/repodata\/repomd\.xml\.key$/m);
    assert.equal(node.exists('etc/yum.repos.d/labgen-os.repo'), false);
    assert.equal(fileOf(renderToTemp(join(ROOT, 'labs', 'flannel-4node.yaml')), 'provision/lab.env').includes("IMAGE_MIRRORS=''"), true);
  });
});
