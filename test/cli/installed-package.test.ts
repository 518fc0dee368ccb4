// The package as npm installs it: `npm pack`'s tarball (package.json "files"), unpacked, runs its bin and renders
// every shipped lab exactly as the source tree does. Each plugin's templates live beside its code
// (src/<kind>/<name>/templates/) and are read from there at run time, so a tarball without them fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { defaultRegistries } from '../../src/registries.js';
import { run } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';

/** Every file under dir, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}

/** What differs between two renders of one lab by design: fresh secrets, the README's and manifest's command path. */
const PER_RUN = (f: string) => f.startsWith('secrets/') || f === 'README.md' || f === '.labgen/manifest.json';

describe('the installed package', () => {
  it('ships every plugin\'s templates, and its bin renders every shipped lab as the source tree does', (t) => {
    if (!requireTool(t, 'tar')) return;
    const work = tempDir('labgen-pack-');
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT });
    assert.equal(packed.code, 0, packed.output);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = new Set(info!.files.map((f) => f.path));
    const reg = defaultRegistries();
    const owners = [...reg.cni.all(), ...reg.os.all(), ...reg.providers.all()];
    for (const p of owners) {
      const dir = relative(ROOT, p.templatesDir!).split('\\').join('/');
      const own = files(p.templatesDir!);
      assert.ok(own.length > 0, `${dir} holds ${p.name}'s templates`);
      for (const f of own) assert.ok(shipped.has(`${dir}/${f}`), `the tarball ships ${dir}/${f} (package.json "files")`);
    }
    for (const f of files(join(ROOT, 'templates'))) assert.ok(shipped.has(`templates/${f}`), `the tarball ships templates/${f}`);

    // Installed: the tarball unpacked, its dependencies where npm would put them (no registry needed).
    const x = run('tar', ['-xzf', join(work, info!.filename), '-C', work]);
    assert.equal(x.code, 0, x.output);
    const pkg = join(work, 'package');
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const labs = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
    const covered = new Set<string>();
    for (const lab of labs) {
      const fromPkg = join(work, 'out', 'pkg', lab);
      const fromTree = join(work, 'out', 'tree', lab);
      const a = run(process.execPath, [join(pkg, 'bin', 'labgen.js'), 'render', lab, '--out', fromPkg], { cwd: work });
      assert.equal(a.code, 0, `installed labgen render ${lab}:\n${a.output}`);
      const b = run(process.execPath, [join(ROOT, 'bin', 'labgen.js'), 'render', lab, '--out', fromTree], { cwd: work });
      assert.equal(b.code, 0, `source tree labgen render ${lab}:\n${b.output}`);
      assert.deepEqual(files(fromPkg), files(fromTree), `${lab}: the same files`);
      for (const f of files(fromTree).filter((f) => !PER_RUN(f))) assert.equal(readFileSync(join(fromPkg, f), 'utf8'), readFileSync(join(fromTree, f), 'utf8'), `${lab}: ${f}`);
      const { lab: resolved } = JSON.parse(readFileSync(join(fromPkg, 'labgen.json'), 'utf8')) as { lab: { os: { family: string }; provider: { name: string }; cni: { plugin: string } } };
      for (const n of [resolved.os.family, resolved.provider.name, resolved.cni.plugin]) covered.add(n);
    }
    assert.deepEqual(owners.map((p) => p.name).filter((n) => !covered.has(n)), [], 'the shipped labs render every shipped plugin\'s templates');
  });
});
