// Enterprise Linux 9 (Rocky Linux 9), the living successor of the article's CentOS 7: dnf, SELinux, firewalld.
import type { GuestFacts, OsFamily } from '../types.js';

/** What Vagrant's guest detection and redhat `configure_networks` see on a Rocky Linux 9 box. */
const ROCKY_GUEST: GuestFacts = {
  osRelease: 'NAME="Rocky Linux"\nVERSION="9.6 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.6"\n',
  redhatRelease: 'Rocky Linux release 9.6 (Blue Onyx)\n',
  network: 'networkmanager',
};

/** The EL family. */
export const el: OsFamily = {
  name: 'el',
  description: 'Enterprise Linux 9 (Rocky Linux 9): dnf, SELinux permissive, firewalld configured',
  boxes: {
    // rocky-linux/kickstarts Rocky-9-Vagrant-Vbox.ks boots with net.ifnames=0: eth0 (NAT) and eth1 (host-only).
    // Without it the kernel would name VirtualBox's adapters by PCI slot: 00:03.0 enp0s3, 00:08.0 enp0s8 (the
    // article's CentOS 7). A lab that names NIC2 enp0s8 gets both NICs renamed by MAC (base.sh, step nic-name).
    virtualbox: {
      box: 'rockylinux/9',
      nics: ['eth0', 'eth1'],
      predictableNics: ['enp0s3', 'enp0s8'],
      source: 'Rocky Linux\'s official Vagrant box (Rocky-9-Vagrant-Vbox.ks: net.ifnames=0)',
      guest: ROCKY_GUEST,
    },
    libvirt: { box: 'rockylinux/9', nics: ['eth0', 'eth1'], source: 'Rocky Linux\'s official Vagrant box, libvirt build (Rocky-9-Vagrant-Libvirt.ks)', guest: ROCKY_GUEST },
  },
  baseTemplate: 'os/el/base.sh.hbs',
  hasSelinux: true,
  kubeletDefaultsFile: '/etc/sysconfig/kubelet',
  hasFirewalld: true,
};
