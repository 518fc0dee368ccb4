// `labgen cache info|clear [--json]`: where the host-side download cache is, how big, what its last run fetched
// upstream and served from the cache per node; and emptying it (only its own files, never through a link).
import type { Argv, CommandModule } from 'yargs';
import { cacheDir } from '../cache/dir.js';
import type { CacheRunRecord } from '../cache/lab-cache.js';
import { cacheInfo, clearCache } from '../cache/store.js';
import { printJson } from '../ui/output.js';
import type { CommandContext } from './context.js';

interface CacheArgs { action: 'info' | 'clear'; json: boolean }

const MiB = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

function runInfo(ctx: CommandContext, json: boolean): void {
  const info = cacheInfo(cacheDir(ctx.env));
  if (json) { printJson(ctx.output, info); return; }
  const o = ctx.output;
  o.out(`download cache: ${info.dir}${info.exists ? '' : ' (empty: nothing cached yet)'}`);
  o.out(`entries: ${info.entries}, size: ${MiB(info.bytes)}`);
  const last = info.lastRun as CacheRunRecord | undefined;
  if (!last || typeof last !== 'object' || !last.clients) return;
  o.out(`last run: labgen ${last.command} ${last.lab} on ${last.address}, ${last.started} - ${last.stopped ?? '?'}`);
  o.out(`  fetched from upstream ${MiB(last.fetchedUpstream)}, served from the cache ${MiB(last.servedFromCache)}, served in all ${MiB(last.served)}`);
  for (const [ip, c] of Object.entries(last.clients)) o.out(`  ${ip}: ${c.requests} requests, ${MiB(c.fetchedUpstream)} from upstream, ${MiB(c.servedFromCache)} from the cache`);
  if (last.corruptDropped) o.out(`  ${last.corruptDropped} cached file(s) did not match their repository's metadata: removed and fetched again`);
  if (last.mismatchRefused) o.out(`  ${last.mismatchRefused} download(s) did not match their repository's metadata: not served`);
}

function runClear(ctx: CommandContext, json: boolean): void {
  const dir = cacheDir(ctx.env);
  const r = clearCache(dir);
  if (json) { printJson(ctx.output, { dir, ...r }); return; }
  ctx.output.out(`download cache ${dir}: removed ${r.removed} file(s), ${MiB(r.bytes)}`);
  for (const k of r.kept) ctx.output.out(`kept (not the cache's own): ${k}`);
}

/** The cache command. */
export function cacheCommand(ctx: CommandContext): CommandModule<object, CacheArgs> {
  return {
    command: 'cache <action>',
    describe: 'Show (info) or empty (clear) the host-side download cache every lab\'s nodes share',
    builder: (y) => y
      .positional('action', { choices: ['info', 'clear'] as const, describe: 'info: where it is, its size and the last run\'s bytes per node; clear: remove its files' })
      .option('json', { type: 'boolean', default: false, describe: 'print a machine-readable document' })
      .example('$0 cache info --json', 'the cache and what its last run fetched upstream and served per node')
      .example('$0 cache clear', 'empty it (the next create downloads everything again)') as unknown as Argv<CacheArgs>,
    handler: (args) => (args.action === 'info' ? runInfo(ctx, args.json) : runClear(ctx, args.json)),
  };
}
