// The Enterprise Linux 9 boxes per Vagrant provider: a box is published per provider, so this (family, provider) table is the
// family's, and the one place in an OS family folder that names providers.
import type { BoxChoice, GuestFacts } from '../types.js';

/** What Vagrant's guest detection and redhat `configure_networks` see on a Rocky Linux 9 box. */
const ROCKY_GUEST: GuestFacts = {
  osRelease: 'NAME="Rocky Linux"\nVERSION="9.6 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.6"\n',
  redhatRelease: 'Rocky Linux release 9.6 (Blue Onyx)\n',
  network: 'networkmanager',
};

/** Default box per provider name, with its NIC names and where they were checked. */
export const BOXES: Record<string, BoxChoice> = {
  // rocky-linux/kickstarts Rocky-9-Vagrant-Vbox.ks boots with net.ifnames=0: eth0 (NAT) and eth1 (host-only).
  // Without it the kernel would name VirtualBox's adapters by PCI slot: 00:03.0 enp0s3, 00:08.0 enp0s8 (the
  // article's CentOS 7). A lab that names NIC2 enp0s8 gets both NICs renamed by MAC (base.sh, step nic-name).
  //
  // Boxes that can be downloaded: rockylinux/9 on Vagrant Cloud redirects to dl.rockylinux.org/pub, and its box
  // files 404 once Rocky moves a minor to its vault (containerd/containerd#11050: rockylinux/9@4.0.0, moved to
  // almalinux/9; hashicorp/vagrant#13770, open: rockylinux/9@6.0.0 after 9.6 was archived). bento uploads its
  // boxes to Vagrant Cloud itself, so a pinned bento version keeps downloading; bento's EL9 kickstart
  // (chef/bento packer_templates/http/rhel/9ks.cfg) boots with net.ifnames=0 too, so the NICs are the same
  // eth0/eth1. 202510.26.0 is a published bento/rockylinux-9 version (pinned in public Vagrantfiles).
  virtualbox: {
    box: 'bento/rockylinux-9',
    version: '202510.26.0',
    alternatives: [{ box: 'rockylinux/9', source: 'Rocky Linux\'s official box (Rocky-9-Vagrant-Vbox.ks: net.ifnames=0); its downloads break when a minor moves to the vault' }],
    nics: ['eth0', 'eth1'],
    predictableNics: ['enp0s3', 'enp0s8'],
    source: 'bento\'s Rocky Linux 9 box (packer_templates/http/rhel/9ks.cfg: net.ifnames=0), hosted on Vagrant Cloud',
    guest: ROCKY_GUEST,
  },
  // libvirt: the Roboxes project's generic/rocky9, pinned. Evidence: lavabit/robox's generic-libvirt-x64.json builds
  // "generic-rocky9-libvirt-x64" from http/generic.rocky9.vagrant.ks, whose bootloader line appends net.ifnames=0
  // (so the NICs are eth0/eth1, as on the other EL boxes); robox.sh set VERSION="4.3.12" in commit c5a94cc5
  // (2024-01-18, "Version bump."), and its release scripts upload every box to Vagrant Cloud itself (robox.sh checks
  // app.vagrantup.com/<org>/boxes/<box>/versions/<version>/providers/<provider>.box), so the files do not depend on
  // dl.rockylinux.org; public Vagrantfiles pin generic/rocky9 4.3.12 and use generic/rocky9 with the libvirt provider.
  // Its /etc/yum.repos.d use $releasever 9, so dnf installs current Rocky 9 packages whatever minor the box shipped.
  // rockylinux/9 (Rocky's own, Rocky-9-Vagrant-Libvirt.ks) stays the alternative, unpinned: published versions with a
  // libvirt build are on record (4.0.0, 5.0.0), but every version redirects to dl.rockylinux.org and 404s once its
  // minor is vaulted (4.0.0 in containerd/containerd#11050, 6.0.0 in hashicorp/vagrant#13770). bento/rockylinux-9 has
  // no libvirt build labgen could confirm.
  libvirt: {
    box: 'generic/rocky9',
    version: '4.3.12',
    alternatives: [
      { box: 'rockylinux/9', source: 'Rocky Linux\'s official box, libvirt build (Rocky-9-Vagrant-Libvirt.ks); its downloads break when a minor moves to the vault' },
      { box: 'bento/rockylinux-9', source: 'bento\'s Rocky Linux 9 box (net.ifnames=0), where it has a libvirt build' },
    ],
    nics: ['eth0', 'eth1'],
    source: 'the Roboxes project\'s generic/rocky9, libvirt build (lavabit/robox generic-libvirt-x64.json, http/generic.rocky9.vagrant.ks: net.ifnames=0), hosted on Vagrant Cloud',
    guest: ROCKY_GUEST,
  },
};
