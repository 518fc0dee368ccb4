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
    // 20251213.0.0: a published cloud-image/ubuntu-24.04 version with a libvirt build (a public how-to's
    // `vagrant box add --provider=libvirt --box-version=20251213.0.0 cloud-image/ubuntu-24.04` and its box URL
    // vagrantcloud.com/cloud-image/boxes/ubuntu-24.04/versions/20251213.0.0/providers/libvirt/amd64/vagrant.box).
    // Vagrant Cloud hosts these files itself (no mirror redirect), so a pinned version keeps downloading.
    libvirt: { box: 'cloud-image/ubuntu-24.04', version: '20251213.0.0', nics: ['eth0', 'eth1'], source: 'Canonical cloud images publish a libvirt provider; NIC names vary, so labs select the NIC by address (cni.interface: auto)', guest: UBUNTU_GUEST },
  },
  baseTemplate: 'os/ubuntu/base.sh.hbs',
  hasSelinux: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  hasFirewalld: false,
  packageManager: 'apt',
};
