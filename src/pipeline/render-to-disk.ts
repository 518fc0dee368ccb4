// The render half of the pipeline every command shares: prepare the lab, render it in memory, write it once under the lab's lock.
import { LAB_JSON, resolveOutDir } from '../io/lab-dir.js';
import { labJsonText } from '../io/lab-json.js';
import { withLabLockSync, type LockOptions } from '../io/lock.js';
import { checkWritable, readSecrets, writeProject, type WriteSummary } from '../io/write-project.js';
import type { ResolvedLab } from '../lab/types.js';
import { createEngine } from '../render/engine.js';
import { renderLab } from '../render/render.js';
import { generateSecrets } from '../render/secrets.js';
import type { RenderedFile } from '../render/types.js';
import type { Registries } from '../registries.js';
import { prepareLab, type PreparedLab } from './prepare.js';

/** Options shared by render and create. */
export interface RenderOptions { lab: string; out?: string; force?: boolean; adopt?: boolean; cni?: string; provider?: string }

/** Extra files other features add to a rendered lab (the topology picture, ...), registered by cli.ts. */
export type ExtraRenderer = (lab: ResolvedLab) => RenderedFile[];

/** What renderToDisk wrote. */
export interface RenderedToDisk { prepared: PreparedLab; summary: WriteSummary; files: RenderedFile[] }

/** Validates, renders in memory and writes once, holding the lab directory's lock; shared by `render` and `create`. */
export function renderToDisk(opts: RenderOptions, reg: Registries, extras: ExtraRenderer[] = [], lock: LockOptions & { command?: string } = {}): RenderedToDisk {
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
