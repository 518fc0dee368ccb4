// libvirt options a user of a remote or emulated libvirt host needs: QEMU emulation, CPU model, direct kernel boot,
// the storage pool's directory and the boot timeout. Names and meanings are vagrant-libvirt 0.11.2's
// (lib/vagrant-libvirt/config.rb: driver, cpu_mode, cpu_model, kernel, initrd, cmd_line, storage_pool_path; finalize!
// sets cpu_model 'qemu64' for cpu_mode 'custom' and '' otherwise; action/handle_storage_pool.rb creates only the pool
// named 'default', at storage_pool_path). Kept apart from the URI so both can change without touching each other.
import type { Problem } from '../../errors.js';
import type { JsonSchema } from '../../lab/json-schema.js';

/**
 * An absolute host path: segments of letters, digits and `._+-` only. vagrant-libvirt writes kernel and initrd into
 * the domain XML unescaped (templates/domain.xml.erb), and labgen into Ruby: nothing here can mean anything in either.
 */
export const ABSOLUTE_PATH_PATTERN = '^(/[A-Za-z0-9._+-]+)+$';
/** A kernel command line: words of letters, digits and `._,:=/+@-` separated by single spaces; no quotes or XML. */
export const CMDLINE_PATTERN = '^[A-Za-z0-9._,:=/+@-]+( [A-Za-z0-9._,:=/+@-]+)*$';
/** libvirt's CPU modes (formatdomain "CPU model and topology"). */
export const CPU_MODES = ['host-model', 'host-passthrough', 'custom', 'maximum'] as const;

const path = (description: string): JsonSchema => ({
  type: 'string', maxLength: 1024, pattern: ABSOLUTE_PATH_PATTERN, description,
  'x-fix': 'write an absolute path on the libvirt host using letters, digits and ._+- only, e.g. /var/lib/labgen/vmlinuz',
});

/** Schema properties added to provider.libvirt. */
export const libvirtBootOptionsSchema: Record<string, JsonSchema> = {
  cpuMode: { enum: [...CPU_MODES], description: 'libvirt CPU mode (vagrant-libvirt cpu_mode; default host-model); custom with cpuModel under qemu emulation' },
  cpuModel: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'CPU model for cpuMode: custom, e.g. qemu64 (vagrant-libvirt cpu_model)', 'x-fix': 'write a libvirt CPU model name such as qemu64' },
  kernel: path('direct kernel boot: the kernel image on the libvirt host (vagrant-libvirt kernel)'),
  initrd: path('direct kernel boot: the initrd on the libvirt host (vagrant-libvirt initrd); needs kernel'),
  cmdLine: { type: 'string', maxLength: 1024, pattern: CMDLINE_PATTERN, description: 'direct kernel boot: the kernel command line (vagrant-libvirt cmd_line); needs kernel', 'x-fix': 'write words separated by single spaces, without quotes, e.g. console=ttyS0 root=/dev/vda rw net.ifnames=0' },
  storagePoolPath: path('directory of the storage pool labgen\'s VMs use when vagrant-libvirt creates it (only the pool named default is created: vagrant-libvirt storage_pool_path)'),
  bootTimeout: { type: 'integer', minimum: 30, maximum: 7200, description: 'seconds Vagrant waits for a VM to boot and answer SSH (config.vm.boot_timeout; labgen\'s default 600); emulated hosts need more' },
};

/** Cross-field problems of these options (o: the lab's provider.libvirt as written). */
export function libvirtBootOptionRules(o: Record<string, unknown> | undefined): Problem[] {
  const out: Problem[] = [];
  const at = (k: string) => `provider.libvirt.${k}`;
  if (!o) return out;
  if (o.cpuModel !== undefined && o.cpuMode !== 'custom') out.push({ path: at('cpuModel'), message: `a CPU model applies to cpuMode custom only${o.cpuMode ? `, not ${String(o.cpuMode)}` : ' (the default mode is host-model)'}`, fix: 'set cpuMode: custom, or remove cpuModel' });
  for (const k of ['initrd', 'cmdLine']) if (o[k] !== undefined && o.kernel === undefined) out.push({ path: at(k), message: `${k} is part of direct kernel boot, which needs a kernel`, fix: 'set provider.libvirt.kernel to the kernel image on the libvirt host, or remove it' });
  for (const k of ['kernel', 'initrd', 'storagePoolPath']) {
    const v = o[k];
    if (typeof v === 'string' && v.split('/').some((s) => s === '.' || s === '..')) out.push({ path: at(k), message: `"${v}" has a . or .. segment`, fix: 'write the path without . and .. segments' });
  }
  if (o.storagePoolPath !== undefined && (o.storagePool ?? 'default') !== 'default') out.push({ path: at('storagePoolPath'), message: `vagrant-libvirt creates only the pool named default, so a path for the existing pool "${String(o.storagePool)}" would be ignored`, fix: 'remove storagePoolPath (the pool exists with its own path), or use storagePool: default' });
  return out;
}

/** What the libvirt Vagrantfile templates place for these options ('' / 0 when unset, so the templates leave them out). */
export function libvirtBootTemplateValues(o: Record<string, unknown>): Record<string, string | number> {
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  return { cpuMode: s('cpuMode'), cpuModel: s('cpuModel'), kernel: s('kernel'), initrd: s('initrd'), cmdLine: s('cmdLine'), storagePoolPath: s('storagePoolPath'), bootTimeout: typeof o.bootTimeout === 'number' ? o.bootTimeout : 0 };
}
