// The rendered provisioning uses the download cache: the Vagrantfile hands base.sh the URL labgen gave vagrant, and
// the shared steps route http:// downloads through it while base.sh runs (checked by running them in bash).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileOf, renderInMemory, renderToTemp } from '../helpers/render.js';
import { ROOT } from '../helpers/paths.js';
import { requireTool } from '../helpers/tools.js';
import { BOOKWORM, labVariant } from '../debian/helpers.js';
import { FakeNode } from '../provision/harness.js';
import { mirrorEnv } from '../../src/lab/mirrors.js';

const tmp = mkdtempSync(join(tmpdir(), 'labgen-cache-prov-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `script` in bash after sourcing the rendered lib.sh and steps.sh of `lab`. */
function bash(lab: string, script: string): { code: number; out: string } {
  const r = renderInMemory(lab);
  const dir = mkdtempSync(join(tmp, 'p-'));
  mkdirSync(join(dir, 'root', 'etc', 'apt', 'apt.conf.d'), { recursive: true });
  for (const f of ['lib.sh', 'steps.sh']) writeFileSync(join(dir, f), fileOf(r, `provision/${f}`));
  const res = spawnSync('bash', ['-c', `set -euo pipefail; LABGEN_ROOT=${dir}/root; . ${dir}/lib.sh; . ${dir}/steps.sh; NODE_NAME=n1; ${script}`], { encoding: 'utf8', timeout: 20_000 });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

describe('provisioning through the download cache', () => {
  for (const lab of ['flannel-4node', 'ubuntu-flannel-3node', 'debian-flannel-2node']) {
    it(`${lab}: the Vagrantfile passes labgen's cache URL to base.sh, which turns it on before its first step`, () => {
      const r = renderInMemory(lab);
      const vf = fileOf(r, 'Vagrantfile');
      assert.match(vf, /^CACHE_PROXY = ENV\.fetch\("LABGEN_CACHE_PROXY", ""\)\[\/\\Ahttp:\\\/\\\/#\{Regexp\.escape\(HOST_ONLY_HOST_ADDRESS\)\}:\[0-9\]\{1,5\}\\z\/\]\.to_s$/m);
      assert.match(vf, /inline: 'bash \/tmp\/labgen\/provision\/base\.sh "\$1" "\$2"', args: \[node\[:name\], CACHE_PROXY\]/);
      const base = fileOf(r, 'provision/base.sh');
      const on = base.indexOf('labgen_download_cache "${2:-}"');
      assert.ok(on > base.indexOf('labgen_load ') && on < base.indexOf('labgen_step '), 'turned on after the settings load, before the first step');
    });
  }

  it('a cache that answers becomes http_proxy (http:// only) and apt prefers gzip indexes until base.sh ends', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const r = bash('debian-flannel-2node', `labgen_download_cache http://127.0.0.1:${port}; labgen_apt_cache_indexes; echo "proxy=$http_proxy https=\${https_proxy:-none}"; cat "$LABGEN_ROOT/etc/apt/apt.conf.d/00labgen-download-cache"`);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, new RegExp(`go through labgen's download cache http://127.0.0.1:${port}`));
      assert.match(r.out, new RegExp(`proxy=http://127.0.0.1:${port} https=none`));
      assert.match(r.out, /Acquire::CompressionTypes::Order \{ "gz"; \};/);
    } finally { server.close(); }
  });

  it('the apt setting is gone when base.sh ends, also when it fails', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const ok = bash('debian-flannel-2node', `labgen_download_cache http://127.0.0.1:${port}; labgen_apt_cache_indexes; echo "root=$LABGEN_ROOT"`);
      const root = /root=(\S+)/.exec(ok.out)![1]!;
      assert.ok(!existsSync(join(root, 'etc/apt/apt.conf.d/00labgen-download-cache')), ok.out);
      const bad = bash('debian-flannel-2node', `labgen_download_cache http://127.0.0.1:${port}; labgen_apt_cache_indexes; echo "root=$LABGEN_ROOT"; false`);
      assert.notEqual(bad.code, 0);
      assert.ok(!existsSync(join(/root=(\S+)/.exec(bad.out)![1]!, 'etc/apt/apt.conf.d/00labgen-download-cache')));
    } finally { server.close(); }
  });

  it('without a URL, or when the cache does not answer, packages come straight from their repositories', async () => {
    const none = bash('flannel-4node', 'labgen_download_cache ""; echo "proxy=${http_proxy:-unset}"');
    assert.match(none.out, /no download cache/);
    assert.match(none.out, /proxy=unset/);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const dead = bash('flannel-4node', `labgen_download_cache http://127.0.0.1:${port}; echo "proxy=\${http_proxy:-unset}"`);
    assert.equal(dead.code, 0, dead.out);
    assert.match(dead.out, /does not answer: packages come straight from their repositories/);
    assert.match(dead.out, /proxy=unset/);
  });

  it('a URL of another form stops provisioning naming it', () => {
    const r = bash('flannel-4node', 'labgen_download_cache "http://evil;rm -rf /"');
    assert.notEqual(r.code, 0);
    assert.match(r.out, /is not http:\/\/<IPv4 address>:<port>/);
  });
});

