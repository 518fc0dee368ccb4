// The cache around bring-up (src/cache/lab-cache.ts) and `labgen cache info|clear`, on loopback only.
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CACHE_ENV, withLabCache } from '../../src/cache/lab-cache.js';
import { cacheInfo, clearCache, CacheStore, entryName } from '../../src/cache/store.js';
import { prepareLab } from '../../src/pipeline/prepare.js';
import { defaultRegistries } from '../../src/registries.js';
import type { ResolvedLab } from '../../src/lab/types.js';
import type { Provider } from '../../src/providers/types.js';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';

const reg = defaultRegistries();
const tmp = mkdtempSync(join(tmpdir(), 'labgen-labcache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function lab(name = 'debian-flannel-2node'): ResolvedLab {
  return prepareLab(name, {}, reg).lab;
}

/** The shipped provider, asked for the loopback address instead (so nothing leaves 127.0.0.1). */
const loopProvider = (base: Provider, addr: string | null = '127.0.0.1'): Provider => ({ ...base, cacheHostAddress: () => addr ?? undefined });

const refused = (url: string) => new Promise<boolean>((resolve) => {
  http.get(`${url}/`, { agent: false }, (r) => { r.resume(); resolve(false); }).on('error', () => resolve(true));
});

describe('the cache around bring-up', () => {
  it('serves while the body runs, on the provider\'s address, and stops afterwards with its stats written', async () => {
    const home = join(tmp, 'a');
    const notes: string[] = [];
    let seen = '';
    await withLabCache(lab(), loopProvider(reg.providers.require('libvirt')), 'create', { env: { HOME: home }, note: (m) => notes.push(m), hostAddresses: () => ['127.0.0.1'] }, async (env) => {
      seen = env[CACHE_ENV]!;
      assert.match(seen, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
      assert.equal(await refused(seen), false, 'the proxy answers while bring-up runs');
    });
    assert.equal(await refused(seen), true, 'the proxy is stopped after bring-up');
    const last = JSON.parse(readFileSync(join(home, '.cache/labgen/v1/stats/last-run.json'), 'utf8'));
    assert.equal(last.lab, 'debian-flannel-2node');
    assert.equal(last.command, 'create');
    assert.ok(last.clients['127.0.0.1'].requests >= 1);
    assert.ok(notes.some((n) => /download cache: .* fetched from upstream/.test(n)), notes.join('\n'));
  });

  it('stops when bring-up fails (or is interrupted) too', async () => {
    let seen = '';
    await assert.rejects(withLabCache(lab(), loopProvider(reg.providers.require('virtualbox')), 'create', { env: { HOME: join(tmp, 'b') }, note: () => {}, hostAddresses: () => ['127.0.0.1'] }, async (env) => {
      seen = env[CACHE_ENV]!;
      throw new Error('vagrant up failed');
    }), /vagrant up failed/);
    assert.equal(await refused(seen), true);
  });

  it('binds once the provider has created the host address, on the port the Vagrantfile was told', async () => {
    let present = false;
    let seen = '';
    await withLabCache(lab(), loopProvider(reg.providers.require('libvirt')), 'create', { env: { HOME: join(tmp, 'c') }, note: () => {}, hostAddresses: () => (present ? ['127.0.0.1'] : []), pollMs: 20 }, async (env) => {
      seen = env[CACHE_ENV]!;
      assert.equal(await refused(seen), true, 'nothing listens before the address exists');
      present = true;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await refused(seen), false, 'the proxy listens once it does');
    });
    assert.equal(await refused(seen), true);
  });

  it('without the cache (cache: false, or a host-only network not on this machine) the nodes get no URL', async () => {
    const off = { ...lab(), cache: false as const };
    const notes: string[] = [];
    await withLabCache(off, loopProvider(reg.providers.require('libvirt')), 'create', { env: { HOME: join(tmp, 'd') }, note: (m) => notes.push(m) }, async (env) => { assert.equal(env[CACHE_ENV], ''); });
    await withLabCache(lab(), loopProvider(reg.providers.require('libvirt'), null), 'create', { env: { HOME: join(tmp, 'd') }, note: (m) => notes.push(m) }, async (env) => { assert.equal(env[CACHE_ENV], ''); });
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /host-only network of debian-flannel-2node is not on this machine/);
  });

  it('providers name the host-only host address: VirtualBox\'s adapter, a local libvirt network\'s gateway, none for a remote libvirt', () => {
    const l = lab();
    assert.equal(reg.providers.require('virtualbox').cacheHostAddress(l), l.network.hostOnly.hostAddress);
    assert.equal(reg.providers.require('libvirt').cacheHostAddress(l), l.network.hostOnly.hostAddress);
    const remote = { ...l, provider: { ...l.provider, options: { ...l.provider.options, uri: 'qemu+ssh://me@kvm/system' } } };
    assert.equal(reg.providers.require('libvirt').cacheHostAddress(remote), undefined);
  });
});

