// Golden output: every shipped lab (and the --cni calico / --provider libvirt variants) renders exactly the committed
// files under test/fixtures/golden/. This test never regenerates them: `npm run golden` does, for review.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateSecrets } from '../../src/render/secrets.js';
import { GOLDEN_DIR, goldenCases, readGolden, readTree, referencedShared, renderGolden, SHARED_DIR, SHARED_LISTING } from '../helpers/golden.js';
import { renderInMemory } from '../helpers/render.js';

const HINT = 'if the change is intended, run `npm run golden` and review `git diff test/fixtures/golden`';

/** The first differing line of two texts, for a short, readable failure. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `first difference at line ${i + 1}:\n  golden:   ${JSON.stringify(e[i] ?? '<end of file>')}\n  rendered: ${JSON.stringify(a[i] ?? '<end of file>')}`;
  }
  return 'files differ only in line endings';
}

const cases = goldenCases();

describe('golden output', () => {
  it('has a golden directory for every case and no stale ones', () => {
    assert.ok(existsSync(GOLDEN_DIR), `${GOLDEN_DIR} is missing; ${HINT}`);
    const onDisk = readdirSync(GOLDEN_DIR).filter((d) => d !== SHARED_DIR).sort();
    assert.deepEqual(onDisk, cases.map((c) => c.name), `golden cases differ from the shipped labs; ${HINT}`);
  });

  it('keeps one copy of what does not vary: every shared file is named by a case, and no case holds a copy of it', () => {
    const shared = readdirSync(join(GOLDEN_DIR, SHARED_DIR)).sort();
    assert.ok(shared.length > 0, 'files rendered alike by several cases are shared');
    assert.deepEqual([...referencedShared(cases.map((c) => c.name))].sort(), shared, `stale or missing shared files; ${HINT}`);
    const sharedContents = new Set(shared.map((f) => readFileSync(join(GOLDEN_DIR, SHARED_DIR, f), 'utf8')));
    for (const c of cases) {
      for (const [path, content] of readTree(join(GOLDEN_DIR, c.name))) {
        if (path !== SHARED_LISTING) assert.ok(!sharedContents.has(content), `${c.name}/${path} duplicates a shared file; ${HINT}`);
      }
    }
  });

  it('covers every shipped lab, flannel-4node --cni calico, and the libvirt variants', () => {
    const names = cases.map((c) => c.name);
    for (const n of ['flannel-4node', 'calico-4node', 'ubuntu-flannel-3node', 'libvirt-calico-vxlan', 'flannel-4node--cni-calico', 'flannel-4node--provider-libvirt', 'calico-4node--provider-libvirt', 'ubuntu-flannel-3node--provider-libvirt']) {
      assert.ok(names.includes(n), `missing golden case ${n}`);
    }
  });

  for (const c of cases) {
    it(`${c.name} renders exactly its golden files`, () => {
      const dir = join(GOLDEN_DIR, c.name);
      assert.ok(existsSync(dir), `${dir} is missing; ${HINT}`);
      const golden = readGolden(c.name);
      const rendered = renderGolden(c);
      const missing = [...rendered.keys()].filter((p) => !golden.has(p));
      const extra = [...golden.keys()].filter((p) => !rendered.has(p));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${c.name}: file lists differ (missing: rendered but not in golden; extra: in golden but no longer rendered); ${HINT}`);
      for (const [path, content] of rendered) {
        const want = golden.get(path)!;
        if (want !== content) assert.fail(`${c.name}/${path} differs from ${join(dir, path)}\n${firstDifference(want, content)}\n${HINT}`);
      }
    });
  }

  it('depends on nothing random: two renders with different secrets give the same non-secret files, which contain no secret', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    const ra = renderInMemory('flannel-4node', {}, undefined, a);
    const rb = renderInMemory('flannel-4node', {}, undefined, b);
    const publicA = ra.files.filter((f) => !f.secret);
    const publicB = rb.files.filter((f) => !f.secret);
    assert.deepEqual(publicA, publicB);
    for (const f of publicA) {
      for (const s of [a.bootstrapToken, a.bootstrapToken.split('.')[1]!, a.caKeyPem.split('\n')[1]!]) {
        assert.ok(!f.content.includes(s), `${f.path} contains secret material`);
      }
    }
    // Secret files are exactly the secrets/ directory.
    assert.deepEqual(ra.files.filter((f) => f.secret).map((f) => f.path), ['secrets/bootstrap-token', 'secrets/ca-cert-hash', 'secrets/ca.key']);
  });
});
