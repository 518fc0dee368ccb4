// Reads Vagrant's machine index (what `vagrant global-status` lists) and a project's machine ids, to tell which
// directory holds a VM. Both are input from outside labgen: read without following symlinks, bounded, and checked.
// Format: vagrant 2.3.4 lib/vagrant/machine_index.rb (the file $VAGRANT_HOME/data/machine-index/index, JSON
// { version: 1, machines: { <id>: { local_data_path, name, provider, state, vagrantfile_path, ... } } }); a machine's
// provider id is <local_data_path>/machines/<name>/<provider>/id (lib/vagrant/machine.rb: data_dir.join("id")).
import { isAbsolute, join } from 'node:path';
import { checkInLab, readInLab } from './safe-path.js';

/** One project machine Vagrant knows of. */
export interface IndexedMachine { dir: string; dataPath: string; name: string; provider: string }

/** The index is read only below this size (a host with thousands of machines is not a lab host). */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Vagrant's home: VAGRANT_HOME, else ~/.vagrant.d (lib/vagrant/environment.rb default_home_path). */
export function vagrantHome(env: NodeJS.ProcessEnv): string | undefined {
  if (env.VAGRANT_HOME && isAbsolute(env.VAGRANT_HOME)) return env.VAGRANT_HOME;
  return env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.vagrant.d') : undefined;
}

function readSmall(dir: string, rel: string, max: number): string | undefined {
  try {
    const st = checkInLab(dir, rel, 'file');
    if (!st || st.size > max) return undefined;
    return readInLab(dir, rel)?.toString('utf8');
  } catch { return undefined; }
}

/** The machines of Vagrant's index (empty when there is none or it cannot be read). */
export function readMachineIndex(home: string): IndexedMachine[] {
  const text = readSmall(join(home, 'data', 'machine-index'), 'index', MAX_INDEX_BYTES);
  if (text === undefined) return [];
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return []; }
  const machines = (doc as { machines?: unknown })?.machines;
  if (typeof machines !== 'object' || machines === null) return [];
  const out: IndexedMachine[] = [];
  for (const e of Object.values(machines as Record<string, unknown>)) {
    const m = e as Record<string, unknown>;
    const ok = (k: string) => typeof m[k] === 'string';
    if (!ok('vagrantfile_path') || !ok('local_data_path') || !ok('name') || !ok('provider')) continue;
    const [dir, dataPath, name, provider] = [m.vagrantfile_path, m.local_data_path, m.name, m.provider] as string[];
    if (!isAbsolute(dir!) || !isAbsolute(dataPath!) || !NAME.test(name!) || !NAME.test(provider!)) continue;
    out.push({ dir: dir!, dataPath: dataPath!, name: name!, provider: provider! });
  }
  return out;
}

/** The provider's id of a machine of a project (`<dataPath>/machines/<name>/<provider>/id`), lower-cased, or undefined. */
export function machineId(dataPath: string, name: string, provider: string): string | undefined {
  if (!NAME.test(name) || !NAME.test(provider)) return undefined;
  const id = readSmall(dataPath, `machines/${name}/${provider}/id`, 256)?.trim();
  return id && ID.test(id) ? id.toLowerCase() : undefined;
}
