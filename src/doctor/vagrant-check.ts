// Is vagrant installed and new enough for the rendered Vagrantfile.
import type { Runner } from '../host/process.js';
import { firstLine } from '../host/process.js';
import { compareVersions, parseVersion } from '../vagrant/vagrant.js';
import type { Check } from './check.js';

/** The oldest Vagrant the rendered Vagrantfile accepts (Vagrant.require_version). */
export const MIN_VAGRANT: [number, number, number] = [2, 3, 0];

/** The vagrant check, with the version found. */
export async function vagrantCheck(runner: Runner): Promise<{ check: Check; version?: [number, number, number] }> {
  const r = await runner.run('vagrant', ['--version']);
  const version = r.exitCode === 0 ? parseVersion(r.stdout) : undefined;
  if (!version) return { check: { name: 'vagrant', status: 'fail', detail: r.notFound ? 'vagrant is not on PATH' : `vagrant --version failed: ${firstLine(r)}`, fix: 'install Vagrant: https://developer.hashicorp.com/vagrant/install' } };
  if (compareVersions(version, MIN_VAGRANT) < 0) return { version, check: { name: 'vagrant', status: 'fail', detail: `Vagrant ${version.join('.')} is older than ${MIN_VAGRANT.join('.')}, which the Vagrantfile requires`, fix: 'install a current Vagrant: https://developer.hashicorp.com/vagrant/install' } };
  return { version, check: { name: 'vagrant', status: 'pass', detail: `Vagrant ${version.join('.')}` } };
}
