// The download cache's https upstreams (/https/<host>/... for apt and dnf, /registry/<host>/v2/... for containerd),
// over loopback only: a fake https upstream with a certificate of a test CA made here (openssl), names resolved to
// 127.0.0.1 by an injected lookup, the cache verifying TLS against that CA.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startCacheProxy, type CacheProxy } from '../../src/cache/proxy.js';
import { CacheStore, entryName } from '../../src/cache/store.js';
import { parseBearerChallenge, parseCacheForm, tokenUrl, validUpstreamHost } from '../../src/cache/upstream.js';
import { findTool, toolsAreMandatory } from '../helpers/tools.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'labgen-cache-https-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A test CA and a server certificate for the fake upstreams' names, made with openssl; undefined without openssl. */
function makeCerts(): { ca: string; cert: string; key: string } | undefined {
  if (!findTool('openssl')) {
    if (toolsAreMandatory()) assert.fail('openssl is not installed, and CI=true requires it');
    return undefined;
  }
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=labgen test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=pkgs.test']);
  writeFileSync(join(dir, 'ext'), 'subjectAltName=DNS:pkgs.test,DNS:registry.test,DNS:auth.test,DNS:cdn.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext']);
  return { ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8') };
}

/** Every fake upstream name resolves to loopback (the cache's own lookup would refuse that, by design). */
const toLoopback: LookupFunction = (_host, options, cb) => {
  if (options.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

/**
 * One https server playing pkgs.test (a flat apt repository whose .deb redirects to cdn.test), cdn.test, registry.test
 * (token auth, blobs redirected to cdn.test) and auth.test (the token realm), by Host header; every request counted.
 */
function fakeHttps(certs: { cert: string; key: string }) {
  const deb = Buffer.from('kubeadm deb bytes '.repeat(4000));
  const tampered = Buffer.from('not what Packages says');
  const packages = Buffer.from(`Package: kubeadm\nFilename: ./kubeadm.deb\nSize: ${deb.length}\nSHA256: ${sha(deb)}\n\nPackage: evil\nFilename: ./tampered.deb\nSHA256: ${sha('the real one')}\n`);
  const release = `Origin: test\nSHA256:\n ${sha(packages)} ${packages.length} Packages\n`;
  const layer = Buffer.from('a layer '.repeat(3000));
  const config = Buffer.from('{"architecture":"amd64"}');
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: `sha256:${sha(config)}` }, layers: [{ digest: `sha256:${sha(layer)}` }] }));
  const badDigest = sha('what the bad blob claims to be');
  const counts = new Map<string, number>();
  const auths: string[] = [];
  let port = 0;
  let delayMs = 0;
  const server = https.createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:[0-9]+$/, '');
    const path = (req.url ?? '').replace(/\?.*$/, '');
    const key = `${host}${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (req.headers.authorization) auths.push(`${host} ${req.headers.authorization}`);
    const send = (status: number, body: Buffer | string, headers: http.OutgoingHttpHeaders = {}) => setTimeout(() => res.writeHead(status, headers).end(body), delayMs);
    if (host === 'pkgs.test') {
      if (path === '/deb/InRelease') return send(200, release);
      if (path === '/deb/Packages') return send(200, packages);
      if (path === '/deb/kubeadm.deb') return send(302, '', { location: `https://cdn.test:${port}/pool/kubeadm.deb` });
      if (path === '/deb/tampered.deb') return send(200, tampered);
      if (path === '/deb/to-http') return send(302, '', { location: 'http://cdn.test/x' });
    }
    if (host === 'cdn.test') {
      if (path === '/pool/kubeadm.deb') return send(200, deb);
      if (path === '/blobs/layer') return send(200, layer);
    }
    // A registry that redirects its manifests to another one, which asks for its own token (as registry.k8s.io does).
    if (host === 'registry.test' && path === '/v2/lab/moved/manifests/v1') return send(307, '', { location: `https://cdn.test:${port}/v2/lab/moved/manifests/v1` });
    if (host === 'cdn.test' && path === '/v2/lab/moved/manifests/v1') {
      if (req.headers.authorization !== 'Bearer tok-repositorylabmovedpull') return send(401, '', { 'www-authenticate': `Bearer realm="https://auth.test:${port}/token",service="cdn.test",scope="repository:lab/moved:pull"` });
      return send(200, manifest, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    }
    if (host === 'auth.test' && path === '/token') {
      const q = new URL(req.url ?? '', 'https://auth.test').searchParams;
      return send(200, JSON.stringify({ token: `tok-${q.get('scope')?.replace(/[^a-z]/g, '')}`, expires_in: 300 }));
    }
    if (host === 'registry.test') {
      if (req.headers.authorization !== 'Bearer tok-repositorylabapppull') {
        return send(401, '{"errors":[{"code":"UNAUTHORIZED"}]}', { 'www-authenticate': `Bearer realm="https://auth.test:${port}/token",service="registry.test",scope="repository:lab/app:pull"` });
      }
      const mt = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': `sha256:${sha(manifest)}` };
      if (path === '/v2/lab/app/manifests/v1' || path === `/v2/lab/app/manifests/sha256:${sha(manifest)}`) return send(200, req.method === 'HEAD' ? '' : manifest, mt);
      if (path === `/v2/lab/app/blobs/sha256:${sha(layer)}`) return send(307, '', { location: `https://cdn.test:${port}/blobs/layer` });
      if (path === `/v2/lab/app/blobs/sha256:${sha(config)}`) return send(200, config);
      if (path === `/v2/lab/app/blobs/sha256:${badDigest}`) return send(200, 'tampered layer');
    }
    send(404, 'no');
  });
  return {
    server, counts, auths, deb, layer, config, manifest, badDigest,
    setPort: (p: number) => { port = p; }, setDelay: (ms: number) => { delayMs = ms; },
  };
}

