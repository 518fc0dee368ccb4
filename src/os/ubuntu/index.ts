// Ubuntu LTS from the bento project: apt, no SELinux, no firewalld; bento disables predictable names (eth0, eth1).
import type { OsFamily } from '../types.js';
import { BOXES } from './boxes.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** The Ubuntu family. */
export const ubuntu: OsFamily = {
  name: 'ubuntu',
  templatesDir: templatesBeside(import.meta.url),
  description: 'Ubuntu 24.04 LTS (bento): apt, packages held with apt-mark',
  boxes: BOXES,
  baseTemplate: 'base.sh.hbs',
  hasSelinux: false,
  kubeletDefaultsFile: '/etc/default/kubelet',
  hasFirewalld: false,
  packageManager: 'apt',
  vagrantGuest: 'ubuntu',
};
