// All-or-nothing updates of a lab directory, whatever moment labgen is killed at (kill -9 included):
// 1. every new file is written into a private staging directory labgen creates (.labgen/stage-XXXXXX, mode 0700,
//    on the lab's own file system, so renames out of it are atomic), never beside its target;
// 2. the journal (.labgen/journal.json: the planned renames and removals) is written there and renamed into place:
//    that rename is the commit point;
// 3. the renames and removals are applied, then the journal and the staging directory are removed.
// The next command that finds a journal completes it (every step is idempotent); a staging directory without a
// journal is an update that never committed, and is removed (the old lab is untouched). No `*.labgen-tmp` file is
// ever created beside a lab's files, so none can be left over, and none planted can be written through.
import { closeSync, fsyncSync, lstatSync, mkdtempSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { MANIFEST, STATE_DIR } from './manifest.js';
import { checkInLab, ensureDirInLab, readInLab, relPathProblem } from './safe-path.js';

/** The journal of an update that was committed but maybe not completed. */
export const JOURNAL = '.labgen/journal.json';

/** One file to put in place. */
export interface Change { path: string; content: string | Buffer; mode: number }

/** An update of a lab directory: files to write (atomically each, and all-or-nothing together) and files to remove. */
export interface UpdatePlan { write: Change[]; remove: string[] }

interface Journal { labgen: 1; stage: string; renames: { from: string; to: string }[]; remove: string[] }

/** Mode of a directory labgen creates in a lab directory: secrets/ is private, the rest readable. */
export function dirModeFor(rel: string): number { return rel.split('/')[0] === 'secrets' ? 0o700 : 0o755; }

function lexists(p: string): boolean { try { lstatSync(p); return true; } catch { return false; } }

function writeNew(path: string, content: string | Buffer, mode: number, sync = false): void {
  const fd = openSync(path, 'wx', mode);
  try { writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content); if (sync) fsyncSync(fd); } finally { closeSync(fd); }
  chmodSync(path, mode);
}

/** Applies an update all-or-nothing (see the file's comment). Call with the lab's lock held. */
export function commitUpdate(dir: string, plan: UpdatePlan): void {
  ensureDirInLab(dir, STATE_DIR, 0o755);
  const stage = mkdtempSync(join(dir, STATE_DIR, 'stage-'));
  chmodSync(stage, 0o700);
  let committed = false;
  try {
    const renames = plan.write.map((c, i) => { writeNew(join(stage, String(i)), c.content, c.mode); return { from: String(i), to: c.path }; });
    const journal: Journal = { labgen: 1, stage: basename(stage), renames, remove: plan.remove };
    writeNew(join(stage, 'journal'), `${JSON.stringify(journal)}\n`, 0o644, true);
    renameSync(join(stage, 'journal'), join(dir, JOURNAL));
    committed = true;
    applyJournal(dir, journal);
  } finally {
    if (!committed) rmSync(stage, { recursive: true, force: true });
  }
}

function applyJournal(dir: string, j: Journal): void {
  const stage = join(dir, STATE_DIR, j.stage);
  for (const r of j.renames) {
    const from = join(stage, r.from);
    if (!lexists(from)) continue; // renamed by the run that was interrupted
    checkInLab(dir, r.to, 'file');
    const parent = dirname(r.to);
    if (parent !== '.') ensureDirInLab(dir, parent, dirModeFor(r.to));
    if (r.to.split('/')[0] === 'secrets') chmodSync(join(dir, 'secrets'), 0o700);
    renameSync(from, join(dir, r.to));
  }
  for (const p of j.remove) {
    if (checkInLab(dir, p, 'file')) unlinkSync(join(dir, p));
    pruneEmptyParents(dir, p);
  }
  unlinkSync(join(dir, JOURNAL));
  rmSync(stage, { recursive: true, force: true });
}

/** Removes the directories of a removed file that are now empty (never the lab directory itself). */
export function pruneEmptyParents(dir: string, rel: string): void {
  for (let p = dirname(rel); p !== '.' && p !== ''; p = dirname(p)) {
    try { if (!lstatSync(join(dir, p)).isDirectory()) return; rmdirSync(join(dir, p)); } catch { return; }
  }
}

function journalProblem(v: unknown): string | undefined {
  const j = v as Partial<Journal> | null;
  if (typeof j !== 'object' || j === null || j.labgen !== 1) return 'not a labgen journal';
  if (typeof j.stage !== 'string' || !/^stage-[A-Za-z0-9]{6}$/.test(j.stage)) return 'stage: not a labgen staging directory';
  if (!Array.isArray(j.renames) || !Array.isArray(j.remove) || j.renames.length > 10_000 || j.remove.length > 10_000) return 'renames/remove: must be arrays';
  for (const r of j.renames) {
    if (typeof r !== 'object' || r === null || typeof r.from !== 'string' || !/^\d{1,6}$/.test(r.from)) return 'renames[].from: not a staged file';
    const bad = relPathProblem(r.to) ?? (r.to.startsWith(`${STATE_DIR}/`) && r.to !== MANIFEST && !r.to.startsWith(`${STATE_DIR}/nodes/`) ? 'is inside .labgen/' : undefined);
    if (bad) return `renames[].to ${JSON.stringify(String(r.to).slice(0, 80))}: ${bad}`;
  }
  for (const p of j.remove) { const bad = relPathProblem(p); if (bad) return `remove ${JSON.stringify(String(p).slice(0, 80))}: ${bad}`; }
  return undefined;
}

/** Whether an update of this lab directory was interrupted (a journal or a staging directory is left). */
export function interruptedUpdate(dir: string): boolean {
  try {
    if (!lstatSync(join(dir, STATE_DIR)).isDirectory()) return false;
    return readdirSync(join(dir, STATE_DIR)).some((n) => n === basename(JOURNAL) || n.startsWith('stage-'));
  } catch { return false; }
}

/** Completes a committed update (journal present) or drops an uncommitted one (staging directory only).
 * Call with the lab's lock held, before reading or writing the lab directory. */
export function recoverUpdate(dir: string): 'completed' | 'rolled-back' | 'none' {
  if (!checkInLab(dir, STATE_DIR, 'dir')) return 'none';
  let result: 'completed' | 'rolled-back' | 'none' = 'none';
  const buf = readInLab(dir, JOURNAL);
  if (buf) {
    let j: unknown;
    try { j = JSON.parse(buf.toString('utf8')); } catch { j = undefined; }
    const bad = journalProblem(j);
    if (bad) {
      throw new UsageError(`${dir}/${JOURNAL} is corrupt (${bad}), so an interrupted update cannot be completed`,
        `fix: remove ${dir}/${JOURNAL} and ${dir}/${STATE_DIR}/stage-*, then render the lab again (labgen render <lab> --out ${dir})`);
    }
    applyJournal(dir, j as Journal);
    result = 'completed';
  }
  for (const n of readdirSync(join(dir, STATE_DIR))) {
    if (!n.startsWith('stage-')) continue;
    const p = join(dir, STATE_DIR, n);
    if (lstatSync(p).isDirectory()) { rmSync(p, { recursive: true, force: true }); if (result === 'none') result = 'rolled-back'; }
  }
  return result;
}
