// Log redaction against what really reaches a log: colour codes splitting a secret, and key material without its
// BEGIN line (a real `openssl genpkey` key), with and without Vagrant's machine prefix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { createRedactor, redactText, stripEscapes } from '../../src/vagrant/redact.js';

const C = (code: string) => `\u001b[${code}m`;

test('a bootstrap token, a literal secret and kubeconfig key data split by colour codes are still redacted', () => {
  const token = 'abcdef.0123456789abcdef';
  const lines = [
    `${C('1;32')}    master: kubeadm join --token abc${C('0')}def.0123${C('31')}456789abcdef${C('0')}`,
    `    master: ${C('33')}my-long-${C('0')}secret-value${C('0')} in the middle`,
    `    master: client-key-${C('1')}data: ${C('0')}c2VjcmV0LWtleS1kYXRh`,
    `\u009b31mworker1: token: ${token}\u009b0m`,
    '\u001b]0;title\u0007    master: plain line',
  ];
  const out = redactText(lines.join('\n'), ['my-long-secret-value']);
  assert.doesNotMatch(out, /abcdef\.0123456789abcdef|my-long-secret-value|c2VjcmV0LWtleS1kYXRh/);
  assert.doesNotMatch(out, /[\u001b\u009b]/);
  assert.equal(out.split('\n')[0], '    master: kubeadm join --token <redacted-token>');
  assert.equal(out.split('\n')[4], '    master: plain line');
  assert.equal(stripEscapes(`a${C('1;31')}b\u001b[2Jc\u001b]8;;http://x\u001b\\d`), 'abcd');
});

test('a real PEM key printed without its BEGIN line is redacted whole, the lines around it are kept', (t) => {
  let pem: string;
  try { pem = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], { encoding: 'utf8' }); } catch {
    if (process.env.CI === 'true') throw new Error('openssl is missing');
    t.skip('no openssl here'); return;
  }
  const body = pem.trim().split('\n').slice(1); // without -----BEGIN PRIVATE KEY-----, with -----END PRIVATE KEY-----
  assert.match(body.at(-1)!, /^-----END PRIVATE KEY-----$/);
  assert.ok(body.length > 20 && body[0]!.length === 64);
  const secretParts = body.slice(0, -1).filter((l) => l.length >= 8);
  for (const prefix of ['', '    master: ', `${C('32')}    worker1: `]) {
    const log = ['Installing kubeadm', 'sha256:0b7d8fa8be6d1f4ebd1e1b5d5e6e0c5e7d77f2f8ed5c0c3d5f8a3c7b2b1a0f9e', ...body.map((l) => `${prefix}${l}${prefix ? C('0') : ''}`), `${prefix}Complete!`, `${prefix}done`].join('\n');
    const out = redactText(log);
    for (const part of secretParts) assert.ok(!out.includes(part), `${JSON.stringify(prefix)}: a line of the key survived: ${part}`);
    const lines = out.split('\n');
    assert.equal(lines[0], 'Installing kubeadm');
    assert.match(lines[1]!, /^sha256:0b7d8fa8/, 'a digest is not key material');
    assert.equal(lines[2], `${stripEscapes(prefix)}<redacted key material>`, 'the block becomes one marker');
    assert.deepEqual(lines.slice(3), [`${stripEscapes(prefix)}Complete!`, `${stripEscapes(prefix)}done`]);
  }
  // The same key as one DER base64 line (as `openssl ... | base64 -w0` prints it) is key material too.
  const der = execFileSync('openssl', ['pkey', '-outform', 'DER'], { input: pem }).toString('base64');
  assert.equal(createRedactor().line(`    master: ${der}`), '    master: <redacted key material>');
});

test('ordinary log lines are kept: paths, digests, dnf output, short base64-looking words', () => {
  const keep = ['    master: /var/lib/kubelet/pods', '    master: 4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b', 'Dependencies resolved.', '    master: containerd', 'Total download size: 95 M', '    worker2: flannel.1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450'];
  assert.equal(redactText(keep.join('\n')), keep.join('\n'));
});
