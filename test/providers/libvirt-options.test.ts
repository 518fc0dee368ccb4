// provider.libvirt's options for a remote or emulated host (driver, cpuMode/cpuModel, kernel/initrd/cmdLine,
// storagePoolPath, bootTimeout): validated strictly, placed as Ruby literals, read back from the Vagrantfile by real
// Ruby, and accepted by vagrant-libvirt's own `vagrant validate`.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { run, vagrantEnv } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';
import { renderToTemp, tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { evalVagrantfile, setting } from '../helpers/vagrantfile.js';

/** The options the real-VM test sets: QEMU emulation with direct kernel boot from host files, as the recipe did. */
export const EMULATED = {
  driver: 'qemu', cpuMode: 'custom', cpuModel: 'qemu64',
  kernel: '/srv/labgen-vm/boot/vmlinuz-6.1.0-28-amd64', initrd: '/srv/labgen-vm/boot/initrd.img-6.1.0-28-amd64',
  cmdLine: 'console=ttyS0 root=/dev/vda rw net.ifnames=0', storagePoolPath: '/srv/labgen-vm/pool', bootTimeout: 900,
};

function lab(libvirt: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'emulated', os: { family: 'debian' }, provider: { name: 'libvirt', libvirt },
    network: { hostOnly: { cidr: '10.0.0.0/24', hostAddress: '10.0.0.254' } }, kubernetes: { version: '1.35' },
    cni: { plugin: 'flannel', interface: 'auto' },
    nodes: [{ name: 'master', hostname: 'master.lab.com', role: 'control-plane', ip: '10.0.0.1' }, { name: 'worker1', hostname: 'worker1.lab.com', role: 'worker', ip: '10.0.0.2' }],
  };
}
function labFile(libvirt: Record<string, unknown>): string {
  const f = join(tempDir('labgen-lv-'), 'emulated.yaml');
  writeFileSync(f, stringify(lab(libvirt)));
  return f;
}
const problems = (libvirt: Record<string, unknown>) => parseLab(stringify(lab(libvirt)), defaultRegistries()).problems;

