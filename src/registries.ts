// The one place plug-ins are registered. Every core function takes a Registries so tests can inject their own.
import type { CniPlugin } from './cni/types.js';
import type { OsFamily } from './os/types.js';
import type { Provider } from './providers/types.js';
import { Registry } from './registry.js';

/**
 * The plug-ins labgen ships with, one line per registry, by folder name: adding one is its folder
 * (src/cni/<name>/, src/os/<name>/, src/providers/<name>/, whose index.ts exports it under that name) and its name
 * on its line. The first name of each line is the default when a lab names none.
 */
const SHIPPED = {
  cni: ['flannel', 'calico'],
  os: ['el', 'ubuntu', 'debian'],
  providers: ['virtualbox', 'libvirt'],
} as const;

/** The three registries core functions consult. */
export interface Registries {
  cni: Registry<CniPlugin>;
  os: Registry<OsFamily>;
  providers: Registry<Provider>;
}

/** Each folder's plug-in: its index.ts's export named like the folder (checked, so a typo fails at start-up). */
async function load<T extends { name: string }>(dir: string, names: readonly string[]): Promise<T[]> {
  return Promise.all(names.map(async (name) => {
    const mod = await import(`./${dir}/${name}/index.js`) as Record<string, T | undefined>;
    const item = mod[name];
    if (!item || item.name !== name) throw new Error(`src/${dir}/${name}/index.ts must export ${name} with name '${name}'`);
    return item;
  }));
}

const shipped = {
  cni: await load<CniPlugin>('cni', SHIPPED.cni),
  os: await load<OsFamily>('os', SHIPPED.os),
  providers: await load<Provider>('providers', SHIPPED.providers),
};

/** The registries labgen ships with. */
export function defaultRegistries(): Registries {
  return registriesOf(shipped);
}

/** Registries of the given plug-ins (a test registers fakes beside the shipped ones this way, or uses `Registry.with`). */
export function registriesOf(items: { cni: readonly CniPlugin[]; os: readonly OsFamily[]; providers: readonly Provider[] }): Registries {
  return {
    cni: new Registry<CniPlugin>('CNI plugin', items.cni),
    os: new Registry<OsFamily>('OS family', items.os),
    providers: new Registry<Provider>('provider', items.providers),
  };
}
