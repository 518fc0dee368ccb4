// The rendered provisioning uses the download cache: the Vagrantfile hands base.sh the URL labgen gave vagrant, and
// the shared steps route http:// downloads through it while base.sh runs (checked by running them in bash).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileOf, renderInMemory } from '../helpers/render.js';

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
