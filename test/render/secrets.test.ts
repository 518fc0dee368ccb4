// Secrets: the CA hash equals kubeadm's documented openssl pipeline; files are 0600 and kept on re-render;
// user edits are refused without --force; a failed write leaves nothing behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeProject } from '../../src/io/write-project.js';
import { BOOTSTRAP_TOKEN_RE, caCertHash, generateSecrets } from '../../src/render/secrets.js';
import { runCli } from '../helpers/cli.js';
import { run } from '../helpers/exec.js';
import { tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';

describe('secrets', () => {
  it('caCertHash equals `openssl x509 -pubkey | openssl rsa -pubin -outform der | openssl dgst -sha256` of a CA made from the key', (t) => {
    if (!requireTool(t, 'openssl')) return;
    const s = generateSecrets();
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.key'), s.caKeyPem, { mode: 0o600 });
    // As control-plane.sh creates it.
    const mk = run('openssl', ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', '/CN=kubernetes',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign', '-out', 'ca.crt'], { cwd: dir });
    assert.equal(mk.code, 0, mk.stderr);
    const h = run('bash', ['-c', 'set -o pipefail; openssl x509 -pubkey -in ca.crt | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex | sed "s/^.* //"'], { cwd: dir });
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout.trim(), /^[0-9a-f]{64}$/);
    assert.equal(caCertHash(s.caKeyPem), `sha256:${h.stdout.trim()}`);
    assert.match(s.bootstrapToken, BOOTSTRAP_TOKEN_RE);
    assert.notEqual(generateSecrets().bootstrapToken, s.bootstrapToken);
  });

  it('render writes secrets 0600, keeps them on re-render, and never prints them', async () => {
    const out = join(tempDir(), 'lab');
    const first = await runCli(['render', 'flannel-4node', '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    const read = () => Object.fromEntries(['bootstrap-token', 'ca.key', 'ca-cert-hash'].map((f) => [f, readFileSync(join(out, 'secrets', f), 'utf8')]));
    const before = read();
    for (const f of Object.keys(before)) assert.equal(statSync(join(out, 'secrets', f)).mode & 0o777, 0o600, f);
    assert.equal(before['ca-cert-hash'], `${caCertHash(before['ca.key']!)}\n`);
    const again = await runCli(['render', 'flannel-4node', '--out', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(read(), before, 'secrets changed on re-render');
    assert.match(again.stdout, /0 files updated/);
    for (const r of [first, again]) assert.ok(!`${r.stdout}${r.stderr}`.includes(before['bootstrap-token']!.trim()));
  });

  it('re-render refuses (exit 2) to overwrite a file the user changed, and --force overwrites it', async () => {
    const out = join(tempDir(), 'lab');
    assert.equal((await runCli(['render', 'flannel-4node', '--out', out])).code, 0);
    const path = join(out, 'provision', 'hosts');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, `${original}10.0.0.9 extra.lab.com\n`);
    const refused = await runCli(['render', 'flannel-4node', '--out', out]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /provision\/hosts/);
    assert.match(refused.stderr, /--force/);
    assert.equal(readFileSync(path, 'utf8'), `${original}10.0.0.9 extra.lab.com\n`, 'the refused render changed the file');
    const forced = await runCli(['render', 'flannel-4node', '--out', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(path, 'utf8'), original);
  });

  it('refuses to write into a non-empty directory labgen did not write', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const r = await runCli(['render', 'flannel-4node', '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /was not written by labgen/);
    assert.deepEqual(readdirSync(out), ['notes.txt']);
  });

  it('a failure while writing a new lab leaves no directory and no temp directory behind', () => {
    const parent = tempDir();
    const dir = join(parent, 'lab');
    // 'a' is written as a file, then 'a/b' cannot be: the write fails half way.
    const files = [{ path: 'Vagrantfile', content: 'x\n', mode: 0o644 }, { path: 'a', content: 'file\n', mode: 0o644 }, { path: 'a/b', content: 'nested\n', mode: 0o644 }];
    assert.throws(() => writeProject(dir, files, false));
    assert.equal(existsSync(dir), false);
    assert.deepEqual(readdirSync(parent), [], 'a staging directory was left behind');
  });
});
