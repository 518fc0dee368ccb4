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
  // bento publishes no libvirt build labgen could verify, so libvirt keeps Rocky's own box; bento/rockylinux-9 is
  // the alternative where it has a libvirt build.
  // NOT PINNED, deliberately: no rockylinux/9 version could be confirmed to keep downloading. Published versions with
  // a libvirt build are on record (4.0.0: a public Vagrantfile's box_url .../rockylinux/boxes/9/versions/4.0.0/
  // providers/libvirt/amd64/vagrant.box; 5.0.0: `vagrant box add rockylinux/9` offering libvirt, virtualbox and
  // vmware_desktop for v5.0.0 in a public how-to), but every version redirects to dl.rockylinux.org and 404s once its
  // minor is vaulted (4.0.0 in containerd/containerd#11050, 6.0.0 in hashicorp/vagrant#13770). Unpinned, Vagrant
  // takes the newest version, the one whose minor Rocky still serves; doctor names the alternative when it fails.
  libvirt: {
    box: 'rockylinux/9',
    alternatives: [{ box: 'bento/rockylinux-9', source: 'bento\'s Rocky Linux 9 box (net.ifnames=0)' }],
    nics: ['eth0', 'eth1'],
    source: 'Rocky Linux\'s official Vagrant box, libvirt build (Rocky-9-Vagrant-Libvirt.ks)',
    guest: ROCKY_GUEST,
  },
};
