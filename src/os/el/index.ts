// Enterprise Linux 9 (Rocky Linux 9), the living successor of the article's CentOS 7: dnf, SELinux, firewalld.
import type { OsFamily } from '../types.js';

/** The EL family. */
export const el: OsFamily = {
  name: 'el',
  description: 'Enterprise Linux 9 (Rocky Linux 9): dnf, SELinux permissive, firewalld configured',
  boxes: {
    virtualbox: { box: 'rockylinux/9', nics: ['enp0s3', 'enp0s8'], source: 'Rocky Linux\'s official Vagrant box; predictable names on VirtualBox PCI slots 3 and 8' },
    libvirt: { box: 'rockylinux/9', nics: ['eth0', 'eth1'], source: 'Rocky Linux\'s official Vagrant box, libvirt build (virtio NICs)' },
  },
  baseTemplate: 'os/el/base.sh.hbs',
  hasSelinux: true,
  kubeletDefaultsFile: '/etc/sysconfig/kubelet',
  hasFirewalld: true,
};
