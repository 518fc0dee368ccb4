// Issue 13's conformance suite: every registered CNI plugin, OS family and provider, plus fake ones registered here
// only (a fourth provider, a fourth OS family, a third CNI plugin, each one folder under test/conformance/plugins/
// with its templates beside its code, registered through registriesOf: src/registries.ts is not edited), goes through the same paths: validate, render (real `vagrant validate`, shellcheck), doctor, create and
// verify against the fakes in test/fakes. A missing vagrant or shellcheck skips here and fails under CI=true.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { defaultRegistries, registriesOf, type Registries } from '../../src/registries.js';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { run, vagrantEnv } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { testcni } from './plugins/testcni/index.js';
import { testos } from './plugins/testos/index.js';
import { testprov } from './plugins/testprov/index.js';

const shipped = defaultRegistries();

/** The shipped plugins and the fakes, registered by this test only. */
const reg: Registries = registriesOf({
  cni: [...shipped.cni.all(), testcni],
  os: [...shipped.os.all(), testos],
  providers: [...shipped.providers.all(), testprov],
});

/** The recorded captures verify is served for a plugin's wire (test/fixtures/pcap). */
function capturesFor(cni: string): string {
  const e = reg.cni.require(cni).encapsulation(reg.cni.require(cni).resolveOptions(undefined));
  const mode = e.kind === 'vxlan' && e.udpPort === 8472 ? 'flannel-vxlan' : e.kind === 'ipip' ? 'calico-ipip' : e.kind === 'vxlan' ? 'calico-vxlan' : 'calico-routed';
  return join(ROOT, 'test', 'fixtures', 'pcap', mode);
}

interface Row { family: string; provider: string; cni: string }
const DEFAULT = { family: 'testos', provider: reg.providers.first().name, cni: reg.cni.first().name };
const rows: Row[] = [];
const add = (r: Row) => { if (!rows.some((x) => x.family === r.family && x.provider === r.provider && x.cni === r.cni)) rows.push(r); };
for (const cni of reg.cni.names()) add({ ...DEFAULT, cni });
for (const family of reg.os.names()) add({ ...DEFAULT, family });
for (const provider of reg.providers.names()) add({ ...DEFAULT, provider });

/** A four-node lab (verify's fakes serve pods on worker1..3) of one (family, provider, CNI). */
function labFile(r: Row, extra = ''): string {
  const dir = tempDir('labgen-conformance-');
  const file = join(dir, 'lab.yaml');
  const name = `c-${r.family}-${r.provider}-${r.cni}`.slice(0, 40);
  writeFileSync(file, `name: ${name}
os: { family: ${r.family} }
provider: { name: ${r.provider} }
network: { hostOnly: { cidr: 10.0.0.0/24, hostAddress: 10.0.0.254 } }
kubernetes: { version: "1.35" }
cni: { plugin: ${r.cni}, interface: auto }
nodes:
  - { name: master,  hostname: master.lab.com,  role: control-plane, ip: 10.0.0.1 }
  - { name: worker1, hostname: worker1.lab.com, role: worker, ip: 10.0.0.2 }
  - { name: worker2, hostname: worker2.lab.com, role: worker, ip: 10.0.0.3 }
  - { name: worker3, hostname: worker3.lab.com, role: worker, ip: 10.0.0.4 }
${extra}`);
  return file;
}

function cliContext(env: NodeJS.ProcessEnv): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { reg, output: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, extraRenderers: [], env }, out, err };
}