describe('labgen cache info and clear', () => {
  it('info shows where, size, entries and the last run (--json); clear removes only the cache\'s own files, never through a link', async () => {
    const host = fakeHost([]);
    const dir = join(host.root, 'xdg', 'labgen');
    const env = { XDG_CACHE_HOME: join(host.root, 'xdg') };
    const store = new CacheStore(dir);
    store.ensure();
    writeFileSync(join(store.files, entryName('http://a/x.deb')), 'x'.repeat(1000));
    writeFileSync(join(store.files, `${entryName('http://a/x.deb')}.json`), '{}');
    writeFileSync(join(store.stats, 'last-run.json'), JSON.stringify({ lab: 'l', command: 'create', address: '10.0.0.254', started: 's', fetchedUpstream: 5, servedFromCache: 7, served: 12, corruptDropped: 0, mismatchRefused: 0, clients: { '10.0.0.1': { requests: 2, fetchedUpstream: 5, servedFromCache: 7, served: 12 } }, files: {} }));
    // A link planted in the cache pointing outside, and a file that is not the cache's.
    const outside = join(host.root, 'precious');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'mine');
    symlinkSync(outside, join(store.files, entryName('http://a/link')));
    writeFileSync(join(store.files, 'notes.txt'), 'user file');

    const info = await runLabgen(host, ['cache', 'info', '--json'], { env });
    assert.equal(info.code, 0, info.err);
    const doc = JSON.parse(info.out);
    assert.equal(doc.dir, dir);
    assert.equal(doc.entries, 1, 'the link is no entry');
    assert.equal(doc.bytes, 1002);
    assert.equal(doc.lastRun.clients['10.0.0.1'].servedFromCache, 7);
    const text = await runLabgen(host, ['cache', 'info'], { env });
    assert.match(text.out, new RegExp(`download cache: ${dir}`));
    assert.match(text.out, /entries: 1/);
    assert.match(text.out, /10\.0\.0\.1: 2 requests/);

    const cleared = await runLabgen(host, ['cache', 'clear', '--json'], { env });
    assert.equal(cleared.code, 0, cleared.err);
    const c = JSON.parse(cleared.out);
    assert.equal(c.removed, 4, 'entry, record, the planted link (as a link), last-run.json');
    assert.deepEqual(c.kept, [join(store.files, 'notes.txt')]);
    assert.equal(readFileSync(join(outside, 'keep.txt'), 'utf8'), 'mine', 'the link\'s target is untouched');
    assert.ok(!existsSync(join(store.files, entryName('http://a/x.deb'))));
    assert.ok(lstatSync(join(store.files, 'notes.txt')).isFile());
    assert.equal(cacheInfo(dir).entries, 0);
    assert.deepEqual(clearCache(join(host.root, 'nothing-here')), { removed: 0, bytes: 0, kept: [] });
  });
});
