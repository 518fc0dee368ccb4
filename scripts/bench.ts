// `npm run bench`: labgen's bring-up against a plain sequential `vagrant up` of the same Vagrantfile, with the fake
// vagrant (test/fakes) sleeping a per-phase cost set here, for 4 and 16 nodes; prints both wall times and the ratio.
// Then runs scripts/bench-capture.ts's main() when that file exists.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderToDisk } from '../src/pipeline/render-to-disk.js';
import { bringUp } from '../src/create/bring-up.js';
import { realClock } from '../src/host/clock.js';
import { defaultRegistries } from '../src/registries.js';
import { silentReporter } from '../src/ui/reporter.js';
import { execaRunner } from '../src/host/real-process.js';
import { vagrantUp } from '../src/vagrant/vagrant.js';
import { fakeHost, repoRoot } from '../test/fakes/fake-bin.js';

/** Per-phase costs in ms (1 minute of a real VirtualBox lab ~ 100 ms): box import once, clone, boot, each step. */
export const COSTS = { default: { import: 400, clone: 50, boot: 300, step: 40 } };

function labFile(dir: string, nodes: number): string {
  const base = readFileSync(join(repoRoot(), 'labs/flannel-4node.yaml'), 'utf8');
  const head = base.slice(0, base.indexOf('\nnodes:'));
  const lines = ['  - { name: master, hostname: master.lab.com, role: control-plane, ip: 10.0.0.1 }'];
  for (let i = 1; i < nodes; i++) lines.push(`  - { name: worker${i}, hostname: worker${i}.lab.com, role: worker, ip: 10.0.0.${i + 1} }`);
  const p = join(dir, `bench-${nodes}.yaml`);
  writeFileSync(p, `${head.replace(/^name: .*$/m, `name: bench-${nodes}`)}\nnodes:\n${lines.join('\n')}\n`);
  return p;
}

async function measure(nodes: number, mode: 'sequential' | 'labgen'): Promise<number> {
  const h = fakeHost(['vagrant']);
  const reg = defaultRegistries();
  const dir = join(h.work, 'lab');
  const { prepared } = renderToDisk({ lab: labFile(h.work, nodes), out: dir }, reg);
  const env = h.env({ FAKE_VAGRANT_MS: JSON.stringify(COSTS) });
  const runner = execaRunner(env);
  const t0 = performance.now();
  if (mode === 'sequential') {
    const r = await vagrantUp(runner, dir, [], { provider: reg.providers.require(prepared.lab.provider.name).vagrantName, provision: 'default', parallel: false }, {});
    if (r.exitCode !== 0) throw new Error(`sequential vagrant up failed: ${r.stderr}`);
  } else {
    const lab = prepared.lab;
    const r = await bringUp({ dir, lab, provider: reg.providers.require(lab.provider.name), runner, clock: realClock, reporter: silentReporter(), signal: new AbortController().signal, secrets: [] });
    const bad = r.nodes.filter((n) => n.status !== 'done');
    if (bad.length) throw new Error(`labgen bring-up failed: ${bad.map((n) => `${n.name} ${n.status} ${n.step}`).join(', ')}`);
  }
  return performance.now() - t0;
}

/** Runs the orchestration benchmark (and the capture benchmark when present); prints a table. */
export async function main(): Promise<void> {
  console.log('Orchestration benchmark: fake vagrant (VirtualBox behaviour), costs per node in ms:', JSON.stringify(COSTS.default));
  console.log('nodes  sequential vagrant up  labgen create (bring-up)  ratio');
  for (const n of [4, 16]) {
    const seq = await measure(n, 'sequential');
    const lg = await measure(n, 'labgen');
    console.log(`${String(n).padEnd(5)}  ${`${(seq / 1000).toFixed(2)} s`.padEnd(21)}  ${`${(lg / 1000).toFixed(2)} s`.padEnd(24)}  ${(seq / lg).toFixed(1)}x`);
  }
  const capture = join(dirname(fileURLToPath(import.meta.url)), 'bench-capture.js');
  if (existsSync(capture)) {
    const m = (await import(pathToFileURL(capture).href)) as { main?: () => Promise<void> | void };
    if (typeof m.main === 'function') await m.main();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exitCode = 1; });
}
