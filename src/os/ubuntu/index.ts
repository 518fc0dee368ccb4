// Ubuntu LTS from the bento project: apt, no SELinux, no firewalld; bento disables predictable names (eth0, eth1).
import type { GuestFacts, OsFamily } from '../types.js';

/** What Vagrant's guest detection and debian `configure_networks` (netplan, networkd renderer) see on Ubuntu 24.04. */
const UBUNTU_GUEST: GuestFacts = {
  osRelease: 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n',
  network: 'netplan-networkd',
};

/** The Ubuntu family. */
export const ubuntu: OsFamily = {
  name: 'ubuntu',
  description: 'Ubuntu 24.04 LTS (bento): apt, packages held with apt-mark',
  boxes: {
    // 202510.26.0: a published bento/ubuntu-24.04 version (pinned in public Vagrantfiles), hosted on Vagrant Cloud.
    virtualbox: { box: 'bento/ubuntu-24.04', version: '202510.26.0', nics: ['eth0', 'eth1'], source: 'bento boxes boot with net.ifnames=0, so NIC2 is eth1', guest: UBUNTU_GUEST },
    libvirt: { box: 'cloud-image/ubuntu-24.04', nics: ['eth0', 'eth1'], source: 'Canonical cloud images publish a libvirt provider; NIC names vary, so labs select the NIC by address (cni.interface: auto)', guest: UBUNTU_GUEST },
  },
  baseTemplate: 'os/ubuntu/base.sh.hbs',
  hasSelinux: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  hasFirewalld: false,
  packageManager: 'apt',
};
