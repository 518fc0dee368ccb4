// The download cache over real loopback HTTP (127.0.0.x only): an upstream that counts requests, guests as clients.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CacheProxyError, startCacheProxy, type CacheProxy } from '../../src/cache/proxy.js';
import { CacheStore, entryName } from '../../src/cache/store.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A Debian archive (dists layout, by-hash) and an RPM repository, each file counted when served. */
function fakeUpstream() {
  const deb = Buffer.from('fake deb bytes '.repeat(5000));
  const unknown = Buffer.from('a deb no Packages lists');
  const packages = gzipSync(Buffer.from(`Package: foo\nVersion: 1\nFilename: pool/main/f/foo_1_amd64.deb\nSize: ${deb.length}\nSHA256: ${sha(deb)}\n\nPackage: bar\nFilename: pool/main/b/bar.deb\nSHA256: ${sha('bar')}\n`));
  const release = `Origin: test\nSuite: stable\nSHA256:\n ${sha(packages)} ${packages.length} main/binary-amd64/Packages.gz\n`;
  const rpm = Buffer.from('fake rpm '.repeat(3000));
  const primary = gzipSync(Buffer.from(`<?xml version="1.0"?><metadata><package type="rpm"><name>kubeadm</name><checksum type="sha256" pkgid="YES">${sha(rpm)}</checksum><location href="Packages/k/kubeadm.rpm"/><size package="${rpm.length}"/></package></metadata>`));
  const repomd = `<?xml version="1.0"?><repomd><data type="primary"><checksum type="sha256">${sha(primary)}</checksum><location href="repodata/${sha(primary)}-primary.xml.gz"/><size>${primary.length}</size></data></repomd>`;
  const files: Record<string, Buffer> = {
    '/debian/dists/stable/InRelease': Buffer.from(release),
    [`/debian/dists/stable/main/binary-amd64/by-hash/SHA256/${sha(packages)}`]: packages,
    '/debian/pool/main/f/foo_1_amd64.deb': deb,
    '/debian/pool/main/b/bar.deb': Buffer.from('not bar'),
    '/debian/pool/main/u/unknown.deb': unknown,
    '/el/repodata/repomd.xml': Buffer.from(repomd),
    [`/el/repodata/${sha(primary)}-primary.xml.gz`]: primary,
    '/el/Packages/k/kubeadm.rpm': rpm,
  };
  const counts = new Map<string, number>();
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const body = files[path];
    if (!body) { res.writeHead(404).end('no'); return; }
    setTimeout(() => res.writeHead(200, { 'content-length': body.length }).end(body), delayMs);
  });
  return { server, files, counts, deb, unknown, rpm, setDelay: (ms: number) => { delayMs = ms; } };
}

/** GET `url` through the proxy as a client bound to `from` (a loopback address). */
function get(proxy: CacheProxy, url: string, from = '127.0.0.1'): Promise<{ status: number; body: Buffer; cache?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: proxy.port, path: url, localAddress: from, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), cache: res.headers['x-labgen-cache'] as string | undefined }));
    });
    req.on('error', reject);
  });
}

