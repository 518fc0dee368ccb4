// Debian 12 (bookworm) from Debian's own Vagrant boxes: apt, no SELinux, no firewalld; the boxes boot with eth0/eth1.
import { closedObject } from '../../lab/json-schema.js';
import type { OsFamily } from '../types.js';
import { BOXES } from './boxes.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** Where containerd comes from on Debian: Docker's containerd.io (meets every pinned minor) or Debian's own package. */
export const DEBIAN_CONTAINERD_SOURCES = ['docker', 'debian'] as const;

/** The Debian family. */
export const debian: OsFamily = {
  name: 'debian',
  templatesDir: templatesBeside(import.meta.url),
  description: 'Debian 12 bookworm (debian/bookworm64): apt, containerd.io from Docker\'s repository, packages held with apt-mark',
  boxes: BOXES,
  baseTemplate: 'base.sh.hbs',
  hasSelinux: false,
  hasFirewalld: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  packageManager: 'apt',
  vagrantGuest: 'debian',
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
