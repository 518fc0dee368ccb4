// The one place create (and start) run the download cache: around bring-up, on the address the provider plugin names,
// stopped when bring-up ends (also on failure and Ctrl-C), with the run's byte counts written to the cache's stats.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { ResolvedLab } from '../lab/types.js';
import type { Provider } from '../providers/types.js';
import { cacheDir } from './dir.js';
import { CacheProxyError, startCacheProxy, type CacheProxy, type ProxyOptions, type ProxyStats } from './proxy.js';
import { CacheStore } from './store.js';

/** The variable the rendered Vagrantfile reads the cache's URL from (templates/Vagrantfile.hbs). */
export const CACHE_ENV = 'LABGEN_CACHE_PROXY';

/** What the cache around bring-up needs from the outside. */
export interface LabCacheDeps {
  env: NodeJS.ProcessEnv;
  /** Says something to the user (create prints `note: ...`). */
  note(message: string): void;
  hostAddresses?: () => string[];
  allowUpstream?: ProxyOptions['allowUpstream'];
  /** How often to look for the host address while the provider creates the host-only network (default 250 ms). */
  pollMs?: number;
}

/** What one run of the cache recorded (the last run's is `labgen cache info --json`'s `lastRun`). */
export interface CacheRunRecord extends ProxyStats { lab: string; command: string }

const MiB = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
}

/** A port free on loopback now, for a host address that does not exist yet (the Vagrantfile needs the URL first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Runs `body` (bring-up) with the download cache serving the lab's nodes; `body` gets the environment for vagrant.
 * The host-only network often appears only once `vagrant up` created it, so the proxy binds as soon as the address
 * is on this host. Without the cache (lab `cache: false`, a hypervisor on another host, no address) the nodes download directly.
 */
export async function withLabCache<T>(lab: ResolvedLab, provider: Provider, command: string, deps: LabCacheDeps, body: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const off = { [CACHE_ENV]: '' };
  if (lab.cache === false) return body(off);
  const host = provider.cacheHostAddress(lab);
  if (!host) {
    deps.note(`no download cache: the ${provider.name} host-only network of ${lab.name} is not on this machine, so every node downloads for itself`);
    return body(off);
  }
  const store = new CacheStore(cacheDir(deps.env));
  try { store.ensure(); } catch (e) {
    deps.note(`no download cache: ${(e as Error).message}`);
    return body(off);
  }
  const addresses = deps.hostAddresses ?? localAddresses;
  const opts = { host, store, hostAddresses: addresses, ...(deps.allowUpstream ? { allowUpstream: deps.allowUpstream } : {}) };
  let proxy: CacheProxy | undefined;
  let stopped = false;
  let waiting: Promise<void> | undefined;
  let port: number;
  let wake = () => {};
  try {
    if (addresses().includes(host)) {
      proxy = await startCacheProxy(opts);
      port = proxy.port;
    } else {
      port = await freePort();
      waiting = (async () => {
        while (!stopped && !addresses().includes(host)) {
          await new Promise<void>((r) => { const t = setTimeout(r, deps.pollMs ?? 250); wake = () => { clearTimeout(t); r(); }; });
        }
        if (!stopped) proxy = await startCacheProxy({ ...opts, port });
      })().catch((e: Error) => { deps.note(`no download cache: ${e.message}; every node downloads for itself`); });
    }
  } catch (e) {
    if (!(e instanceof CacheProxyError)) throw e;
    deps.note(`no download cache: ${e.message}; every node downloads for itself`);
    return body(off);
  }
  try {
    return await body({ [CACHE_ENV]: `http://${host}:${port}` });
  } finally {
    stopped = true;
    wake();
    await waiting;
    if (waiting && !proxy && !addresses().includes(host)) deps.note(`no download cache was used: ${host} never appeared on this host during bring-up`);
    const stats = await proxy?.close();
    if (stats) {
      const record: CacheRunRecord = { lab: lab.name, command, ...stats };
      try {
        writeFileSync(join(store.stats, 'last-run.json'), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
        appendFileSync(join(store.stats, 'runs.jsonl'), `${JSON.stringify(record)}\n`, { mode: 0o600 });
      } catch (e) { deps.note(`the download cache's stats could not be written: ${(e as Error).message}`); }
      deps.note(`download cache: ${MiB(stats.fetchedUpstream)} fetched from upstream, ${MiB(stats.servedFromCache)} served from the cache (labgen cache info)`);
    }
  }
}