describe('download cache proxy', () => {
  const up = fakeUpstream();
  let base = '';
  let root = '';
  let proxy: CacheProxy;
  before(async () => {
    await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(up.server.address() as AddressInfo).port}`;
  });
  after(() => { up.server.close(); });
  beforeEach(async () => {
    if (proxy) await proxy.close();
    if (root) rmSync(root, { recursive: true, force: true });
    root = mkdtempSync(join(tmpdir(), 'labgen-cache-test-'));
    up.counts.clear();
    up.setDelay(0);
    proxy = await startCacheProxy({ host: '127.0.0.1', store: new CacheStore(root), hostAddresses: () => ['127.0.0.1'], allowUpstream: () => true });
  });
  after(async () => { await proxy.close(); rmSync(root, { recursive: true, force: true }); });

  const learnDebian = async (from = '127.0.0.1') => {
    assert.equal((await get(proxy, `${base}/debian/dists/stable/InRelease`, from)).status, 200);
    const byHash = Object.keys(up.files).find((p) => p.includes('/by-hash/'))!;
    assert.equal((await get(proxy, base + byHash, from)).status, 200);
  };

  it('listens on the given host address only, on a port it chose', () => {
    assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
    assert.ok(proxy.port > 0);
  });

  it('refuses to start when the host address is not on this host', async () => {
    await assert.rejects(startCacheProxy({ host: '10.0.0.254', store: new CacheStore(root), hostAddresses: () => ['127.0.0.1'] }),
      (e: Error) => e instanceof CacheProxyError && /10\.0\.0\.254 is not on any interface of this host/.test(e.message));
  });

  it('two nodes fetching one package at once cause one upstream fetch; both get the right bytes', async () => {
    await learnDebian();
    up.setDelay(150);
    const url = `${base}/debian/pool/main/f/foo_1_amd64.deb`;
    const [a, b] = await Promise.all([get(proxy, url, '127.0.0.1'), get(proxy, url, '127.0.0.2')]);
    assert.equal(up.counts.get('/debian/pool/main/f/foo_1_amd64.deb'), 1);
    assert.ok(a.body.equals(up.deb) && b.body.equals(up.deb));
    assert.deepEqual([a.cache, b.cache].sort(), ['hit', 'miss']);
    const s = proxy.stats();
    assert.equal(s.files[url]!.fetchedUpstream, up.deb.length);
    assert.equal(s.files[url]!.servedFromCache, up.deb.length);
    // Each client's bytes: the one that fetched it is charged the upstream bytes, the other got them from the cache.
    const charged = [s.clients['127.0.0.1']!, s.clients['127.0.0.2']!];
    assert.equal(charged.reduce((n, c) => n + c.served, 0) - up.files['/debian/dists/stable/InRelease']!.length - up.files[Object.keys(up.files).find((p) => p.includes('/by-hash/'))!]!.length, 2 * up.deb.length);
    assert.equal(s.clients['127.0.0.2']!.fetchedUpstream + s.clients['127.0.0.2']!.servedFromCache, up.deb.length);
    // A later node (and a later lab) is served from the cache without asking upstream.
    const c = await get(proxy, url, '127.0.0.3');
    assert.ok(c.body.equals(up.deb));
    assert.equal(c.cache, 'hit');
    assert.equal(up.counts.get('/debian/pool/main/f/foo_1_amd64.deb'), 1);
  });

  it('never serves a cached file that does not match the metadata: it is dropped and fetched again', async () => {
    await learnDebian();
    const url = `${base}/debian/pool/main/f/foo_1_amd64.deb`;
    assert.ok((await get(proxy, url)).body.equals(up.deb));
    const store = new CacheStore(root);
    writeFileSync(join(store.files, entryName(url)), Buffer.from('corrupted '.repeat(7500)).subarray(0, up.deb.length));
    const again = await get(proxy, url);
    assert.ok(again.body.equals(up.deb), 'the corrupted copy was served');
    assert.equal(again.cache, 'miss');
    assert.equal(up.counts.get('/debian/pool/main/f/foo_1_amd64.deb'), 2);
    assert.equal(proxy.stats().corruptDropped, 1);
  });

  it('a file whose checksum no index gives is passed through and never stored', async () => {
    await learnDebian();
    const url = `${base}/debian/pool/main/u/unknown.deb`;
    for (let i = 0; i < 2; i++) assert.ok((await get(proxy, url)).body.equals(up.unknown));
    assert.equal(up.counts.get('/debian/pool/main/u/unknown.deb'), 2);
    assert.ok(!existsSync(join(new CacheStore(root).files, entryName(url))));
    assert.equal(proxy.stats().files[url]!.cacheable, false);
  });

  it('before any index was seen nothing is cached (a cold proxy knows no checksum)', async () => {
    const url = `${base}/debian/pool/main/f/foo_1_amd64.deb`;
    await get(proxy, url);
    await get(proxy, url);
    assert.equal(up.counts.get('/debian/pool/main/f/foo_1_amd64.deb'), 2);
  });

  it('upstream bytes that do not match the metadata are refused (502) and not stored', async () => {
    await learnDebian();
    const url = `${base}/debian/pool/main/b/bar.deb`;
    const r = await get(proxy, url);
    assert.equal(r.status, 502);
    assert.match(r.body.toString(), /hashes to .* but .* says/);
    assert.ok(!existsSync(join(new CacheStore(root).files, entryName(url))));
    assert.equal(proxy.stats().mismatchRefused, 1);
  });

  it('mutable indexes (InRelease) are passed through every time, never cached', async () => {
    await learnDebian();
    await learnDebian();
    assert.equal(up.counts.get('/debian/dists/stable/InRelease'), 2);
    // The by-hash index is content-addressed: fetched once.
    assert.equal(up.counts.get(Object.keys(up.files).find((p) => p.includes('/by-hash/'))!), 1);
  });

  it('learns RPM checksums from repomd.xml and primary.xml and caches the package', async () => {
    await get(proxy, `${base}/el/repodata/repomd.xml`);
    const primary = Object.keys(up.files).find((p) => p.endsWith('-primary.xml.gz'))!;
    await get(proxy, base + primary);
    const url = `${base}/el/Packages/k/kubeadm.rpm`;
    assert.ok((await get(proxy, url, '127.0.0.1')).body.equals(up.rpm));
    const second = await get(proxy, url, '127.0.0.2');
    assert.ok(second.body.equals(up.rpm));
    assert.equal(second.cache, 'hit');
    assert.equal(up.counts.get('/el/Packages/k/kubeadm.rpm'), 1);
    assert.equal(readdirSync(new CacheStore(root).files).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 2, 'primary.xml.gz and the rpm');
  });

  it('refuses CONNECT, non-proxy requests, and (by default) loopback upstreams', async () => {
    const plain = await new Promise<number>((resolve) => http.get({ host: '127.0.0.1', port: proxy.port, path: '/x', agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }));
    assert.equal(plain, 400);
    const connect = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: 'example.com:443', agent: false });
      req.on('connect', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 0); });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    assert.equal(connect, 405);
    const strict = await startCacheProxy({ host: '127.0.0.1', store: new CacheStore(root), hostAddresses: () => ['127.0.0.1'] });
    try {
      const r = await get(strict, `${base}/debian/dists/stable/InRelease`);
      assert.equal(r.status, 403);
      assert.equal(up.counts.get('/debian/dists/stable/InRelease'), undefined);
    } finally { await strict.close(); }
  });
});
