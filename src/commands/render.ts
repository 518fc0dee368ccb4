// `labgen render <lab|file> --out DIR [--force]`: the whole Vagrant project on disk, nothing run.
import type { Argv, CommandModule } from 'yargs';
import { LAB_JSON, resolveOutDir } from '../io/lab-dir.js';
import { labJsonText } from '../io/lab-json.js';
import { withLabLockSync, type LockOptions } from '../io/lock.js';
import { checkWritable, MANIFEST, readSecrets, writeProject, type WriteSummary } from '../io/write-project.js';
import type { ResolvedLab } from '../lab/types.js';
import { createEngine } from '../render/engine.js';
import { renderLab } from '../render/render.js';
import { generateSecrets } from '../render/secrets.js';
import type { RenderedFile } from '../render/types.js';
import type { Registries } from '../registries.js';
import { printJson, type Output } from '../ui/output.js';
import { prepareLab, type PreparedLab } from './prepare.js';
import type { CommandContext } from './context.js';

/** Options shared by render and create. */
export interface RenderOptions { lab: string; out?: string; force?: boolean; adopt?: boolean; cni?: string; provider?: string }

/** Extra files other features add to a rendered lab (the topology picture, ...), registered by cli.ts. */
export type ExtraRenderer = (lab: ResolvedLab) => RenderedFile[];

/** Validates, renders in memory and writes once, holding the lab directory's lock; shared by `render` and `create`. */
export function renderToDisk(opts: RenderOptions, reg: Registries, extras: ExtraRenderer[] = [], lock: LockOptions & { command?: string } = {}): { prepared: PreparedLab; summary: WriteSummary; files: RenderedFile[] } {
  const prepared = prepareLab(opts.lab, { cni: opts.cni, provider: opts.provider }, reg);
  const dir = resolveOutDir(opts.out, prepared.lab.name);
  const write = { force: Boolean(opts.force), adopt: Boolean(opts.adopt), command: lock.command ?? 'render' };
  return withLabLockSync(dir, write.command, () => {
    checkWritable(dir, write);
    const secrets = readSecrets(dir) ?? generateSecrets();
    // labgen.json also records the validated definition, so readers can re-check it by the lab file's own rules.
    const files = [...renderLab(prepared.lab, reg, createEngine(), secrets), ...extras.flatMap((x) => x(prepared.lab))]
      .map((f) => (f.path === LAB_JSON ? { ...f, content: labJsonText(prepared.def, prepared.lab) } : f));
    return { prepared, summary: writeProject(dir, files, write), files };
  }, lock);
}

/** Adds the options render and create share. */
export function labOptions<T>(y: Argv<T>, reg: Registries) {
  return y
    .positional('lab', { type: 'string', demandOption: true, describe: 'a lab name from `labgen list` or the path of a lab file (create also takes a lab directory)' })
    .option('out', { alias: 'o', type: 'string', describe: 'lab directory to write (default: ./<lab name>)' })
    .option('force', { type: 'boolean', default: false, describe: 'overwrite files labgen wrote that you changed since (never files labgen did not write)' })
    .option('adopt', { type: 'boolean', default: false, describe: 'write into an existing non-empty directory labgen did not create; files of yours are never overwritten (your README.md, .gitignore are kept; any other clash is refused)' })
    .option('cni', { type: 'string', choices: reg.cni.names(), describe: 'use this CNI plugin instead of the lab file\'s (with its defaults)' })
    .option('provider', { type: 'string', choices: reg.providers.names(), describe: 'use this Vagrant provider instead of the lab file\'s' })
    .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable summary' });
}

function report(o: Output, ref: string, r: ReturnType<typeof renderToDisk>, json: boolean): void {
  const { prepared, summary, files } = r;
  if (json) {
    printJson(o, { lab: prepared.lab.name, source: prepared.path, dir: summary.dir, created: summary.created, cni: prepared.lab.cni.summary, provider: prepared.lab.provider.name, notices: prepared.notices, files: files.filter((f) => !f.secret).map((f) => f.path), written: summary.written, unchanged: summary.unchanged, removed: summary.removed, kept: summary.kept });
    return;
  }
  for (const n of prepared.notices) o.err(`note: ${n}`);
  // The counts are of the lab's files, the same set both times: labgen's own manifest is not one of them.
  const own = (paths: string[]) => paths.filter((p) => p !== MANIFEST).length;
  o.out(`Rendered ${prepared.lab.name} (${prepared.lab.nodes.length} nodes, ${prepared.lab.os.box}, ${prepared.lab.cni.summary}, ${prepared.lab.provider.name}) into ${summary.dir}`);
  o.out(summary.created ? `  ${own(summary.written)} files written` : `  ${own(summary.written)} files updated, ${own(summary.unchanged)} unchanged${summary.removed.length ? `, ${summary.removed.length} removed` : ''}`);
  if (summary.kept.length) o.out(`  kept your own ${summary.kept.join(', ')} (labgen's version not written)`);
  o.out(`  next: labgen create ${ref} --out ${summary.dir}   (or: cd ${summary.dir} && vagrant up)`);
}

/** The render command. */
export function renderCommand(ctx: CommandContext): CommandModule<object, RenderOptions & { json: boolean }> {
  return {
    command: 'render <lab>',
    describe: 'Write the lab\'s Vagrant project (Vagrantfile, provisioning, kubeadm and CNI files) without running anything',
    builder: (y) => labOptions(y, ctx.reg)
      .example('$0 render flannel-4node --out lab', 'write the article\'s lab into ./lab, then: cd lab && vagrant up')
      .example(`$0 render labs/my-lab.yaml --provider ${ctx.reg.providers.names().at(-1)}`, 'your own lab file, for another provider') as unknown as Argv<RenderOptions & { json: boolean }>,
    handler: (args) => { report(ctx.output, args.lab, renderToDisk(args, ctx.reg, ctx.extraRenderers, { onWait: (h) => ctx.output.err(`waiting for another labgen (${h.command}, PID ${h.pid}, since ${h.since}) to finish with this lab directory...`) }), args.json); },
  };
}