/** GET a path on the cache directly (origin-form, as containerd and a rewritten apt source reach it). */
function get(proxy: CacheProxy, path: string, from = '127.0.0.1', headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: proxy.port, path, localAddress: from, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
  });
}

describe('upstream forms (pure)', () => {
  const allowAll = () => true;
  it('names an https repository or a registry by DNS name', () => {
    const f = parseCacheForm('/https/pkgs.k8s.io/core:/stable:/v1.35/deb/InRelease', allowAll);
    assert.ok(f && 'kind' in f && f.kind === 'https');
    assert.equal(f.url.href, 'https://pkgs.k8s.io/core:/stable:/v1.35/deb/InRelease');
    const r = parseCacheForm('/registry/registry-1.docker.io/v2/library/pause/manifests/3.10?ns=docker.io', allowAll);
    assert.ok(r && 'kind' in r && r.kind === 'registry');
    assert.equal(r.url.href, 'https://registry-1.docker.io/v2/library/pause/manifests/3.10');
    assert.equal(parseCacheForm('/other/x', allowAll), undefined);
  });
  it('refuses addresses, credentials, dot segments, encoded slashes, bad ports and non-registry paths', () => {
    for (const p of ['/https/127.0.0.1/x', '/https/10.0.0.1/x', '/https/192.168.1.1/x', '/https/169.254.169.254/latest', '/https/[::1]/x', '/https/0x7f000001/x', '/https/2130706433/x',
      '/https/user@pkgs.test/x', '/https/user:pw@pkgs.test/x', '/https/pkgs.test/a/../../x', '/https/pkgs.test/a/%2e%2e/x', '/https/pkgs.test/a%2fb', '/https/pkgs.test/a\\b',
      '/https/pkgs.test:0/x', '/https/pkgs.test:70000/x', '/https/-bad.test/x', '/https/pkgs.test:/x', '/registry/registry.test/x', '/registry/registry.test/v2/../../etc/passwd',
      '/registry/registry.test/v2/Lab/App/manifests/v1']) {
      const f = parseCacheForm(p, allowAll);
      assert.ok(f && 'status' in f && f.status === 400, `${p} is refused: ${JSON.stringify(f)}`);
    }
    const local = parseCacheForm('/https/localhost/x', (h) => h !== 'localhost');
    assert.ok(local && 'status' in local && local.status === 403);
    assert.equal(validUpstreamHost('pkgs.k8s.io'), true);
    assert.equal(validUpstreamHost('1.2.3.4'), false);
  });
  it('parses a Bearer challenge and builds the token URL only for an https realm on a valid name', () => {
    const ch = parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/pause:pull"')!;
    assert.equal(tokenUrl(ch, () => true)!.href, 'https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fpause%3Apull');
    assert.equal(tokenUrl({ realm: 'http://auth.docker.io/token' }, () => true), undefined);
    assert.equal(tokenUrl({ realm: 'https://127.0.0.1/token' }, () => true), undefined);
    assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
  });
});