/** A TCP listener on loopback that answers the cache check (and nothing else); its URL as base.sh gets it. */
async function liveCache(): Promise<{ url: string; close(): void }> {
  const server = createServer((sock) => sock.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

/** Every file under etc/ of the node that names the cache's URL. */
function namingCache(node: FakeNode, url: string): string[] {
  const out: string[] = [];
  for (const [path, v] of node.snapshot()) {
    if (!path.startsWith('etc/') || path.endsWith('/')) continue;
    if (Buffer.from(v.split(' ')[1] ?? '', 'base64').toString('utf8').includes(url)) out.push(path);
  }
  return out;
}

describe('base.sh of each OS family: https repositories through the cache only while it runs, images through it with a fallback', () => {
  const families = [
    { family: 'debian', lab: 'debian-flannel-2node', etc: BOOKWORM, manager: 'apt-get', sources: ['etc/apt/sources.list.d/kubernetes.list', 'etc/apt/sources.list.d/docker.list'] },
    { family: 'ubuntu', lab: 'ubuntu-flannel-3node', etc: {}, manager: 'apt-get', sources: ['etc/apt/sources.list.d/kubernetes.list', 'etc/apt/sources.list.d/docker.list'] },
    { family: 'el', lab: 'flannel-4node', etc: {}, manager: 'dnf', sources: ['etc/yum.repos.d/kubernetes.repo', 'etc/yum.repos.d/docker-ce.repo'] },
  ];
  for (const f of families) {
    it(`${f.family} (${f.lab}): packages come through <cache>/https/... during provisioning; the sources name the real repositories afterwards`, async (t) => {
      if (!requireTool(t, 'openssl')) return;
      const { dir, lab } = renderToTemp(f.lab);
      const node = new FakeNode(dir, lab.workers[0]!, { etc: f.etc });
      const cache = await liveCache();
      try {
        const run = node.ok('base.sh', [cache.url]);
        const during = node.exists('../state/repos.log') ? node.file('../state/repos.log') : '';
        // While it ran, every install saw the https repositories as plain-http paths on the cache.
        assert.match(during, new RegExp(`${f.manager}[^\n]*${cache.url}/https/pkgs\\.k8s\\.io/core:/stable:/v1\\.[0-9]+/(deb|rpm)/`), during);
        assert.match(during, new RegExp(`${f.manager}[^\n]*${cache.url}/https/download\\.docker\\.com/linux/`), during);
        const installs = during.split('\n').filter((l) => / install: /.test(l)).join('\n');
        assert.doesNotMatch(installs, /https:\/\/(pkgs\.k8s\.io|download\.docker\.com)/, 'no package was installed around the cache');
        // Afterwards: the real URLs, nothing naming the cache's repository form, the apt setting gone.
        for (const src of f.sources) {
          assert.match(node.file(src), /https:\/\/(pkgs\.k8s\.io|download\.docker\.com)\//, `${src}: ${node.file(src)}`);
          assert.ok(!node.file(src).includes(cache.url), `${src} still names the cache`);
        }
        assert.deepEqual(namingCache(node, cache.url).filter((p) => !p.startsWith('etc/containerd/certs.d/')), [], 'only containerd\'s hosts.toml names the cache');
        assert.ok(!node.exists('etc/apt/apt.conf.d/00labgen-download-cache'));
        // Keys are fetched directly from the real repositories (trust anchors never pass through the cache).
        assert.ok(!run.calls.some((c) => c.startsWith('curl') && c.includes(cache.url)), run.calls.filter((c) => c.startsWith('curl')).join('\n'));
        if (f.manager === 'apt-get') {
          // apt's lists follow the real sources again: the last apt-get call is the update after the restore.
          const apt = run.calls.filter((c) => c.startsWith('apt-get '));
          assert.equal(apt.at(-1), 'apt-get update -q');
          assert.match(run.stdout, /sources\.list\.d\/kubernetes\.list names its real repository again/);
          const last = during.trim().split('\n').filter((l) => l.startsWith('apt-get update')).slice(-2).join('\n');
          assert.match(last, /https:\/\/pkgs\.k8s\.io\//, `the final update sees the real sources: ${last}`);
        } else {
          assert.match(node.file('etc/yum.repos.d/kubernetes.repo'), /^gpgkey=https:\/\/pkgs\.k8s\.io\//m, 'the key stays the real URL');
        }
        // Images: containerd's registry config points at certs.d, one hosts.toml per registry: the cache first, the registry as fallback.
        assert.match(node.file('etc/containerd/config.toml'), /config_path = "\/etc\/containerd\/certs\.d"/);
        const k8s = node.file('etc/containerd/certs.d/registry.k8s.io/hosts.toml');
        assert.match(k8s, /^server = "https:\/\/registry\.k8s\.io"$/m);
        assert.ok(k8s.includes(`[host."${cache.url}/registry/registry.k8s.io/v2"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n`), k8s);
        assert.match(node.file('etc/containerd/certs.d/docker.io/hosts.toml'), new RegExp(`server = "https://registry-1\\.docker\\.io"[\\s\\S]*${cache.url}/registry/registry-1\\.docker\\.io/v2`));
        for (const r of ['quay.io', 'ghcr.io']) assert.ok(node.exists(`etc/containerd/certs.d/${r}/hosts.toml`), r);

        // Provisioning again without the cache: the sources are byte for byte what it writes (the restore is exact),
        // and labgen's hosts.toml files go.
        const restored = f.sources.map((src) => node.file(src));
        node.upload();
        const again = node.ok('base.sh');
        assert.match(again.stdout, /no download cache/);
        assert.deepEqual(f.sources.map((src) => node.file(src)), restored);
        assert.ok(!node.exists('etc/containerd/certs.d/registry.k8s.io/hosts.toml'), 'the cache hosts.toml is removed');
        assert.deepEqual(namingCache(node, cache.url), []);
      } finally { cache.close(); }
    });
  }

  it('a cache that does not answer is not used: the sources name the real repositories all along, no hosts.toml', async (t) => {
    if (!requireTool(t, 'openssl')) return;
    const { dir, lab } = renderToTemp('ubuntu-flannel-3node');
    const node = new FakeNode(dir, lab.workers[0]!);
    const cache = await liveCache();
    cache.close();
    const run = node.ok('base.sh', [cache.url]);
    assert.match(run.stdout, /does not answer: packages come straight from their repositories/);
    const during = node.file('../state/repos.log');
    assert.ok(!during.includes(cache.url), during);
    assert.match(during, /https:\/\/pkgs\.k8s\.io\//);
    assert.ok(!node.exists('etc/containerd/certs.d/registry.k8s.io/hosts.toml'));
  });

  it('mirrors: an https OS mirror on a host name goes through the cache, one on an address (which the cache refuses) is fetched directly, http through http_proxy', async (t) => {
    if (!requireTool(t, 'openssl')) return;
    const debian = join(ROOT, 'labs', 'debian-flannel-2node.yaml');
    const variant = labVariant(debian, (x) => `${x}mirrors: ${JSON.stringify({ os: { url: 'https://deb.example.com/debian' }, kubernetes: { url: 'https://10.9.9.9/k8s' }, containerd: { url: 'http://docker.example.com' } })}\n`);
    const { dir, lab } = renderToTemp(variant);
    const node = new FakeNode(dir, lab.workers[0]!, { etc: BOOKWORM });
    const cache = await liveCache();
    try {
      node.ok('base.sh', [cache.url]);
      const during = node.file('../state/repos.log');
      assert.match(during, new RegExp(`deb \\[[^\\]]*\\] ${cache.url}/https/deb\\.example\\.com/debian bookworm main`), during);
      assert.match(during, /deb \[[^\]]*\] https:\/\/10\.9\.9\.9\/k8s\/core:/);
      assert.match(during, /deb \[[^\]]*\] http:\/\/docker\.example\.com\/linux\/debian bookworm stable/);
      assert.match(node.file('etc/apt/sources.list.d/labgen-os.list'), /^deb \[[^\]]*\] https:\/\/deb\.example\.com\/debian bookworm main$/m);
      assert.deepEqual(namingCache(node, cache.url).filter((p) => !p.startsWith('etc/containerd/')), []);
    } finally { cache.close(); }
  });
});

describe('which registries containerd pulls through the cache', () => {
  it('every image registry of the lab, by its API host, except those the lab names a mirror for (used as they are)', () => {
    assert.equal(mirrorEnv(undefined).IMAGE_CACHE_REGISTRIES, 'registry.k8s.io=registry.k8s.io docker.io=registry-1.docker.io quay.io=quay.io ghcr.io=ghcr.io');
    assert.equal(mirrorEnv({ images: { 'docker.io': 'https://mirror.example.com', 'registry.k8s.io': 'http://10.0.0.254:5000' } }).IMAGE_CACHE_REGISTRIES, 'quay.io=quay.io ghcr.io=ghcr.io');
  });
});
