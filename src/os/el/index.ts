// Enterprise Linux 9 (Rocky Linux 9), the living successor of the article's CentOS 7: dnf, SELinux, firewalld.
import type { OsFamily } from '../types.js';
import { BOXES } from './boxes.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** The EL family. */
export const el: OsFamily = {
  name: 'el',
  templatesDir: templatesBeside(import.meta.url),
  description: 'Enterprise Linux 9 (Rocky Linux 9): dnf, SELinux permissive, firewalld configured',
  boxes: BOXES,
  baseTemplate: 'base.sh.hbs',
  hasSelinux: true,
  kubeletDefaultsFile: '/etc/sysconfig/kubelet',
  hasFirewalld: true,
  packageManager: 'dnf',
};
