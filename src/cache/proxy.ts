// labgen's pull-through download cache: an HTTP forward proxy (apt's Acquire::http::Proxy, dnf's proxy=) that
// labgen runs on the host-only host address while create/start run. A file whose checksum the repository's metadata
// gives (or whose name is its checksum) is fetched upstream once, verified, stored, and served to every node;
// concurrent requests for it wait for that one fetch. Anything else (Release, InRelease, repomd.xml, files no index
// seen so far lists) is passed through unchanged and never stored; indexes passing through teach the cache checksums.
import { createReadStream, createWriteStream, readFileSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ChecksumIndex, type Expected } from './checksums.js';
import { CacheStore, entryName } from './store.js';
import { parseBearerChallenge, parseCacheForm, tokenUrl, validUpstreamHost, type CacheForm } from './upstream.js';

/** Bytes and requests of one guest (by its address on the host-only network). */
export interface ClientStats {
  requests: number;
  /** Bytes the proxy fetched from upstream for this client's requests (cache misses and passed-through files). */
  fetchedUpstream: number;
  /** Bytes served to it from a cache entry it did not fetch itself (an earlier run's, or another node's). */
  servedFromCache: number;
  /** Every byte of every response body sent to it. */
  served: number;
}

/** What one run of the proxy did; `labgen cache info --json` prints the last run's. */
export interface ProxyStats {
  address: string;
  started: string;
  stopped?: string;
  /** Bytes fetched from upstream, in all. */
  fetchedUpstream: number;
  servedFromCache: number;
  served: number;
  /** Files fetched again because a cached copy did not match the metadata (and was removed). */
  corruptDropped: number;
  /** Downloads refused because upstream's bytes did not match the metadata. */
  mismatchRefused: number;
  clients: Record<string, ClientStats>;
  /** Per URL: how many times it was fetched upstream and served from the cache. */
  files: Record<string, { fetchedUpstream: number; servedFromCache: number; cacheable: boolean }>;
}

/** Why the proxy cannot run, for the caller to report (create goes on without the cache). */
export class CacheProxyError extends Error {}

/** How the proxy is set up. */
export interface ProxyOptions {
  /** The host's address on the lab's host-only network (from the provider plugin); the only address it binds. */
  host: string;
  /** 0 (default): any free port. */
  port?: number;
  store: CacheStore;
  /** Whether a request may go to this upstream host; default: anything but loopback and link-local. */
  allowUpstream?: (hostname: string) => boolean;
  /** The addresses this host has; default: os.networkInterfaces(). */
  hostAddresses?: () => string[];
  /** CA certificates for https upstreams instead of Node's bundled roots (tests: a test CA). */
  ca?: string | Buffer | (string | Buffer)[];
  /**
   * Name resolution for https upstreams; default: the system's, refusing a name that resolves to a loopback,
   * link-local or unspecified address (tests resolve their fake upstreams' names to loopback).
   */
  lookup?: LookupFunction;
}

/** A running proxy. */
export interface CacheProxy {
  url: string;
  port: number;
  stats(): ProxyStats;
  /** Stops listening, cuts open connections and in-flight downloads, and returns the run's stats. */
  close(): Promise<ProxyStats>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** How much of a passed-through index is kept to learn its checksums from (the largest apt Packages indexes are ~60 MB). */
const MAX_INDEX_BYTES = 256 << 20;

/** Loopback, link-local and unspecified upstreams are refused: a guest must not reach the host's own services. */
export function defaultAllowUpstream(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return false;
  if (/^127\./.test(h) || /^0\./.test(h) || /^169\.254\./.test(h) || h === '::1' || h === '::' || /^fe80:/.test(h) || /^::ffff:127\./.test(h)) return false;
  return true;
}

/** dns.lookup, refusing names that resolve to addresses a guest must not reach through the cache. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (err, address, family) => {
    if (err) { callback(err, address, family); return; }
    const list = Array.isArray(address) ? address : [{ address, family }];
    const bad = list.find((a) => !defaultAllowUpstream(a.address));
    if (bad) { callback(Object.assign(new Error(`${hostname} resolves to ${bad.address}, which the download cache does not fetch from`), { code: 'EREFUSED' }), address, family); return; }
    callback(null, address, family);
  });
};

/** Redirect statuses the cache follows itself for https upstreams (pkgs.k8s.io and registries redirect to CDNs). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** A registry token as issued (distribution token spec: token or access_token), inert in a header. */
const TOKEN = /^[A-Za-z0-9._~+/=-]{1,16384}$/;

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
}

function forwardHeaders(h: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') out[k] = v;
  return out;
}