describe('download cache: https upstreams and registries', () => {
  const certs = makeCerts();
  const up = certs ? fakeHttps(certs) : undefined;
  let port = 0;
  let root = '';
  let proxy: CacheProxy;
  before(async () => {
    if (!up) return;
    await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', () => r()));
    port = (up.server.address() as AddressInfo).port;
    up.setPort(port);
  });
  after(async () => { up?.server.close(); await proxy?.close(); if (root) rmSync(root, { recursive: true, force: true }); });
  beforeEach(async () => {
    if (!up) return;
    if (proxy) await proxy.close();
    if (root) rmSync(root, { recursive: true, force: true });
    root = mkdtempSync(join(tmpdir(), 'labgen-cache-https-store-'));
    up.counts.clear();
    up.auths.length = 0;
    up.setDelay(0);
    proxy = await startCacheProxy({ host: '127.0.0.1', store: new CacheStore(root), hostAddresses: () => ['127.0.0.1'], ca: certs!.ca, lookup: toLoopback });
  });
  const skip = (t: { skip(m: string): void }) => { if (!up) { t.skip('openssl is not installed (it fails instead when CI=true)'); return true; } return false; };
  const repo = () => `/https/pkgs.test:${port}/deb`;

  it('an https repository: one upstream fetch (redirect followed by the cache) for two nodes, then served from the cache', async (t) => {
    if (skip(t)) return;
    assert.equal((await get(proxy, `${repo()}/InRelease`)).status, 200);
    assert.equal((await get(proxy, `${repo()}/Packages`)).status, 200);
    up!.setDelay(100);
    const [a, b] = await Promise.all([get(proxy, `${repo()}/kubeadm.deb`, '127.0.0.1'), get(proxy, `${repo()}/kubeadm.deb`, '127.0.0.2')]);
    assert.equal(a.status, 200);
    assert.ok(a.body.equals(up!.deb) && b.body.equals(up!.deb));
    assert.deepEqual([a.headers['x-labgen-cache'], b.headers['x-labgen-cache']].sort(), ['hit', 'miss']);
    assert.equal(up!.counts.get('pkgs.test/deb/kubeadm.deb'), 1);
    assert.equal(up!.counts.get('cdn.test/pool/kubeadm.deb'), 1);
    const c = await get(proxy, `${repo()}/kubeadm.deb`, '127.0.0.3');
    assert.equal(c.headers['x-labgen-cache'], 'hit');
    assert.equal(up!.counts.get('cdn.test/pool/kubeadm.deb'), 1);
    assert.ok(existsSync(join(new CacheStore(root).files, entryName(`https://pkgs.test:${port}/deb/kubeadm.deb`))));
  });

  it('apt through http_proxy (absolute-form URL naming the cache itself) reaches the same upstream', async (t) => {
    if (skip(t)) return;
    const r = await get(proxy, `${proxy.url}${repo()}/InRelease`);
    assert.equal(r.status, 200);
    assert.match(r.body.toString(), /^Origin: test/);
  });

  it('a tampered upstream file is refused (502) and not stored', async (t) => {
    if (skip(t)) return;
    await get(proxy, `${repo()}/InRelease`);
    await get(proxy, `${repo()}/Packages`);
    const r = await get(proxy, `${repo()}/tampered.deb`);
    assert.equal(r.status, 502);
    assert.match(r.body.toString(), /hashes to [0-9a-f]{64}, but .*Packages says/);
    assert.ok(!existsSync(join(new CacheStore(root).files, entryName(`https://pkgs.test:${port}/deb/tampered.deb`))));
    assert.equal(proxy.stats().mismatchRefused, 1);
  });

  it('a bad upstream form is refused before anything is fetched; a redirect to plain http is not followed', async (t) => {
    if (skip(t)) return;
    for (const p of ['/https/127.0.0.1/x', `/https/user@pkgs.test:${port}/deb/InRelease`, `/https/pkgs.test:${port}/deb/../deb/InRelease`, `/https/pkgs.test:${port}/deb/%2e%2e/InRelease`, '/https/localhost/x', '/http/pkgs.test/x']) {
      const r = await get(proxy, p);
      assert.ok(r.status === 400 || r.status === 403, `${p}: ${r.status}`);
    }
    assert.equal(up!.counts.size, 0, 'nothing reached the upstream');
    const r = await get(proxy, `${repo()}/to-http`);
    assert.equal(r.status, 502);
    assert.match(r.body.toString(), /redirected to http:\/\/cdn\.test/);
  });

  it('TLS is verified: without the test CA the upstream is not trusted', async (t) => {
    if (skip(t)) return;
    const strict = await startCacheProxy({ host: '127.0.0.1', store: new CacheStore(root), hostAddresses: () => ['127.0.0.1'], lookup: toLoopback });
    try {
      const r = await get(strict, `${repo()}/InRelease`);
      assert.equal(r.status, 502);
      assert.match(r.body.toString(), /certificate/i);
    } finally { await strict.close(); }
  });

  it('a registry: token auth done upstream once, tag resolution passed through, manifest and blobs by digest verified and cached', async (t) => {
    if (skip(t)) return;
    const reg = `/registry/registry.test:${port}/v2/lab/app`;
    const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' };
    const byTag = await get(proxy, `${reg}/manifests/v1?ns=registry.test`, '127.0.0.1', accept);
    assert.equal(byTag.status, 200);
    assert.ok(byTag.body.equals(up!.manifest));
    assert.equal(byTag.headers['content-type'], 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(byTag.headers['x-labgen-cache'], undefined, 'a tag is never served from the cache');
    assert.equal(up!.counts.get('auth.test/token'), 1);
    const digest = `sha256:${sha(up!.manifest)}`;
    for (const from of ['127.0.0.1', '127.0.0.2']) {
      const m = await get(proxy, `${reg}/manifests/${digest}?ns=registry.test`, from, accept);
      assert.equal(m.status, 200);
      assert.ok(m.body.equals(up!.manifest));
      assert.equal(m.headers['content-type'], 'application/vnd.oci.image.manifest.v1+json', 'the media type is kept');
      assert.equal(m.headers['docker-content-digest'], digest);
      const l = await get(proxy, `${reg}/blobs/sha256:${sha(up!.layer)}`, from);
      assert.equal(l.status, 200);
      assert.ok(l.body.equals(up!.layer));
    }
    assert.equal(up!.counts.get(`registry.test/v2/lab/app/manifests/${digest}`), 1);
    assert.equal(up!.counts.get('cdn.test/blobs/layer'), 1);
    assert.equal(up!.counts.get('auth.test/token'), 1, 'the token is reused until it expires');
    assert.ok(up!.auths.every((a) => a.startsWith('registry.test ')), `the token went only to the registry: ${up!.auths.join(', ')}`);
    assert.equal(proxy.stats().files[`https://registry.test:${port}/v2/lab/app/blobs/sha256:${sha(up!.layer)}`]!.servedFromCache, up!.layer.length);
  });

  it('a registry redirecting to another host that asks for its own token: the token goes to that host only', async (t) => {
    if (skip(t)) return;
    const r = await get(proxy, `/registry/registry.test:${port}/v2/lab/moved/manifests/v1`);
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(up!.manifest));
    assert.deepEqual(up!.auths, ['cdn.test Bearer tok-repositorylabmovedpull']);
  });

  it('a blob whose bytes do not hash to its digest is refused (502) and not stored', async (t) => {
    if (skip(t)) return;
    const url = `/registry/registry.test:${port}/v2/lab/app/blobs/sha256:${up!.badDigest}`;
    const r = await get(proxy, url);
    assert.equal(r.status, 502);
    assert.ok(!existsSync(join(new CacheStore(root).files, entryName(`https://registry.test:${port}/v2/lab/app/blobs/sha256:${up!.badDigest}`))));
  });
});
