// Issue 13: a plugin owns everything about itself. No provider, OS family or CNI name may appear in code under src/
// outside that plugin's own folder, except on its registry line in src/registries.ts. Comments count: knowledge in
// a comment is knowledge the core carries. Names of shipped labs (labs/*.yaml) are references to labs, not plugins.
// A plugin's templates live in its folder too (src/<kind>/<name>/templates/, the conformance fakes' in
// test/conformance/plugins/<name>/templates/): none in labgen's shared templates/, and none names another plugin.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { defaultRegistries } from '../../src/registries.js';
import { ROOT } from '../helpers/paths.js';
import { testcni } from './plugins/testcni/index.js';
import { testos } from './plugins/testos/index.js';
import { testprov } from './plugins/testprov/index.js';

/** Every registered plugin with its folder and the registry line that may name it. */
function registered(): { name: string; folder: string; registryLine: RegExp }[] {
  const reg = defaultRegistries();
  const kinds: [string, { name: string }[]][] = [['cni', reg.cni.all()], ['os', reg.os.all()], ['providers', reg.providers.all()]];
  return kinds.flatMap(([dir, items]) => items.map((p) => ({ name: p.name, folder: `src/${dir}/${p.name}/`, registryLine: new RegExp(`^\\s*${dir}: \\[`) })));
}

/**
 * The few places a name is allowed outside its folder, each a fact that belongs to another plugin. Every entry must
 * still match (a stale allowance fails), so this list cannot silently grow stale.
 */
const ALLOWED: { file: RegExp; name: string; text: string; why: string }[] = [
  // A box is published per Vagrant provider (its metadata names them): the (family, provider) table is the family's.
  { file: /^src\/os\/[^/]+\/boxes\.ts$/, name: '*provider*', text: '', why: 'an OS family lists its boxes by the Vagrant provider they are published for' },
  { file: /^src\/os\/ubuntu\/boxes\.ts$/, name: 'debian', text: 'ID_LIKE=debian', why: "Ubuntu's own /etc/os-release says so (Vagrant's guest detection reads it)" },
];

function walk(dir: string, keep = (p: string) => p.endsWith('.ts')): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

const rel = (abs: string) => relative(ROOT, abs).split(sep).join('/');
const nameRe = (n: string) => new RegExp(`(?<![A-Za-z0-9_])${n}(?![A-Za-z0-9_])`, 'i');

test('no plugin name appears in src/ outside its own folder (except its registry line)', () => {
  const plugins = registered();
  const providers = new Set(defaultRegistries().providers.names());
  const labNames = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
  assert.ok(labNames.length > 0 && plugins.length >= 7, 'the scan sees the shipped labs and every plugin');
  const findings: string[] = [];
  const used = new Set<number>();
  let scanned = 0;
  for (const abs of walk(join(ROOT, 'src'))) {
    const file = relative(ROOT, abs).split('\\').join('/');
    scanned++;
    readFileSync(abs, 'utf8').split('\n').forEach((raw, i) => {
      let line = raw;
      for (const lab of labNames) line = line.split(lab).join('');
      for (const p of plugins) {
        if (file.startsWith(p.folder)) continue;
        if (file === 'src/registries.ts' && p.registryLine.test(line)) continue;
        if (!new RegExp(`(?<![A-Za-z0-9_])${p.name}(?![A-Za-z0-9_])`, 'i').test(line)) continue;
        const allowed = ALLOWED.findIndex((a) => a.file.test(file) && (a.name === p.name || (a.name === '*provider*' && providers.has(p.name))) && line.includes(a.text));
        if (allowed >= 0) { used.add(allowed); continue; }
        findings.push(`${file}:${i + 1}: "${p.name}" outside ${p.folder}: ${raw.trim().slice(0, 160)}`);
      }
    });
  }
  assert.ok(scanned > 50, `scanned ${scanned} files under src/`);
  assert.deepEqual(findings, [], `plugin names outside their folders (move the knowledge into the plugin):\n${findings.join('\n')}`);
  const stale = ALLOWED.filter((_, i) => !used.has(i)).map((a) => `${a.file} ${a.name} ${a.text}: ${a.why}`);
  assert.deepEqual(stale, [], 'every allowance still matches something');
});

test('the scan finds a plugin name planted outside its folder', () => {
  // The scan's own matcher, on lines a regression would add.
  const re = (n: string) => new RegExp(`(?<![A-Za-z0-9_])${n}(?![A-Za-z0-9_])`, 'i');
  assert.ok(re('libvirt').test("if (d.provider === 'libvirt') {"));
  assert.ok(re('el').test("os.family === 'el'"));
  assert.ok(re('virtualbox').test('// VirtualBox NAT'));
  assert.ok(!re('el').test('const label = model.level;'));
  assert.ok(!re('calico').test('calicoCrdManifest'), 'identifiers that only contain a name are the plugin\'s own exports, imported by name');
});