/** Starts the proxy on `host`; refuses (CacheProxyError) when the address is not this host's or the port is taken. */
export async function startCacheProxy(opts: ProxyOptions): Promise<CacheProxy> {
  const present = (opts.hostAddresses ?? localAddresses)();
  if (!present.includes(opts.host)) {
    throw new CacheProxyError(`the host-only host address ${opts.host} is not on any interface of this host, so the download cache cannot listen there`);
  }
  opts.store.ensure();
  const allow = opts.allowUpstream ?? defaultAllowUpstream;
  const index = new ChecksumIndex();
  const learnt = new Set<string>();
  const flights = new Map<string, Promise<Flight>>();
  const sockets = new Set<Socket>();
  const upstreams = new Set<http.ClientRequest>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  // Normal TLS verification (rejectUnauthorized is Node's default), against Node's roots or the given CA.
  const tlsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, lookup: opts.lookup ?? guardedLookup, ...(opts.ca ? { ca: opts.ca } : {}) });
  /** Registry tokens by registry and repository, until they expire. */
  const tokens = new Map<string, { token: string; until: number }>();
  const stats: ProxyStats = { address: opts.host, started: new Date().toISOString(), fetchedUpstream: 0, servedFromCache: 0, served: 0, corruptDropped: 0, mismatchRefused: 0, clients: {}, files: {} };
  const client = (ip: string): ClientStats => (stats.clients[ip] ??= { requests: 0, fetchedUpstream: 0, servedFromCache: 0, served: 0 });
  const file = (url: string, cacheable: boolean) => (stats.files[url] ??= { fetchedUpstream: 0, servedFromCache: 0, cacheable });
  const countUpstream = (ip: string, url: string, n: number, cacheable: boolean) => { stats.fetchedUpstream += n; client(ip).fetchedUpstream += n; file(url, cacheable).fetchedUpstream += n; };
  const countServed = (ip: string, n: number) => { stats.served += n; client(ip).served += n; };

  const upstream = (url: URL, method: string, headers: http.OutgoingHttpHeaders): Promise<http.IncomingMessage> => new Promise((resolve, reject) => {
    const r = url.protocol === 'https:'
      ? https.request(url, { method, headers: { ...headers, host: url.host }, agent: tlsAgent, timeout: 120_000 }, (res) => { upstreams.delete(r); resolve(res); })
      : http.request(url, { method, headers: { ...headers, host: url.host }, agent, timeout: 120_000 }, (res) => { upstreams.delete(r); resolve(res); });
    upstreams.add(r);
    r.on('timeout', () => r.destroy(new Error(`no answer from ${url.host} in 120 s`)));
    r.on('error', (e) => { upstreams.delete(r); reject(e); });
    r.end();
  });

  /** A registry's anonymous pull token for a challenge (distribution token auth), or undefined when none is issued. */
  const fetchToken = async (challenge: ReturnType<typeof parseBearerChallenge>): Promise<{ token: string; ttl: number } | undefined> => {
    const u = challenge ? tokenUrl(challenge, allow) : undefined;
    if (!u) return undefined;
    const res = await upstream(u, 'GET', { accept: 'application/json' });
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of res as AsyncIterable<Buffer>) { n += c.length; if (n > 65536) { res.destroy(); return undefined; } chunks.push(c); }
    if (res.statusCode !== 200) return undefined;
    try {
      const j = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
      const token = typeof j.token === 'string' ? j.token : typeof j.access_token === 'string' ? j.access_token : undefined;
      if (!token || !TOKEN.test(token)) return undefined;
      const ttl = typeof j.expires_in === 'number' && j.expires_in > 0 ? j.expires_in : 60;
      return { token, ttl };
    } catch { return undefined; }
  };

  /**
   * GETs or HEADs an https upstream, following redirects itself (each target https on a valid host name the policy
   * allows; Authorization only to the registry itself), and for a registry doing the token dance: a 401 with a
   * Bearer challenge fetches an anonymous token from its realm and retries once.
   */
  const fetchHttps = async (form: CacheForm, method: string, headers: http.OutgoingHttpHeaders): Promise<http.IncomingMessage> => {
    const origin = form.url;
    const repository = form.kind === 'registry' ? /^\/v2\/(.*)\/(?:manifests|blobs)\//.exec(origin.pathname)?.[1] ?? '' : '';
    let target = origin;
    // Each host of the chain may challenge once (registry.k8s.io redirects to a registry that asks for a token).
    const challenged = new Set<string>();
    for (let hop = 0; hop < 8; hop++) {
      const h: http.OutgoingHttpHeaders = { ...headers };
      delete h.authorization;
      const key = `${target.host} ${repository}`;
      const tok = form.kind === 'registry' ? tokens.get(key) : undefined;
      // A token goes only to the host that asked for it.
      if (tok && tok.until > Date.now()) h.authorization = `Bearer ${tok.token}`;
      const res = await upstream(target, method, h);
      if (res.statusCode === 401 && form.kind === 'registry' && !challenged.has(target.host)) {
        const challenge = parseBearerChallenge(res.headers['www-authenticate'] as string | undefined);
        if (challenge) {
          res.resume();
          challenged.add(target.host);
          const got = await fetchToken(challenge);
          if (!got) throw new Error(`${target.host} asked for a token its realm ${challenge.realm} did not issue`);
          tokens.set(key, { token: got.token, until: Date.now() + got.ttl * 1000 });
          continue;
        }
      }
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location) {
        res.resume();
        let next: URL;
        try { next = new URL(location, target); } catch { throw new Error(`${target.host} redirected to an invalid URL`); }
        if (next.protocol !== 'https:' || next.username || next.password || !validUpstreamHost(next.hostname) || !allow(next.hostname)) {
          throw new Error(`${target.host} redirected to ${next.protocol}//${next.host}, which the download cache does not fetch from`);
        }
        target = next;
        continue;
      }
      return res;
    }
    throw new Error(`${origin.host}: too many redirects`);
  };

  /** Learns from an index once per URL and content. */
  const learnFrom = (url: string, body: Buffer, sha256: string) => {
    const key = `${url} ${sha256}`;
    if (learnt.has(key)) return;
    learnt.add(key);
    index.learn(url, body);
  };

  /** Fetches a cacheable file upstream into the store, verifying it; one flight per URL at a time. */
  type Flight = { kind: 'cached'; path: string; size: number; hit: boolean; contentType?: string } | { kind: 'mismatch'; got: string } | { kind: 'pass' };
  type Fetch = (method: string, headers: http.OutgoingHttpHeaders) => Promise<http.IncomingMessage>;
  const fly = async (url: URL, get: Fetch, expected: Expected, ip: string, headers: http.IncomingHttpHeaders): Promise<Flight> => {
    const ua = headers['user-agent'];
    const res = await get('GET', { 'accept-encoding': 'identity', ...(ua ? { 'user-agent': ua } : {}), ...(headers.accept ? { accept: headers.accept } : {}) });
    if (res.statusCode !== 200) { res.resume(); return { kind: 'pass' }; }
    const tmp = opts.store.tempPath();
    const h = createHash('sha256');
    let size = 0;
    res.on('data', (c: Buffer) => { h.update(c); size += c.length; });
    try {
      await pipeline(res, createWriteStream(tmp, { mode: 0o600, flags: 'wx' }));
    } catch (e) {
      try { unlinkSync(tmp); } catch { /* never written */ }
      throw e;
    } finally {
      countUpstream(ip, url.href, size, true);
    }
    const sha256 = h.digest('hex');
    if (sha256 !== expected.sha256 || (expected.size !== undefined && size !== expected.size)) {
      unlinkSync(tmp);
      stats.mismatchRefused++;
      return { kind: 'mismatch', got: sha256 };
    }
    const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined;
    opts.store.commit(tmp, url.href, sha256, size, contentType);
    return { kind: 'cached', path: join(opts.store.files, entryName(url.href)), size, hit: false, ...(contentType ? { contentType } : {}) };
  };

  const serveFile = async (res: http.ServerResponse, url: string, path: string, size: number, sha256: string, head: boolean, ip: string, fromCache: boolean, contentType: string | undefined, registry: boolean) => {
    if (index.kindOf(url)) learnFrom(url, readFileSync(path), sha256);
    res.writeHead(200, {
      'content-type': contentType && /^[\x20-\x7e]{1,200}$/.test(contentType) ? contentType : 'application/octet-stream',
      'content-length': String(size),
      'x-labgen-cache': fromCache ? 'hit' : 'miss',
      // OCI distribution: a manifest or blob by digest carries it back (containerd checks it).
      ...(registry ? { 'docker-content-digest': `sha256:${sha256}` } : {}),
    });
    if (head) { res.end(); return; }
    // Counted as it is sent: a client may have read the whole body before the pipeline reports it finished.
    countServed(ip, size);
    if (fromCache) { stats.servedFromCache += size; client(ip).servedFromCache += size; file(url, true).servedFromCache += size; }
    await pipeline(createReadStream(path), res);
  };

  const passThrough = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, get: Fetch, ip: string) => {
    const up = await get(req.method!, forwardHeaders(req.headers));
    const headers = forwardHeaders(up.headers);
    res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
    const learnable = up.statusCode === 200 && !up.headers['content-range'] && req.method === 'GET' && index.kindOf(url.href) !== undefined;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let n = 0;
    up.on('data', (c: Buffer) => {
      n += c.length;
      countUpstream(ip, url.href, c.length, false);
      countServed(ip, c.length);
      if (learnable && keptBytes + c.length <= MAX_INDEX_BYTES) { kept.push(c); keptBytes += c.length; }
    });
    await pipeline(up, res);
    if (learnable && keptBytes === n) {
      const body = Buffer.concat(kept);
      learnFrom(url.href, body, createHash('sha256').update(body).digest('hex'));
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const ip = (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
    client(ip).requests++;
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end('labgen download cache: only GET and HEAD\n'); return; }
    const raw = req.url ?? '';
    let url: URL;
    try { url = new URL(raw, 'http://cache.invalid'); } catch { url = undefined as unknown as URL; }
    // The cache's own paths (upstream.ts): origin-form, or absolute-form naming the cache itself (apt and dnf send
    // the URL of a repository on the cache through http_proxy, which is the cache).
    let form: CacheForm | undefined;
    if (url && (raw.startsWith('/') || (/^http:\/\//i.test(raw) && url.host === `${opts.host}:${port}`))) {
      // The raw target, not the parsed URL: URL parsing would already have resolved "..", "%2e%2e" and the like.
      const slash = raw.indexOf('/', 'http://'.length);
      const f = parseCacheForm(raw.startsWith('/') ? raw : slash < 0 ? '/' : raw.slice(slash), allow);
      if (!f) { res.writeHead(400).end('labgen download cache: use /https/<host>/<path> or /registry/<host>/v2/<path> on this address, or it as an HTTP proxy for http:// URLs\n'); return; }
      if ('status' in f) { res.writeHead(f.status).end(`labgen download cache: ${f.message}\n`); return; }
      form = f;
      url = f.url;
    } else {
      if (!url || url.protocol !== 'http:' || !/^http:\/\//i.test(raw)) { res.writeHead(400).end('labgen download cache: use this address as an HTTP proxy for http:// URLs\n'); return; }
      if (url.username || url.password) { res.writeHead(400).end('labgen download cache: no credentials in URLs\n'); return; }
      if (!allow(url.hostname)) { res.writeHead(403).end(`labgen download cache: ${url.hostname} is not an upstream it fetches from\n`); return; }
    }
    url.hash = '';
    const target = url;
    const get: Fetch = form ? (method, headers) => fetchHttps(form, method, headers) : (method, headers) => upstream(target, method, headers);
    const head = req.method === 'HEAD';
    // A registry's tag resolution (manifests/<tag>) has no checksum and passes through; by digest it is verified.
    const expected = index.expected(url.href);
    if (!expected || head) { await passThrough(req, res, url, get, ip); return; }
    // One flight per URL covers the check of the cached copy too, so no request can slip between check and fetch.
    let flight = flights.get(url.href);
    const leader = !flight;
    if (!flight) {
      flight = (async (): Promise<Flight> => {
        const hit = await opts.store.verified(url.href, expected);
        if (hit && hit !== 'dropped') return { kind: 'cached', ...hit, hit: true };
        if (hit === 'dropped') stats.corruptDropped++;
        return fly(target, get, expected, ip, req.headers);
      })().finally(() => flights.delete(url.href));
      flights.set(url.href, flight);
    }
    const got = await flight;
    if (got.kind === 'cached') { await serveFile(res, url.href, got.path, got.size, expected.sha256, head, ip, got.hit || !leader, got.contentType, form?.kind === 'registry'); return; }
    if (got.kind === 'mismatch') {
      res.writeHead(502).end(`labgen download cache: ${url.href} hashes to ${got.got}, but ${expected.from} says ${expected.sha256}: not served\n`);
      return;
    }
    await passThrough(req, res, url, get, ip);
  };

  let port = 0;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) res.writeHead(502).end(`labgen download cache: ${e.message}\n`);
      else res.destroy();
    });
  });
  // HTTPS through the cache (CONNECT) is refused: it could not be cached, and the cache is no general proxy.
  server.on('connect', (_req, socket: Socket) => { socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n'); });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new CacheProxyError(
      e.code === 'EADDRINUSE' ? `port ${opts.port} on ${opts.host} is taken, so the download cache cannot listen there`
        : e.code === 'EADDRNOTAVAIL' ? `the host-only host address ${opts.host} is not on this host, so the download cache cannot listen there`
          : `the download cache cannot listen on ${opts.host}: ${e.message}`)));
    server.listen({ host: opts.host, port: opts.port ?? 0, exclusive: true }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  let closed: Promise<ProxyStats> | undefined;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    stats: () => structuredClone(stats),
    close() {
      closed ??= new Promise<ProxyStats>((resolve) => {
        for (const r of upstreams) r.destroy();
        for (const s of sockets) s.destroy();
        agent.destroy();
        tlsAgent.destroy();
        server.close(() => { stats.stopped = new Date().toISOString(); resolve(structuredClone(stats)); });
      });
      return closed;
    },
  };
}
