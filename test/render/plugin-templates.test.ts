// The engine reads a plugin's templates from the folder the plugin declares, by names relative to it, and never
// outside it; templatesBeside maps a compiled module (dist/...) back to its folder in the source tree.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/render/engine.js';
import { templatesBeside } from '../../src/render/templates-dir.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';

describe('plugin templates', () => {
  it('a plugin names its templates relative to its own folder; the shared ones stay in templates/', () => {
    const dir = join(tempDir('labgen-tpl-'), 'templates');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'hello.txt.hbs'), 'hello {{sh who}}\n');
    const engine = createEngine();
    assert.equal(engine.plugin({ name: 'p', templatesDir: dir })('sub/hello.txt.hbs', { who: 'a b' }), "hello 'a b'\n");
    assert.match(engine.shared('verify/service.yaml.hbs', { name: 'svc-x', port: 80, targetPort: 8080 }), /svc-x/);
  });

  it('a name cannot leave its folder, and a plugin without a templates folder is told so', () => {
    const engine = createEngine();
    const own = join(ROOT, 'src', 'render');
    assert.throws(() => engine.plugin({ name: 'p', templatesDir: own })('../../templates/Vagrantfile.hbs', {}), /template "\.\.\/\.\.\/templates\/Vagrantfile\.hbs" of p is outside its folder/);
    assert.throws(() => engine.plugin({ name: 'p', templatesDir: own })('/etc/passwd', {}), /of p is outside its folder/);
    assert.throws(() => engine.shared('../package.json', {}), /of labgen is outside its folder/);
    assert.throws(() => engine.plugin({ name: 'q' })('x.hbs', {}), /q has no templates folder \(templatesDir\) for template "x\.hbs"/);
  });

  it('templatesBeside finds the source folder of a module compiled under dist/, and a module elsewhere its own folder', () => {
    assert.equal(templatesBeside(pathToFileURL(join(ROOT, 'dist', 'src', 'cni', 'x', 'index.js')).href), join(ROOT, 'src', 'cni', 'x', 'templates'));
    assert.equal(templatesBeside(pathToFileURL(join(ROOT, 'src', 'cni', 'x', 'index.ts')).href), join(ROOT, 'src', 'cni', 'x', 'templates'));
    assert.equal(templatesBeside(pathToFileURL('/opt/elsewhere/plugin/index.js').href), '/opt/elsewhere/plugin/templates');
    assert.equal(templatesBeside(import.meta.url), join(ROOT, 'test', 'render', 'templates'));
  });
});
