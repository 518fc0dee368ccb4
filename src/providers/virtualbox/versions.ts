// Which Vagrant a VirtualBox release needs (Vagrant's changelog: 7.0 in 2.3.2, 7.1 in 2.4.2, 7.2 in 2.4.9), and the
// other way round. The distribution package of Vagrant 2.3.4 agrees: its plugins/providers/virtualbox/driver/meta.rb
// maps VirtualBox "4.0" .. "7.0" to drivers and ends at 7.0 (`dpkg -L vagrant`). Pure.
import { compareVersions } from '../../vagrant/vagrant.js';

type V = [number, number, number];

/** The oldest Vagrant whose VirtualBox provider accepts each VirtualBox minor. */
export const VAGRANT_FOR_VIRTUALBOX: Record<string, V> = {
  '6.1': [2, 2, 7],
  '7.0': [2, 3, 2],
  '7.1': [2, 4, 2],
  '7.2': [2, 4, 9],
};

/** The newest VirtualBox minor a Vagrant version drives, or undefined when it drives none labgen knows. */
export function newestVirtualboxFor(vagrant: V): string | undefined {
  const ok = Object.entries(VAGRANT_FOR_VIRTUALBOX).filter(([, need]) => compareVersions(vagrant, need) >= 0).map(([minor]) => minor);
  return ok.sort(compareMinor).at(-1);
}

/** Orders `7.0` before `7.10` (numerically, not as text). */
export function compareMinor(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number); const [b1, b2] = b.split('.').map(Number);
  return (a1! - b1!) || (a2! - b2!);
}

/** The fix for a host without VirtualBox: a VirtualBox the installed Vagrant drives, or the Vagrant a newer one needs. */
export function installVirtualboxFix(vagrant: V | undefined): string {
  const minors = Object.keys(VAGRANT_FOR_VIRTUALBOX).sort(compareMinor);
  const newest = minors.at(-1)!;
  const newestNeeds = VAGRANT_FOR_VIRTUALBOX[newest]!.join('.');
  if (!vagrant) return `install Vagrant ${newestNeeds}+ (https://developer.hashicorp.com/vagrant/install) and VirtualBox ${newest} (https://www.virtualbox.org/wiki/Linux_Downloads)`;
  const fits = newestVirtualboxFor(vagrant);
  if (fits === newest) return `install VirtualBox ${newest}, which this Vagrant ${vagrant.join('.')} drives: https://www.virtualbox.org/wiki/Linux_Downloads (then check \`VBoxManage --version\`)`;
  const old = fits ? `install VirtualBox ${fits}, the newest this Vagrant ${vagrant.join('.')} drives: https://www.virtualbox.org/wiki/Download_Old_Builds_${fits.replace('.', '_')}` : `this Vagrant ${vagrant.join('.')} drives no VirtualBox labgen knows`;
  return `${old}\nor, for VirtualBox ${newest}: first install Vagrant ${newestNeeds}+ (https://developer.hashicorp.com/vagrant/install), then VirtualBox ${newest}`;
}


/** Why a VirtualBox + Vagrant pair does not work together, or undefined when it does. */
export function pairProblem(vbox: V, vagrant: V): { message: string; fix: string } | undefined {
  const minor = `${vbox[0]}.${vbox[1]}`;
  const need = VAGRANT_FOR_VIRTUALBOX[minor];
  const known = Object.keys(VAGRANT_FOR_VIRTUALBOX).sort(compareMinor);
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