/** Every shell script of a rendered lab. */
function scripts(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(join(dir, d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.sh') ? [join(d, e.name)] : []));
  return walk('.');
}

describe('conformance: every registered plugin and the test-only fakes through validate, render, doctor, create, verify', () => {
  it('the table covers every plugin of every registry, the fakes included', () => {
    for (const n of reg.cni.names()) assert.ok(rows.some((r) => r.cni === n), n);
    for (const n of reg.os.names()) assert.ok(rows.some((r) => r.family === n), n);
    for (const n of reg.providers.names()) assert.ok(rows.some((r) => r.provider === n), n);
    assert.ok(['testcni', 'testos', 'testprov'].every((n) => !shipped.cni.get(n) && !shipped.os.get(n) && !shipped.providers.get(n)), 'the fakes are not shipped');
  });

  it('the fakes bring their own templates from their own folders, as the shipped plugins do', async () => {
    for (const [dir, p] of [['testprov', testprov], ['testos', testos], ['testcni', testcni]] as const) {
      assert.equal(relative(ROOT, p.templatesDir!).split('\\').join('/'), `test/conformance/plugins/${dir}/templates`, `${dir} declares the folder beside its code`);
      assert.ok(readdirSync(p.templatesDir!).some((f) => f.endsWith('.hbs')), `${dir} has templates there`);
    }
    for (const [kind, all] of [['cni', shipped.cni.all()], ['os', shipped.os.all()], ['providers', shipped.providers.all()]] as const) {
      for (const p of all) assert.equal(relative(ROOT, p.templatesDir!).split('\\').join('/'), `src/${kind}/${p.name}/templates`, `${p.name} declares the folder beside its code`);
    }
    const r: Row = { family: 'testos', provider: 'testprov', cni: 'testcni' };
    const out = join(tempDir('labgen-conformance-'), 'lab');
    const rd = cliContext(process.env);
    assert.equal(await main(['render', labFile(r), '--out', out], rd.ctx), 0, rd.err.join('\n'));
    // Each file is what the fake's own template says, with the lab's values placed.
    assert.equal(readFileSync(join(out, 'cni/testcni.conf'), 'utf8'), 'network=10.244.0.0/16\n');
    assert.equal(readFileSync(join(out, 'cni/install.sh'), 'utf8'), readFileSync(join(testcni.templatesDir!, 'install.sh.hbs'), 'utf8'));
    assert.equal(readFileSync(join(out, 'provision/base.sh'), 'utf8'), readFileSync(join(testos.templatesDir, 'base.sh.hbs'), 'utf8'));
    assert.match(readFileSync(join(out, 'provision/base.sh'), 'utf8'), /^labgen_step testos-motd$/m);
    assert.match(readFileSync(join(out, 'Vagrantfile'), 'utf8'), /^ {6}# testprov's own part of a machine \(colour red\)/m);
    // Nothing of theirs is in labgen's shared templates.
    const shared = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? shared(join(d, e.name)) : [join(d, e.name)]));
    for (const f of shared(join(ROOT, 'templates'))) assert.doesNotMatch(`${relative(ROOT, f)}\n${readFileSync(f, 'utf8')}`, /test(prov|os|cni)/, f);
  });

  for (const r of rows) {
    const title = `${r.family} / ${r.provider} / ${r.cni}`;
    it(`${title}: validate, render (vagrant validate, shellcheck), doctor, create, verify`, async (t) => {
      const file = labFile(r);
      // validate
      const v = cliContext(process.env);
      assert.equal(await main(['validate', file], v.ctx), 0, v.err.join('\n'));
      // render, then the real tools on what was written
      const rendered = join(tempDir('labgen-conformance-'), 'lab');
      const rd = cliContext(process.env);
      assert.equal(await main(['render', file, '--out', rendered], rd.ctx), 0, rd.err.join('\n'));
      const sh = scripts(rendered);
      assert.ok(sh.includes(join('.', 'provision', 'base.sh')) || sh.some((s) => s.endsWith('base.sh')), `scripts: ${sh.join(' ')}`);
      assert.ok(sh.some((s) => s.endsWith(join('cni', 'install.sh'))), 'the CNI\'s install script is rendered');
      if (requireTool(t, 'shellcheck')) {
        const sc = run('shellcheck', ['-x', ...sh], { cwd: rendered });
        assert.equal(sc.code, 0, `shellcheck:\n${sc.output}`);
      }
      if (requireTool(t, 'vagrant')) {
        const vv = run('vagrant', ['validate', '--ignore-provider'], { cwd: rendered, env: vagrantEnv() });
        assert.equal(vv.code, 0, `vagrant validate:\n${vv.output}`);
      }
      // doctor and create against the fake host (fake vagrant, kubectl, VBoxManage, virsh, ip alone on PATH)
      const h = fakeHost();
      const box = reg.os.require(r.family).boxes[r.provider]!;
      const boxes = JSON.stringify([{ name: box.box, provider: r.provider, version: box.version ?? '1.0.0' }]);
      const env = { FAKE_VAGRANT_BOXES: boxes };
      const d = await runLabgen(h, ['doctor', file, '--json'], { env, ctx: { reg } });
      assert.equal(d.code, 0, d.err || d.out);
      const doc = JSON.parse(d.out) as { provider: string; ok: boolean; checks: { name: string; status: string }[] };
      assert.equal(doc.provider, r.provider);
      assert.ok(doc.checks.some((c) => c.name === 'box' && c.status === 'pass'), 'the family\'s box for the provider is found');
      if (r.provider === 'testprov') assert.ok(doc.checks.some((c) => c.name === 'testprov'), 'the fake provider\'s own checks run');
      const dir = join(h.work, 'lab');
      const c = await runLabgen(h, ['create', file, '--out', dir, '--poll-interval=50ms'], { env, ctx: { reg } });
      assert.equal(c.code, 0, `${c.out}\n${c.err}`);
      assert.ok(h.calls().some((l) => l.startsWith('vagrant up ') && l.includes(`--provider=${reg.providers.require(r.provider).vagrantName}`)), `vagrant up --provider=${r.provider}: ${h.calls().join('\n')}`);
      assert.ok(existsSync(join(dir, 'kubeconfig')), 'create wrote the kubeconfig');
      // verify against the verify fakes, served the captures of the plugin's wire
      const state = join(h.root, 'verify-state');
      mkdirSync(state);
      const fakes = join(ROOT, 'test', 'fakes', 'verify');
      const vf = cliContext({ PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: state, FAKE_CAPTURES: capturesFor(r.cni) });
      const code = await main(['verify', dir, '--json'], vf.ctx);
      assert.equal(code, 0, vf.err.join('\n'));
      const report = JSON.parse(vf.out.join('\n')) as { ok: boolean; verdict: { points: { point: string; ok: boolean }[] } };
      assert.equal(report.ok, true);
      assert.deepEqual(report.verdict.points.map((p) => [p.point, p.ok]), [['A', true], ['B', true], ['C', true], ['D', true]]);
    });
  }

  it('a (family, provider) pair without a box is a validation problem with the fix, not a stack trace', async () => {
    const v = cliContext(process.env);
    assert.equal(await main(['validate', labFile({ family: 'el', provider: 'testprov', cni: 'flannel' })], v.ctx), 2);
    const text = v.err.join('\n');
    assert.match(text, /os\.box.*the el family has no default box for the testprov provider/);
    assert.match(text, /fix: set os\.box to a testprov box of el/);
    assert.doesNotMatch(text, /\bat .*\.js:\d+/);
  });

  it('the fakes\' own options, rules, reserved ranges and --provider adoption take effect through the core', async () => {
    const bad = cliContext(process.env);
    assert.equal(await main(['validate', labFile({ ...DEFAULT, provider: 'testprov' }).replace(/$/, ''), '--provider', 'testprov'], bad.ctx), 0, bad.err.join('\n'));
    const blue = cliContext(process.env);
    const f = labFile({ ...DEFAULT, provider: 'testprov' });
    writeFileSync(f, `${(await import('node:fs')).readFileSync(f, 'utf8').replace('provider: { name: testprov }', 'provider: { name: testprov, testprov: { colour: blue } }').replace('cni: {', 'os2: x\ncni: {').replace('os2: x\n', '').replace('kubernetes: { version: "1.35" }', 'kubernetes: { version: "1.35", podCidr: 172.30.0.0/16 }')}`);
    assert.equal(await main(['validate', f], blue.ctx), 2);
    const text = blue.err.join('\n');
    assert.match(text, /provider\.testprov\.colour.*blue is refused by testprov/);
    assert.match(text, /kubernetes\.podCidr.*overlaps testprov's own range 172\.30\.0\.0\/16/);
    const switched = cliContext(process.env);
    assert.equal(await main(['render', labFile({ ...DEFAULT, provider: reg.providers.first().name }), '--provider', 'testprov', '--out', join(tempDir('labgen-conformance-'), 'lab')], switched.ctx), 0, switched.err.join('\n'));
    assert.match([...switched.out, ...switched.err].join('\n'), /testprov adopted the lab/);
  });
});
