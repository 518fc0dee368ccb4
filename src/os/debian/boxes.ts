// The Debian 12 boxes per Vagrant provider: a box is published per provider, so this (family, provider) table is the
// family's, and the one place in an OS family folder that names providers.
import type { BoxChoice, GuestFacts } from '../types.js';

/** What Vagrant's guest detection and `configure_networks` see on debian/bookworm64: Debian's boxes configure
 * their NICs with ifupdown (/etc/network/interfaces), so Vagrant takes its nettools path (test/restart). */
const DEBIAN_GUEST: GuestFacts = {
  osRelease: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
  network: 'ifupdown',
};

/** Default box per provider name, with its NIC names and where they were checked. */
export const BOXES: Record<string, BoxChoice> = {
  // Debian's official boxes (app.vagrantup.com/debian, built by salsa.debian.org/cloud-team/debian-vagrant-images
  // for VirtualBox and libvirt, both tested there end to end). Its config_space/scripts/VAGRANT/20-setup sets
  // GRUB_CMDLINE_LINUX_DEFAULT="net.ifnames=0 biosdevname=0": NIC1 is eth0 and NIC2 eth1 under either provider.
  // 12.20250126.1: a published debian/bookworm64 version for both providers: pinned with VirtualBox in many public
  // Vagrantfiles (config.vm.box_version = "12.20250126.1"), and its libvirt build fetched by URL with a content hash
  // in a public Nix flake (vagrantcloud.com/debian/boxes/bookworm64/versions/12.20250126.1/providers/libvirt/amd64/
  // vagrant.box, sha256-TiKoGih08fZY+XP3PBL6VaMQ/nTAy+5T2dO6raoaZTw=).
  virtualbox: { box: 'debian/bookworm64', version: '12.20250126.1', nics: ['eth0', 'eth1'], source: 'Debian\'s official box (debian-vagrant-images 20-setup: net.ifnames=0)', guest: DEBIAN_GUEST },
  libvirt: { box: 'debian/bookworm64', version: '12.20250126.1', nics: ['eth0', 'eth1'], source: 'Debian\'s official box, libvirt build (debian-vagrant-images 20-setup: net.ifnames=0)', guest: DEBIAN_GUEST },
};