/** Every plugin with a templates folder, shipped and the conformance fakes, with the folder it must be. */
function templateOwners(): { name: string; dir: string | undefined; folder: string }[] {
  const reg = defaultRegistries();
  const kinds: [string, { name: string; templatesDir?: string }[]][] = [['cni', reg.cni.all()], ['os', reg.os.all()], ['providers', reg.providers.all()]];
  return [
    ...kinds.flatMap(([dir, items]) => items.map((p) => ({ name: p.name, dir: p.templatesDir, folder: `src/${dir}/${p.name}/templates` }))),
    ...[testprov, testos, testcni].map((p) => ({ name: p.name, dir: p.templatesDir, folder: `test/conformance/plugins/${p.name}/templates` })),
  ];
}

/**
 * Template lines that name a plugin outside that plugin's folder, kept because they are rendered into every lab
 * (changing them changes the golden fixtures). Each must still match, as ALLOWED above.
 */
const TEMPLATE_ALLOWED: { file: string; name: string; text: string; why: string }[] = [];

test('every plugin template lives in its plugin\'s own folder, none in labgen\'s shared templates/', () => {
  const owners = templateOwners();
  assert.ok(owners.length >= 10, 'the shipped plugins and the three fakes');
  for (const o of owners) {
    assert.equal(o.dir && rel(o.dir), o.folder, `${o.name} declares its templates beside its code (templatesDir: templatesBeside(import.meta.url))`);
    assert.ok(readdirSync(o.dir!).some((f) => f.endsWith('.hbs')), `${o.folder} holds ${o.name}'s templates`);
  }
  // No kind folder and no plugin-named path left in the shared templates.
  const shared = walk(join(ROOT, 'templates'), () => true).map(rel);
  assert.ok(shared.includes('templates/Vagrantfile.hbs') && shared.length >= 8, `the shared templates: ${shared.join(' ')}`);
  for (const kind of ['providers', 'os', 'cni']) assert.ok(!shared.some((f) => f.startsWith(`templates/${kind}/`)), `templates/${kind}/ is gone: a plugin's templates are in its folder`);
  const misplaced = shared.flatMap((f) => owners.filter((o) => f.split('/').some((seg) => nameRe(o.name).test(seg.replace(/\.[^.]*$/, '').replace(/\.[^.]*$/, '')))).map((o) => `${f}: ${o.name}'s template outside ${o.folder}`));
  assert.deepEqual(misplaced, []);
  // Every template under src/ is inside a registered plugin's templates folder.
  const stray = walk(join(ROOT, 'src'), (p) => p.endsWith('.hbs')).map(rel).filter((f) => !owners.some((o) => f.startsWith(`${o.folder}/`)));
  assert.deepEqual(stray, [], 'templates under src/ outside a plugin\'s templates folder');
});

test('no template names a plugin other than the one whose folder holds it', () => {
  const owners = templateOwners();
  const labNames = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
  const folders = [{ owner: undefined as string | undefined, dir: join(ROOT, 'templates') }, ...owners.map((o) => ({ owner: o.name, dir: o.dir! }))];
  const findings: string[] = [];
  const used = new Set<number>();
  let scanned = 0;
  for (const { owner, dir } of folders) {
    for (const abs of walk(dir, () => true)) {
      const file = rel(abs);
      scanned++;
      readFileSync(abs, 'utf8').split('\n').forEach((raw, i) => {
        let line = raw;
        for (const lab of labNames) line = line.split(lab).join('');
        for (const o of owners) {
          if (o.name === owner || !nameRe(o.name).test(line)) continue;
          const allowed = TEMPLATE_ALLOWED.findIndex((a) => a.file === file && a.name === o.name && line.includes(a.text));
          if (allowed >= 0) { used.add(allowed); continue; }
          findings.push(`${file}:${i + 1}: "${o.name}" outside ${o.folder}: ${raw.trim().slice(0, 160)}`);
        }
      });
    }
  }
  assert.ok(scanned >= 20, `scanned ${scanned} template files`);
  assert.deepEqual(findings, [], `plugin names in templates outside their plugin's folder (move the knowledge into the plugin):\n${findings.join('\n')}`);
  const stale = TEMPLATE_ALLOWED.filter((_, i) => !used.has(i)).map((a) => `${a.file} ${a.name} ${a.text}: ${a.why}`);
  assert.deepEqual(stale, [], 'every allowance still matches something');
});
