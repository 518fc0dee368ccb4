// `npm run bench`: labgen's bring-up against a plain sequential `vagrant up` of the same Vagrantfile, with the fake
// vagrant (test/fakes) sleeping a per-phase cost set here, for 4 and 16 nodes; prints both wall times, the ratio, and
// for each run its critical path phase by phase (scripts/bench-critical-path.ts) with the modelled time beside the
// measured one. Then runs scripts/bench-capture.ts's main() when that file exists.
// `node dist/scripts/bench.js orchestration` (or `capture`) runs one part only.
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
import { byKind, criticalPath, recordingRunner, type CriticalPath, type Mark } from './bench-critical-path.js';

/** Per-phase costs in ms (1 minute of a real VirtualBox lab ~ 100 ms): box import once, clone, boot, each step. */
export const COSTS = { default: { import: 400, clone: 50, boot: 300, step: 40 } };

function labFile(dir: string, nodes: number, cp = 'master'): string {
  const base = readFileSync(join(repoRoot(), 'labs/flannel-4node.yaml'), 'utf8');
  const head = base.slice(0, base.indexOf('\nnodes:'));
  const lines = [`  - { name: ${cp}, hostname: ${cp}.lab.com, role: control-plane, ip: 10.0.0.1 }`];
  for (let i = 1; i < nodes; i++) lines.push(`  - { name: worker${i}, hostname: worker${i}.lab.com, role: worker, ip: 10.0.0.${i + 1} }`);
  const p = join(dir, `bench-${nodes}-${cp}.yaml`);
  writeFileSync(p, `${head.replace(/^name: .*$/m, `name: bench-${nodes}-${cp}`)}\nnodes:\n${lines.join('\n')}\n`);
  return p;
}

interface Measured { ms: number; path: CriticalPath }

/**
 * `cold`: the first lab on a host, whose first machine imports the box. `warm`: every later lab: Vagrant keeps the
 * box's imported master VM for linked clones (plugins/providers/virtualbox/action/import_master.rb reads the box's
 * `master_id` and skips the import when that VM exists) and the host-only interface, so an earlier lab on the same
 * fake host (one machine, not provisioned) has done both before the clock starts.
 */
type Host = 'cold' | 'warm';

async function measure(nodes: number, mode: 'sequential' | 'labgen', host: Host): Promise<Measured> {
  const h = fakeHost(['vagrant']);
  const reg = defaultRegistries();
  const dir = join(h.work, 'lab');
  const { prepared } = renderToDisk({ lab: labFile(h.work, nodes), out: dir }, reg);
  const env = h.env({ FAKE_VAGRANT_MS: JSON.stringify(COSTS) });
  if (host === 'warm') {
    const earlier = join(h.work, 'earlier-lab');
    const e = renderToDisk({ lab: labFile(h.work, 1, 'earlier'), out: earlier }, reg).prepared.lab;
    const r = await vagrantUp(execaRunner(env), earlier, ['earlier'], { provider: reg.providers.require(e.provider.name).vagrantName, provision: 'never', parallel: false }, {});
    if (r.exitCode !== 0) throw new Error(`warming the host failed: ${r.stderr}`);
  }
  const marks: Mark[] = [];
  const runner = recordingRunner(execaRunner(env), () => performance.now(), marks);
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
  const ms = performance.now() - t0;
  return { ms, path: criticalPath(marks, prepared.lab.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name), COSTS.default) };
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function printPath(title: string, p: CriticalPath, full: boolean): void {
  console.log(`  ${title}: critical path ${sec(p.measured)} measured, ${sec(p.modelled)} in the model`);
  if (full) {
    console.log(`    ${'start'.padStart(7)}  ${'measured'.padStart(8)}  ${'model'.padStart(6)}  node      phase`);
    for (const ph of p.phases) {
      if (ph.ms < 1 && ph.model === 0) continue;
      console.log(`    ${sec(ph.start).padStart(7)}  ${`${Math.round(ph.ms)} ms`.padStart(8)}  ${`${ph.model} ms`.padStart(6)}  ${ph.node.padEnd(8)}  ${ph.phase}`);
    }
  }
  console.log(`    by kind: ${byKind(p).map((k) => `${k.kind} ${Math.round(k.ms)} ms (model ${k.model})`).join(', ')}`);
}

/** Runs the orchestration benchmark (and the capture benchmark when present); prints a table. */
export async function main(part = process.argv[2]): Promise<void> {
  if (part !== 'capture') await orchestration();
  if (part === 'orchestration') return;
  const capture = join(dirname(fileURLToPath(import.meta.url)), 'bench-capture.js');
  if (existsSync(capture)) {
    const m = (await import(pathToFileURL(capture).href)) as { main?: () => Promise<void> | void };
    if (typeof m.main === 'function') await m.main();
  }
}

async function orchestration(): Promise<void> {
  console.log('Orchestration benchmark: fake vagrant (VirtualBox behaviour), costs per node in ms:', JSON.stringify(COSTS.default));
  console.log('cold: the first lab on the host imports the box; warm: a later lab, the box\'s master VM already imported');
  const rows: string[] = [];
  for (const host of ['cold', 'warm'] as const) {
    for (const n of [4, 16]) {
      const seq = await measure(n, 'sequential', host);
      const lg = await measure(n, 'labgen', host);
      console.log(`${n} nodes, ${host} host:`);
      printPath('sequential vagrant up', seq.path, false);
      printPath('labgen bring-up', lg.path, true);
      rows.push(`${host}  ${String(n).padEnd(5)}  ${sec(seq.ms).padEnd(21)}  ${sec(lg.ms).padEnd(24)}  ${`${(lg.ms / seq.ms).toFixed(3)} (${(seq.ms / lg.ms).toFixed(1)}x)`.padEnd(14)}  ${(lg.path.modelled / seq.path.modelled).toFixed(3)}`);
    }
  }
  console.log('host  nodes  sequential vagrant up  labgen create (bring-up)  ratio measured  ratio modelled (critical paths)');
  for (const r of rows) console.log(r);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exitCode = 1; });
}
