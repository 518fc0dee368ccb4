// Whether the lab's box is already downloaded (`vagrant box list --machine-readable`), and what to run when its
// download fails: a command that runs as printed, then the alternative publisher the OS family names.
import type { ResolvedLab } from '../lab/types.js';
import type { Registries } from '../registries.js';
import { shellWord } from '../render/escape.js';
import { parseMachineReadable } from '../vagrant/machine-readable.js';
import { firstLine, type Runner } from '../host/process.js';
import type { Check } from './check.js';

/** One installed box: name, provider, version (Vagrant prints them as consecutive box-name/box-provider/box-version records). */
export interface InstalledBox { name: string; provider: string; version: string }

/** The boxes `vagrant box list --machine-readable` reports. */
export function installedBoxes(text: string): InstalledBox[] {
  const out: InstalledBox[] = [];
  for (const r of parseMachineReadable(text)) {
    if (r.type === 'box-name') out.push({ name: r.data[0] ?? '', provider: '', version: '' });
    else if (r.type === 'box-provider' && out.length) out.at(-1)!.provider = r.data[0] ?? '';
    else if (r.type === 'box-version' && out.length) out.at(-1)!.version = r.data[0] ?? '';
  }
  return out;
}

/** `vagrant box add` for the lab's box, provider and pinned version, shell-quoted so it runs as printed. */
export function boxAddCommand(box: string, provider: string, version?: string): string {
  return ['vagrant', 'box', 'add', box, ...(version ? ['--box-version', version] : []), '--provider', provider].map(shellWord).join(' ');
}

/** The box check for a lab: pass when present, warn (vagrant up will download it) with the commands when not. */
export async function boxCheck(lab: ResolvedLab, reg: Registries, runner: Runner): Promise<Check> {
  const { box, boxVersion } = lab.os;
  const provider = lab.provider.name;
  const want = `${box}${boxVersion ? ` ${boxVersion}` : ''} (${provider})`;
  const r = await runner.run('vagrant', ['box', 'list', '--machine-readable']);
  if (r.exitCode !== 0) return { name: 'box', status: 'skip', detail: `cannot list Vagrant's boxes: ${firstLine(r)}` };
  const have = installedBoxes(r.stdout).filter((b) => b.name === box && b.provider === provider);
  if (have.some((b) => !boxVersion || b.version === boxVersion)) return { name: 'box', status: 'pass', detail: `${want} is already downloaded` };
  const choice = reg.os.get(lab.os.family)?.boxes[provider];
  const candidates: { box: string; version?: string }[] = choice ? [{ box: choice.box, ...(choice.version ? { version: choice.version } : {}) }, ...(choice.alternatives ?? [])] : [];
  const alternatives = candidates.filter((a) => a.box !== box);
  const fix = [
    `vagrant up downloads it; if that download fails, run: ${boxAddCommand(box, provider, boxVersion)}`,
    ...alternatives.map((a) => `or use another publisher's build: set os.box: ${a.box}${a.version ? ` and os.boxVersion: "${a.version}"` : ''} in the lab file (${boxAddCommand(a.box, provider, a.version)})`),
  ].join('\n');
  const others = have.map((b) => b.version).filter(Boolean);
  return { name: 'box', status: 'warn', detail: `${want} is not downloaded yet${others.length ? ` (installed: ${others.join(', ')})` : ''}`, fix };
}
