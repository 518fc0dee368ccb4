// apt escapes pool file names in its requests (`+` as %2b, an epoch's `%3a` as %253a) while Packages names them as
// they are: the checksum index must find both, or such files are never cached (found by the real-VM test, where
// runc, containerd and most libraries have a '+' in their version and every node fetched them again).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChecksumIndex } from '../../src/cache/checksums.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const PACKAGES = `Package: runc
Filename: pool/main/runc_1.1.15+ds1-2+deb13u1_amd64.deb
Size: 6486760
SHA256: ${SHA_A}

Package: conntrack
Filename: pool/main/conntrack_1%3a1.4.8-2_amd64.deb
Size: 71272
SHA256: ${SHA_B}
`;

test('a Packages index answers for the names apt really requests: %2b for +, %253a for an epoch', () => {
  const index = new ChecksumIndex();
  assert.equal(index.learn('http://mirror.test/debian/dists/trixie/main/binary-amd64/Packages', Buffer.from(PACKAGES)), 2);
  // What apt-get sent through the proxy in the real-VM test (URL as Node's URL parser gives it back).
  const runc = new URL('http://mirror.test/debian/pool/main/runc_1.1.15%2bds1-2%2bdeb13u1_amd64.deb').href;
  const conntrack = new URL('http://mirror.test/debian/pool/main/conntrack_1%253a1.4.8-2_amd64.deb').href;
  assert.equal(index.expected(runc)?.sha256, SHA_A);
  assert.equal(index.expected(runc)?.size, 6486760);
  assert.equal(index.expected(conntrack)?.sha256, SHA_B);
  // The unescaped forms still match, and a name the index never saw still has no checksum (so it is not cached).
  assert.equal(index.expected('http://mirror.test/debian/pool/main/runc_1.1.15+ds1-2+deb13u1_amd64.deb')?.sha256, SHA_A);
  assert.equal(index.expected('http://mirror.test/debian/pool/main/runc_1.1.16%2bds1-1_amd64.deb'), undefined);
  assert.equal(index.expected('http://mirror.test/debian/pool/main/bad%zz.deb'), undefined);
});
