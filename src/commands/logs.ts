// `labgen logs [DIR] [--out FILE]`: one .tar.gz with everything needed to see why a lab failed, secrets redacted.
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InterruptedError, LabgenError, UsageError } from '../errors.js';
import { realHostDeps } from '../host/deps.js';
import { parseDuration } from '../create/timeout.js';
import { readLabDir } from '../io/lab-dir.js';
import { readSecrets } from '../io/write-project.js';
import { withLabLock } from '../lifecycle/lab-lock.js';
import { collect } from '../logs/collect.js';
import { tarGz } from '../logs/tar.js';
import { printJson } from '../ui/output.js';
import type { CommandContext } from './context.js';

interface LogsArgs { dir: string; out?: string; json: boolean; timeout: string }

/** The archive's default path: the lab's logs/ directory, named by the time (UTC). */
export function defaultArchivePath(dir: string, now: Date): string {
  return join(dir, 'logs', `labgen-logs-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz`);
}

/** Checks --out before anything runs: a new file in an existing directory (exit 2 otherwise). */
function checkOut(path: string): void {
  const parent = dirname(path);
  const fix = 'pass --out with a new file name in an existing directory, e.g. --out ./lab-logs.tar.gz';
  let st;
  try { st = lstatSync(path); } catch { st = undefined; }
  if (st) throw new UsageError(`--out ${path} already exists${st.isDirectory() ? ' and is a directory' : ''}`, fix);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`--out ${path}: ${parent} is not a directory`, fix);
}

/** Runs logs; throws typed errors for the CLI's single catch. */
export async function runLogs(ctx: CommandContext, args: LogsArgs): Promise<void> {
  const deps = ctx.host ?? realHostDeps(ctx.env);
  const nodeTimeoutMs = parseDuration('timeout', args.timeout);
  const { dir, lab } = readLabDir(args.dir, ctx.reg);
  const now = new Date(deps.clock.now());
  const out = args.out !== undefined ? resolve(args.out) : defaultArchivePath(dir, now);
  if (args.out !== undefined) checkOut(out);
  const provider = ctx.reg.providers.require(lab.provider.name);
  const cni = ctx.reg.cni.require(lab.cni.plugin);
  await withLabLock(dir, 'logs', async () => {
    const interrupt = new AbortController();
    const off = deps.onInterrupt(() => interrupt.abort());
    let got: Awaited<ReturnType<typeof collect>>;
    try {
      if (!args.json) ctx.output.out(`Collecting the logs of ${lab.name} (${lab.nodes.length} nodes; up to ${Math.round(nodeTimeoutMs / 1000)}s per node)`);
      got = await collect({ dir, lab, provider, cni, runner: deps.runner, secrets: readSecrets(dir), nodeTimeoutMs, signal: interrupt.signal, now });
    } finally { off(); }
    if (interrupt.signal.aborted) throw new InterruptedError('every command was stopped and waited for; no archive was written.');
    if (args.out === undefined) {
      // The lab's logs/ directory, as node-log.ts makes it (one level: the lab directory exists).
      if (!existsSync(dirname(out))) mkdirSync(dirname(out), { mode: 0o700 });
      // Never write through a symlink planted in the lab directory.
      if (!lstatSync(dirname(out)).isDirectory()) throw new UsageError(`${dirname(out)} is not a directory of the lab (a symlink?)`, 'remove it, or pass --out with a new file name elsewhere');
      checkOut(out);
    }
    const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, tarGz(got.members), { mode: 0o600, flag: 'wx' });
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new LabgenError(`writing the archive ${out} failed: ${(e as Error).message}`, 1);
    }
    if (args.json) { printJson(ctx.output, { lab: lab.name, dir, archive: out, members: got.members.length, notCollected: got.notes }); return; }
    for (const n of got.notes) ctx.output.out(`  not collected: ${n}`);
    ctx.output.out(`Wrote ${out} (${got.members.length} files, secrets redacted${got.notes.length ? `; ${got.notes.length} not collected, listed in its README.txt` : ''})`);
  });
}

/** The logs command. */
export function logsCommand(ctx: CommandContext): CommandModule<object, LogsArgs> {
  return {
    command: 'logs [dir]',
    describe: 'Collect every node\'s logs, journals, addresses and routes, the cluster\'s state and the host\'s versions into one .tar.gz (secrets redacted)',
    builder: (y) => y
      .positional('dir', { type: 'string', default: '.', describe: 'the lab directory' })
      .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'archive to write (default: <dir>/logs/labgen-logs-<UTC time>.tar.gz)' })
      .option('timeout', { type: 'string', default: '2m', describe: 'how long one node or kubectl call may take before it is noted as not answering' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' })
      .example('$0 logs flannel-4node --out lab-logs.tar.gz', 'one archive to attach to a bug report') as unknown as Argv<LogsArgs>,
    handler: (args) => runLogs(ctx, args),
  };
}
