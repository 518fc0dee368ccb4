// Rendered projects checked by the real tools: Debian's vagrant (and the vagrant-libvirt plugin) loads and validates
// each Vagrantfile; shellcheck -x and bash -n check every script. Missing tools skip locally and fail under CI=true.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run, vagrantEnv } from '../helpers/exec.js';
import { goldenCases } from '../helpers/golden.js';
import { labFixture } from '../helpers/paths.js';
import { renderToTemp } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';

const cases = [
  ...goldenCases().map((c) => ({ name: c.name, lab: c.lab, overrides: c.overrides })),
  // Variants the shipped labs do not cover: flannel host-gw / WireGuard + auto NIC, Calico None, Ubuntu on remote libvirt.
  ...['valid-flannel-host-gw', 'valid-flannel-wireguard-auto', 'valid-calico-none', 'valid-ubuntu-libvirt', 'valid-minimal'].map((f) => ({ name: f, lab: labFixture(f), overrides: {} })),
];

function scripts(dir: string): string[] {
  return ['provision', 'cni'].flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.sh')).map((f) => `${d}/${f}`));
}

describe('rendered projects pass the real tools', () => {
  for (const c of cases) {
    it(`${c.name}: vagrant validate --ignore-provider`, (t) => {
      if (!requireTool(t, 'vagrant')) return;
      const { dir, lab } = renderToTemp(c.lab, c.overrides);
      const r = run('vagrant', ['validate', '--ignore-provider'], { cwd: dir, env: vagrantEnv() });
      assert.equal(r.code, 0, r.output);
      assert.match(r.stdout, /Vagrantfile validated successfully/);
      for (const n of lab.nodes) assert.match(r.output, new RegExp(`${n.name}: Ignoring provider config`), 'every machine was defined');
    });

    it(`${c.name}: shellcheck -x and bash -n on every script`, (t) => {
      if (!requireTool(t, 'shellcheck')) return;
      const { dir } = renderToTemp(c.lab, c.overrides);
      const files = scripts(dir);
      for (const f of ['provision/base.sh', 'provision/control-plane.sh', 'provision/worker.sh', 'provision/lib.sh', 'provision/steps.sh', 'cni/install.sh', 'cni/node-prep.sh']) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
      const sc = run('shellcheck', ['-x', ...files], { cwd: dir });
      assert.equal(sc.code, 0, `shellcheck:\n${sc.output}`);
      for (const f of [...files, 'provision/lab.env', ...readdirSync(join(dir, 'provision/nodes')).map((n) => `provision/nodes/${n}`)]) {
        const n = run('bash', ['-n', f], { cwd: dir });
        assert.equal(n.code, 0, `bash -n ${f}: ${n.stderr}`);
      }
    });
  }

  const libvirtCases = cases.filter((c) => c.name.includes('libvirt'));
  it('has libvirt renders to check', () => assert.ok(libvirtCases.length >= 4, libvirtCases.map((c) => c.name).join(', ')));
  for (const c of libvirtCases) {
    it(`${c.name}: VAGRANT_DEFAULT_PROVIDER=libvirt vagrant validate runs vagrant-libvirt's own checks`, (t) => {
      if (!requireTool(t, 'vagrant')) return;
      const { dir } = renderToTemp(c.lab, c.overrides);
      const r = run('vagrant', ['validate'], { cwd: dir, env: vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: 'libvirt' }) });
      assert.equal(r.code, 0, r.output);
      assert.doesNotMatch(r.output, /Ignoring provider config/, 'the provider block was validated, not ignored');
      assert.match(r.stdout, /Vagrantfile validated successfully/);
    });
  }

  it('the libvirt validation is real: a misspelt libvirt option and a conflicting one are rejected', (t) => {
    if (!requireTool(t, 'vagrant')) return;
    const { dir } = renderToTemp('libvirt-calico-vxlan');
    const vf = join(dir, 'Vagrantfile');
    const good = readFileSync(vf, 'utf8');
    const env = vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: 'libvirt' });
    // 1. An option vagrant-libvirt does not have.
    writeFileSync(vf, good.replace(/^(\s*)lv\.storage_pool_name = .*$/m, (line, sp: string) => `${line}\n${sp}lv.storage_pool_nmae = 'default'`));
    let r = run('vagrant', ['validate'], { cwd: dir, env });
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /Libvirt Provider:[\s\S]*shouldn't exist: storage_pool_nmae/);
    // 2. An option vagrant-libvirt's validate() rejects by value (cpu_features need a cpu_model).
    writeFileSync(vf, good.replace(/^(\s*)lv\.memory = node\[:memory\]$/m, (line, sp: string) => `${line}\n${sp}lv.cpu_model = ''\n${sp}lv.cpu_feature name: 'vmx', policy: 'require'`));
    r = run('vagrant', ['validate'], { cwd: dir, env });
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /cannot set cpu_features with cpu_model unset/);
    // ... and the same files pass when the provider is ignored: only the libvirt run looks at them.
    r = run('vagrant', ['validate', '--ignore-provider'], { cwd: dir, env });
    assert.equal(r.code, 0, r.output);
  });

  it('a Ruby error in a Vagrantfile fails vagrant validate (the check is not a no-op)', (t) => {
    if (!requireTool(t, 'vagrant')) return;
    const { dir } = renderToTemp('flannel-4node');
    const vf = join(dir, 'Vagrantfile');
    writeFileSync(vf, readFileSync(vf, 'utf8').replace('adapter_ip: HOST_ONLY_HOST_ADDRESS', 'adapter_ip: HOST_ONLY_HOST_ADRESS'));
    const r = run('vagrant', ['validate', '--ignore-provider'], { cwd: dir, env: vagrantEnv() });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /HOST_ONLY_HOST_ADRESS/);
  });
});
