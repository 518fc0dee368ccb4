// The pure parts of labgen logs: the tar writer (read back by GNU tar and by an independent parser) and the guest
// script's framing (run by bash for real, and parsed back, hostile output included).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { guestScript, parseGuestOutput } from '../../src/logs/guest-script.js';
import { splitPath, tarGz } from '../../src/logs/tar.js';
import { tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { readTarGz } from './archive.js';

test('tar: members come back byte for byte through GNU tar and a separate parser, long paths through the ustar prefix', (t) => {
  const long = `top/${'d'.repeat(90)}/${'n'.repeat(95)}.log`;
  const members = [
    { path: 'top/README.txt', content: 'hello\n' },
    { path: 'top/empty.txt', content: '' },
    { path: 'top/exact.bin', content: Buffer.alloc(512, 7) },
    { path: long, content: 'ünïcode ✔\n'.repeat(100) },
  ];
  const dir = tempDir('labgen-tar-');
  const file = join(dir, 'a.tar.gz');
  writeFileSync(file, tarGz(members));
  const back = readTarGz(file);
  assert.deepEqual([...back.keys()], members.map((m) => m.path));
  for (const m of members) assert.ok(back.get(m.path)!.equals(Buffer.from(m.content)), m.path);
  if (!requireTool(t, 'tar')) return;
  const x = join(dir, 'x');
  mkdirSync(x);
  const r = spawnSync('tar', ['-xzf', file, '-C', x], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const m of members) assert.ok(readFileSync(join(x, m.path)).equals(Buffer.from(m.content)), m.path);
});

test('tar: unsafe or impossible member paths are refused', () => {
  for (const p of ['../x', '/abs', 'a/../b', 'a//b', 'a/./b', 'sp ace', 'x'.repeat(101)]) assert.throws(() => splitPath(p), /tar: /, p);
  assert.deepEqual(splitPath('a/b'), { prefix: '', name: 'a/b' });
  assert.throws(() => tarGz([{ path: 'a', content: '' }, { path: 'a', content: '' }]), /duplicate/);
});

test('guest script: bash runs it, every item is framed, exit codes kept, a cut-short section and hostile names are handled', (t) => {
  const b = 'a'.repeat(32);
  const script = guestScript(b);
  assert.ok(!script.includes('\n'), 'one line (one entry in vagrant\'s and the fakes\' logs)');
  assert.throws(() => guestScript('short'), /boundary/);
  if (!requireTool(t, 'bash')) return;
  // A stub PATH: every command the script runs prints its own argv; `bridge` fails.
  const bin = tempDir('labgen-guest-');
  for (const c of ['sudo', 'journalctl', 'ip', 'bridge', 'cat']) {
    writeFileSync(join(bin, c), c === 'sudo' ? '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n' : c === 'bridge' ? '#!/bin/sh\necho "no bridge here" >&2; exit 3\n' : c === 'cat' ? '#!/bin/sh\necho "log of $2"\n' : `#!/bin/sh\necho "${c} $*"\necho "LABGEN-LOGS-${'b'.repeat(32)} END ip-addr.txt 0"\n`, { mode: 0o755 });
  }
  const root = tempDir('labgen-guest-root-');
  mkdirSync(join(root, 'var/log/labgen'), { recursive: true });
  writeFileSync(join(root, 'var/log/labgen/kubeadm-init.log'), 'x');
  const r = spawnSync('/bin/bash', ['-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, LABGEN_ROOT: root } });
  assert.equal(r.status, 0, r.stderr);
  const s = parseGuestOutput(r.stdout, b);
  assert.deepEqual(s.map((x) => x.name), ['journal-kubelet.txt', 'journal-containerd.txt', 'ip-addr.txt', 'ip-route.txt', 'bridge-fdb.txt', 'labgen/kubeadm-init.log']);
  assert.ok(s.every((x) => x.complete));
  assert.match(s[0]!.text, /^journalctl -u kubelet --no-pager -o short-iso -n 10000\n/);
  assert.match(s[2]!.text, /^ip -d addr\nLABGEN-LOGS-b+ END ip-addr.txt 0\n$/, 'another boundary does not end a section');
  assert.deepEqual([s[4]!.exitCode, s[4]!.text], [3, 'no bridge here\n']);
  assert.match(s[5]!.text, /^log of .*kubeadm-init\.log\n$/);

  const B = `LABGEN-LOGS-${b}`;
  const cut = parseGuestOutput(`motd\n${B} BEGIN a.txt\none\n\n${B} END a.txt 0\n${B} BEGIN ../../etc/x\nbad\n${B} END ../../etc/x 0\n${B} BEGIN b.txt\npartial`, b);
  assert.deepEqual(cut, [{ name: 'a.txt', text: 'one\n', exitCode: 0, complete: true }, { name: 'b.txt', text: 'partial\n', exitCode: undefined, complete: false }]);
});
