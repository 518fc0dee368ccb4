// `labgen graph <lab|file|DIR> [--out FILE] [--format svg|mermaid] [--overlay FILE.json]`: the lab's topology picture.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InvalidInputError, UsageError } from '../errors.js';
import { overlayFromVerify, type VerifyRecord } from '../graph/from-verify.js';
import { graphFacts } from '../graph/facts.js';
import { layoutLab } from '../graph/layout.js';
import { toMermaid } from '../graph/mermaid.js';
import { checkOverlay } from '../graph/overlay.js';
import { toSvg } from '../graph/svg.js';
import type { GraphOverlay } from '../graph/types.js';
import type { ResolvedLab } from '../lab/types.js';
import type { VerifyResult } from '../verify/run-verify.js';
import type { CommandContext } from './context.js';
import { prepareLab } from '../pipeline/prepare.js';
import { LAB_JSON, readLabDir, readLabFile } from '../io/lab-dir.js';
import { rewriteGenerated } from '../io/write-project.js';
import { TOPOLOGY_SVG } from '../graph/files.js';

interface GraphArgs { target: string; out?: string; format: 'svg' | 'mermaid'; overlay?: string }

function readJson(path: string, what: string): unknown {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`); }
  try { return JSON.parse(text) as unknown; } catch (e) { throw new UsageError(`${what} ${path} is not JSON: ${(e as Error).message}`); }
}

/** The lab behind a target (a lab directory, a labgen.json, a lab name or file) and, for a verify run's directory, its overlay. */
export function loadGraphTarget(target: string, ctx: CommandContext): { lab: ResolvedLab; overlay?: GraphOverlay } {
  const isDir = existsSync(target) && statSync(target).isDirectory();
  if (isDir && existsSync(join(target, 'verify.json')) && !existsSync(join(target, LAB_JSON))) {
    // A run directory, <lab dir>/captures/<run>/: the lab two levels up, the capture points from the run's report.
    const lab = readLabFile(join(target, '..', '..', LAB_JSON), ctx.reg);
    const checked = checkOverlay(overlayFromVerify(lab, readJson(join(target, 'verify.json'), 'verify report') as VerifyRecord), lab);
    if (!checked.overlay) throw new InvalidInputError(join(target, 'verify.json'), checked.problems);
    return { lab, overlay: checked.overlay };
  }
  if (isDir || (basename(target).endsWith('.json') && existsSync(target))) {
    const file = isDir ? join(target, LAB_JSON) : target;
    if (!existsSync(file)) throw new UsageError(`${target} is not a lab directory: ${file} is missing`, 'render a lab into it first (labgen render <lab> --out DIR), or pass a lab name or lab file');
    // A directory is read as every command reads one (an interrupted render completed first, its state checked).
    return { lab: isDir ? readLabDir(target, ctx.reg).lab : readLabFile(file, ctx.reg) };
  }
  return { lab: prepareLab(target, {}, ctx.reg).lab };
}

function writeAtomically(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`, 'pass --out with a path in an existing, writable directory, or --out - for stdout');
  }
}

/** The graph command. */
export function graphCommand(ctx: CommandContext): CommandModule<object, GraphArgs> {
  return {
    command: 'graph <target>',
    describe: 'Draw the lab: nodes, both NICs, the host-only network, the pod CIDR and the CNI (SVG or Mermaid)',
    builder: (y) => y
      .positional('target', { type: 'string', demandOption: true, describe: 'a lab name, a lab file, a lab directory written by render/create, or a verify run directory (DIR/captures/<run>)' })
      .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'file to write, - for stdout (default: ./<lab name>.svg for svg, stdout for mermaid)' })
      .option('format', { alias: 'f', choices: ['svg', 'mermaid'] as const, default: 'svg' as const, describe: 'picture format' })
      .option('overlay', { type: 'string', describe: 'JSON file { podSlices: [{node, podCidr}], captures: [{point, node, iface, podName?, podIp?, seen}] } to draw too' }) as unknown as Argv<GraphArgs>,
    handler: (args) => {
      const { lab, overlay: runOverlay } = loadGraphTarget(args.target, ctx);
      let overlay = runOverlay;
      if (args.overlay !== undefined) {
        const checked = checkOverlay(readJson(args.overlay, 'overlay'), lab);
        if (!checked.overlay) throw new InvalidInputError(args.overlay, checked.problems);
        overlay = checked.overlay;
      }
      const facts = graphFacts(lab, ctx.reg);
      const text = args.format === 'mermaid' ? toMermaid(lab, overlay, facts) : toSvg(layoutLab(lab, overlay, facts));
      const out = args.out ?? (args.format === 'mermaid' ? '-' : `${lab.name}.svg`);
      if (out === '-') { ctx.output.out(text.replace(/\n$/, '')); return; }
      const path = resolve(out);
      writeAtomically(path, text);
      ctx.output.out(`Wrote ${path} (${lab.name}, ${lab.nodes.length} node${lab.nodes.length === 1 ? '' : 's'}${overlay?.captures?.length ? `, capture points ${overlay.captures.map((c) => c.point).join(' ')}` : ''})`);
    },
  };
}

/** After create: redraws the lab's topology.svg with each node's pod slice, as the running cluster allocated them. */
export function graphReadyHook(lab: ResolvedLab, dir: string, podSlices: { node: string; podCidr: string }[]): void {
  if (podSlices.length) rewriteGenerated(dir, TOPOLOGY_SVG, toSvg(layoutLab(lab, { podSlices })));
}

/** Verify hook (registered in cli.ts): writes the run's picture, A-D marked with what each saw, as <run dir>/topology.svg. */
export function graphVerifyHook(lab: ResolvedLab, runDir: string, result: VerifyResult): void {
  writeAtomically(join(runDir, 'topology.svg'), toSvg(layoutLab(lab, overlayFromVerify(lab, result))));
}
