// `labgen render <lab|file> --out DIR [--force]`: the whole Vagrant project on disk, nothing run (src/pipeline/ does the work).
import type { Argv, CommandModule } from 'yargs';
import { MANIFEST } from '../io/write-project.js';
import { renderToDisk, type RenderedToDisk, type RenderOptions } from '../pipeline/render-to-disk.js';
import type { Registries } from '../registries.js';
import { printJson, type Output } from '../ui/output.js';
import type { CommandContext } from './context.js';

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

function report(o: Output, ref: string, r: RenderedToDisk, json: boolean): void {
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
