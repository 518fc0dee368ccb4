// The one place plug-ins are registered. Every core function takes a Registries so tests can inject their own.
import type { CniPlugin } from './cni/types.js';
import type { OsFamily } from './os/types.js';
import type { Provider } from './providers/types.js';
import { Registry } from './registry.js';
import { flannel } from './cni/flannel/index.js';
import { calico } from './cni/calico/index.js';
import { el } from './os/el/index.js';
import { ubuntu } from './os/ubuntu/index.js';
import { debian } from './os/debian/index.js';
import { virtualbox } from './providers/virtualbox/index.js';
import { libvirt } from './providers/libvirt/index.js';

/** The three registries core functions consult. */
export interface Registries {
  cni: Registry<CniPlugin>;
  os: Registry<OsFamily>;
  providers: Registry<Provider>;
}

/** The registries labgen ships with. */
export function defaultRegistries(): Registries {
  return {
    cni: new Registry<CniPlugin>('CNI plugin', [flannel, calico]),
    os: new Registry<OsFamily>('OS family', [el, ubuntu, debian]),
    providers: new Registry<Provider>('provider', [virtualbox, libvirt]),
  };
}
