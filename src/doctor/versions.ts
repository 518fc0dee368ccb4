// Which Vagrant a VirtualBox release needs (Vagrant's changelog: 7.0 in 2.3.2, 7.1 in 2.4.2, 7.2 in 2.4.9). Pure.
import { compareVersions } from '../vagrant/vagrant.js';

type V = [number, number, number];

/** The oldest Vagrant whose VirtualBox provider accepts each VirtualBox minor. */
export const VAGRANT_FOR_VIRTUALBOX: Record<string, V> = {
  '6.1': [2, 2, 7],
  '7.0': [2, 3, 2],
  '7.1': [2, 4, 2],
  '7.2': [2, 4, 9],
};

/** The oldest Vagrant the rendered Vagrantfile accepts (Vagrant.require_version). */
export const MIN_VAGRANT: V = [2, 3, 0];

/** Why a VirtualBox + Vagrant pair does not work together, or undefined when it does. */
export function pairProblem(vbox: V, vagrant: V): { message: string; fix: string } | undefined {
  const minor = `${vbox[0]}.${vbox[1]}`;
  const need = VAGRANT_FOR_VIRTUALBOX[minor];
  const known = Object.keys(VAGRANT_FOR_VIRTUALBOX);
  if (!need) {
    const newest = known[known.length - 1]!;
    return compareVersions(vbox, [6, 1, 0]) < 0
      ? { message: `VirtualBox ${vbox.join('.')} is too old for Vagrant's VirtualBox provider`, fix: `install VirtualBox ${newest} (https://www.virtualbox.org/wiki/Downloads)` }
      : { message: `VirtualBox ${minor} is newer than any Vagrant labgen knows supports it (known: ${known.join(', ')})`, fix: `install VirtualBox ${newest} with Vagrant ${VAGRANT_FOR_VIRTUALBOX[newest]!.join('.')}+, or a Vagrant release whose changelog lists VirtualBox ${minor}` };
  }
  if (compareVersions(vagrant, need) < 0) return { message: `VirtualBox ${vbox.join('.')} needs Vagrant ${need.join('.')} or newer; this is Vagrant ${vagrant.join('.')}`, fix: `install Vagrant ${need.join('.')}+ from https://developer.hashicorp.com/vagrant/install` };
  return undefined;
}

/** Whether VirtualBox restricts host-only addresses to /etc/vbox/networks.conf here (6.1.28+ on Linux; macOS before 7.0). */
export function enforcesNetworksConf(platform: NodeJS.Platform, vbox: V): boolean {
  if (compareVersions(vbox, [6, 1, 28]) < 0) return false;
  if (platform === 'linux') return true;
  return platform === 'darwin' && compareVersions(vbox, [7, 0, 0]) < 0;
}
