// Ubuntu LTS from the bento project: apt, no SELinux, no firewalld; bento disables predictable names (eth0, eth1).
import type { OsFamily } from '../types.js';

/** The Ubuntu family. */
export const ubuntu: OsFamily = {
  name: 'ubuntu',
  description: 'Ubuntu 24.04 LTS (bento): apt, packages held with apt-mark',
  boxes: {
    virtualbox: { box: 'bento/ubuntu-24.04', nics: ['eth0', 'eth1'], source: 'bento boxes boot with net.ifnames=0, so NIC2 is eth1' },
    libvirt: { box: 'cloud-image/ubuntu-24.04', nics: ['eth0', 'eth1'], source: 'Canonical cloud images publish a libvirt provider; NIC names vary, so labs select the NIC by address (cni.interface: auto)' },
  },
  baseTemplate: 'os/ubuntu/base.sh.hbs',
  hasSelinux: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  hasFirewalld: false,
  packageManager: 'apt',
};
