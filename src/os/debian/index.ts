// Debian 12 (bookworm) from Debian's own Vagrant boxes: apt, no SELinux, no firewalld; the boxes boot with eth0/eth1.
import { closedObject } from '../../lab/json-schema.js';
import type { GuestFacts, OsFamily } from '../types.js';

/** What Vagrant's guest detection and debian `configure_networks` see on debian/bookworm64: Debian's boxes configure
 * their NICs with ifupdown (/etc/network/interfaces), so Vagrant takes its nettools path (test/restart). */
const DEBIAN_GUEST: GuestFacts = {
  osRelease: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
  network: 'ifupdown',
};

/** Where containerd comes from on Debian: Docker's containerd.io (meets every pinned minor) or Debian's own package. */
export const DEBIAN_CONTAINERD_SOURCES = ['docker', 'debian'] as const;

/** The Debian family. */
export const debian: OsFamily = {
  name: 'debian',
  description: 'Debian 12 bookworm (debian/bookworm64): apt, containerd.io from Docker\'s repository, packages held with apt-mark',
  boxes: {
    // Debian's official boxes (app.vagrantup.com/debian, built by salsa.debian.org/cloud-team/debian-vagrant-images
    // for VirtualBox and libvirt, both tested there end to end). Its config_space/scripts/VAGRANT/20-setup sets
    // GRUB_CMDLINE_LINUX_DEFAULT="net.ifnames=0 biosdevname=0": NIC1 is eth0 and NIC2 eth1 under either provider.
    // 12.20250126.1: a published debian/bookworm64 version for both providers: pinned with VirtualBox in many public
    // Vagrantfiles (config.vm.box_version = "12.20250126.1"), and its libvirt build fetched by URL with a content hash
    // in a public Nix flake (vagrantcloud.com/debian/boxes/bookworm64/versions/12.20250126.1/providers/libvirt/amd64/
    // vagrant.box, sha256-TiKoGih08fZY+XP3PBL6VaMQ/nTAy+5T2dO6raoaZTw=).
    virtualbox: { box: 'debian/bookworm64', version: '12.20250126.1', nics: ['eth0', 'eth1'], source: 'Debian\'s official box (debian-vagrant-images 20-setup: net.ifnames=0)', guest: DEBIAN_GUEST },
    libvirt: { box: 'debian/bookworm64', version: '12.20250126.1', nics: ['eth0', 'eth1'], source: 'Debian\'s official box, libvirt build (debian-vagrant-images 20-setup: net.ifnames=0)', guest: DEBIAN_GUEST },
  },
  baseTemplate: 'os/debian/base.sh.hbs',
  hasSelinux: false,
  hasFirewalld: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  packageManager: 'apt',
  optionsSchema: closedObject({
    containerd: {
      enum: [...DEBIAN_CONTAINERD_SOURCES],
      default: 'docker',
      description: 'docker: containerd.io from Docker\'s apt repository (download.docker.com, or mirrors.containerd); debian: Debian\'s own containerd package (bookworm ships 1.6.20, trixie 1.7.24: too old for Kubernetes 1.34+, and provisioning says so)',
    },
  }),
  resolveOptions: (o) => ({ containerd: 'docker', ...(o ?? {}) }),
  envVars: (lab) => ({ CONTAINERD_SOURCE: String(lab.os.options?.containerd ?? 'docker') }),
};