describe('provider.libvirt options for emulated and remote hosts', () => {
  it('are valid together and reach the Vagrantfile as the values vagrant-libvirt reads', (t) => {
    assert.deepEqual(problems(EMULATED), []);
    if (!requireTool(t, 'ruby')) return;
    const { dir } = renderToTemp(labFile(EMULATED));
    const calls = evalVagrantfile(dir);
    const lv = 'vm.provider(libvirt)';
    assert.equal(setting(calls, `${lv}.driver`), 'qemu');
    assert.equal(setting(calls, `${lv}.cpu_mode`), 'custom');
    assert.equal(setting(calls, `${lv}.cpu_model`), 'qemu64');
    assert.equal(setting(calls, `${lv}.kernel`), EMULATED.kernel);
    assert.equal(setting(calls, `${lv}.initrd`), EMULATED.initrd);
    assert.equal(setting(calls, `${lv}.cmd_line`), EMULATED.cmdLine);
    assert.equal(setting(calls, `${lv}.storage_pool_path`), EMULATED.storagePoolPath);
    // The lab's boot timeout is set after labgen's default 600, so it is the one Vagrant keeps.
    const timeouts = calls.filter((c) => c.path === 'vm.boot_timeout').map((c) => c.set);
    assert.deepEqual(timeouts, [600, 900]);
    // The default synced folder would try NFS under libvirt: it stays disabled.
    assert.ok(calls.some((c) => c.path === 'vm.synced_folder' && c.kw?.disabled === true), JSON.stringify(calls.filter((c) => c.path.includes('synced'))));
  });

  it('unset, they leave the Vagrantfile as before (no cpu_mode, kernel, pool path or second boot_timeout)', (t) => {
    if (!requireTool(t, 'ruby')) return;
    const { dir } = renderToTemp(join(ROOT, 'labs', 'debian-flannel-2node.yaml'));
    const calls = evalVagrantfile(dir);
    for (const k of ['cpu_mode', 'cpu_model', 'kernel', 'initrd', 'cmd_line', 'storage_pool_path']) assert.equal(setting(calls, `vm.provider(libvirt).${k}`), undefined, k);
    assert.deepEqual(calls.filter((c) => c.path === 'vm.boot_timeout').map((c) => c.set), [600]);
  });

  it('pass vagrant-libvirt\'s own validation (VAGRANT_DEFAULT_PROVIDER=libvirt vagrant validate)', (t) => {
    if (!requireTool(t, 'vagrant')) return;
    const { dir } = renderToTemp(labFile(EMULATED));
    const r = run('vagrant', ['validate'], { cwd: dir, env: vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: 'libvirt' }) });
    assert.equal(r.code, 0, r.output);
    assert.doesNotMatch(r.output, /Ignoring provider config/);
  });

  it('cross-field rules: a CPU model needs cpuMode custom; initrd and cmdLine need a kernel; a pool path only for the default pool; no . or ..', () => {
    const at = (ps: { path: string }[]) => ps.map((p) => p.path).sort();
    assert.deepEqual(at(problems({ cpuModel: 'qemu64' })), ['provider.libvirt.cpuModel']);
    assert.match(problems({ cpuMode: 'host-passthrough', cpuModel: 'qemu64' })[0]!.fix!, /set cpuMode: custom/);
    assert.deepEqual(at(problems({ initrd: '/boot/initrd.img', cmdLine: 'console=ttyS0' })), ['provider.libvirt.cmdLine', 'provider.libvirt.initrd']);
    assert.deepEqual(at(problems({ storagePool: 'fast', storagePoolPath: '/srv/pool' })), ['provider.libvirt.storagePoolPath']);
    assert.deepEqual(at(problems({ kernel: '/srv/../etc/vmlinuz' })), ['provider.libvirt.kernel']);
    assert.deepEqual(at(problems({ storagePoolPath: '/srv/./pool' })), ['provider.libvirt.storagePoolPath']);
  });

  const marker = join(tempDir('labgen-pwn-'), 'pwned');
  const HOSTILE: Record<string, string[]> = {
    kernel: ['vmlinuz', 'relative/vmlinuz', `/boot/vm'linuz`, '/boot/vm"linuz', '/boot/vm linuz', '/boot/a\nb', '/boot/<x>', `/boot/$(touch ${marker})`, '/boot/#{x}', '/boot/a\\b', '/boot/a&b', ''],
    initrd: ['initrd.img', `/boot/i'rd`, '/boot/i\nrd'],
    storagePoolPath: ['pool', `/srv/p'ool`, '/srv/p;ool'],
    cmdLine: [`console=ttyS0 '`, 'root="/dev/vda"', 'a\nb', 'a  b', ' a', 'a<b', 'a&b', `$(touch ${marker})`, '#{x}', ''],
    cpuModel: [`qemu'64`, 'qemu 64', 'qemu\n64', ''],
  };
  for (const [field, values] of Object.entries(HOSTILE)) {
    it(`${field}: hostile values are rejected naming the field`, () => {
      for (const v of values) {
        const base: Record<string, unknown> = field === 'cpuModel' ? { cpuMode: 'custom' } : field === 'initrd' || field === 'cmdLine' ? { kernel: '/boot/vmlinuz' } : {};
        const ps = problems({ ...base, [field]: v });
        assert.ok(ps.some((p) => p.path === `provider.libvirt.${field}`), `${JSON.stringify(v)} was not rejected: ${JSON.stringify(ps)}`);
      }
      assert.equal(existsSync(marker), false);
    });
  }
  it('bootTimeout and driver are bounded', () => {
    for (const v of [0, 29, 7201, 1.5, '600']) assert.ok(problems({ bootTimeout: v }).some((p) => p.path === 'provider.libvirt.bootTimeout'), String(v));
    assert.ok(problems({ driver: 'xen' }).some((p) => p.path === 'provider.libvirt.driver'));
    assert.ok(problems({ cpuMode: 'host' }).some((p) => p.path === 'provider.libvirt.cpuMode'));
  });
});
