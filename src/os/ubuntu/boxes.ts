// The Ubuntu 24.04 boxes per Vagrant provider: a box is published per provider, so this (family, provider) table is the
// family's, and the one place in an OS family folder that names providers.
import type { BoxChoice, GuestFacts } from '../types.js';

/** What Vagrant's guest detection and its netplan `configure_networks` (networkd renderer) see on Ubuntu 24.04. */
const UBUNTU_GUEST: GuestFacts = {
  osRelease: 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n',
  network: 'netplan-networkd',
};

/** Default box per provider name, with its NIC names and where they were checked. */
export const BOXES: Record<string, BoxChoice> = {
  // 202510.26.0: a published bento/ubuntu-24.04 version (pinned in public Vagrantfiles), hosted on Vagrant Cloud.
  virtualbox: { box: 'bento/ubuntu-24.04', version: '202510.26.0', nics: ['eth0', 'eth1'], source: 'bento boxes boot with net.ifnames=0, so NIC2 is eth1', guest: UBUNTU_GUEST },
  // 20251213.0.0: a published cloud-image/ubuntu-24.04 version with a libvirt build (a public how-to's
  // `vagrant box add --provider=libvirt --box-version=20251213.0.0 cloud-image/ubuntu-24.04` and its box URL
  // vagrantcloud.com/cloud-image/boxes/ubuntu-24.04/versions/20251213.0.0/providers/libvirt/amd64/vagrant.box).
  // Vagrant Cloud hosts these files itself (no mirror redirect), so a pinned version keeps downloading.
  libvirt: { box: 'cloud-image/ubuntu-24.04', version: '20251213.0.0', nics: ['eth0', 'eth1'], source: 'Canonical cloud images publish a libvirt provider; NIC names vary, so labs select the NIC by address (cni.interface: auto)', guest: UBUNTU_GUEST },
};
