// Enterprise Linux 9 (Rocky Linux 9), the living successor of the article's CentOS 7: dnf, SELinux, firewalld.
import type { OsFamily } from '../types.js';

/** The EL family. */
export const el: OsFamily = {
  name: 'el',
  description: 'Enterprise Linux 9 (Rocky Linux 9): dnf, SELinux permissive, firewalld configured',
  boxes: {
    // rocky-linux/kickstarts Rocky-9-Vagrant-Vbox.ks boots with net.ifnames=0: eth0 (NAT) and eth1 (host-only).
    // A lab that names NIC2 enp0s8, as the article did, gets it renamed at provisioning (base.sh, step nic-name).
    virtualbox: { box: 'rockylinux/9', nics: ['eth0', 'eth1'], source: 'Rocky Linux\'s official Vagrant box (Rocky-9-Vagrant-Vbox.ks: net.ifnames=0)' },
    libvirt: { box: 'rockylinux/9', nics: ['eth0', 'eth1'], source: 'Rocky Linux\'s official Vagrant box, libvirt build (Rocky-9-Vagrant-Libvirt.ks)' },
  },
  baseTemplate: 'os/el/base.sh.hbs',
  hasSelinux: true,
  kubeletDefaultsFile: '/etc/sysconfig/kubelet',
  hasFirewalld: true,
  packageManager: 'dnf',
};
