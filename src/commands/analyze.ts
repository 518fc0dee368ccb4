import type { CommandModule } from 'yargs';
import type { FileAnalysis } from '../capture/analysis.js';
import { analyzeFile, formatAnalysis } from '../capture/analyze-file.js';
import { LabgenError, UsageError } from '../errors.js';
import { VXLAN_PORTS } from '../capture/vxlan.js';
import type { CommandContext } from './context.js';

/** Arguments of `labgen analyze`. */
export interface AnalyzeArgs {
  pcap: string[];
  json: boolean;
  /** Extra UDP ports to decode as VXLAN, besides 8472 (Linux) and 4789 (IANA). */
  vxlanPort?: number[];
}

/** `labgen analyze <pcap..>`: decodes captures (no lab needed) and reports their flows: encapsulation, endpoints, VNI, ping counts. */
export function analyzeCommand(ctx: Pick<CommandContext, 'output'>): CommandModule<object, AnalyzeArgs> {
  return {
  command: 'analyze <pcap..>',
  describe: 'Report the flows in pcap/pcapng captures: vxlan, ipip or plain, outer and inner addresses, VNI, echo counts',
  builder: (yargs) => yargs
    .positional('pcap', { type: 'string', array: true, demandOption: true, describe: 'capture files (pcap or pcapng)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON array of per-file analyses' })
    .option('vxlan-port', { type: 'number', array: true, describe: 'also decode this UDP port as VXLAN (8472 and 4789 always are)' })
    .example('$0 analyze A.pcap B.pcap C.pcap D.pcap', 'see where the pod-to-pod ping is encapsulated'),
  handler: async (args) => {
    await runAnalyze(args, (text) => ctx.output.out(text.replace(/\n$/, '')));
  },
  };
}

/** The command's work, with output injected so tests can run it without a terminal. */
export async function runAnalyze(args: AnalyzeArgs, write: (text: string) => void): Promise<FileAnalysis[]> {
  const files = (args.pcap ?? []).map(String);
  if (files.length === 0) throw new UsageError('analyze needs at least one capture file', 'usage: labgen analyze <pcap..> [--json]');
  const extra = (args.vxlanPort ?? []).map(Number);
  const bad = extra.filter((p) => !Number.isInteger(p) || p < 1 || p > 65535);
  if (bad.length) throw new UsageError(`--vxlan-port ${bad.join(', ')} is not a UDP port`, 'pass a port from 1 to 65535, e.g. --vxlan-port 8472');
  const options = extra.length ? { vxlanPorts: [...new Set([...VXLAN_PORTS, ...extra])] } : {};
  const results: FileAnalysis[] = [];
  const failures: LabgenError[] = [];
  // --json is streamed: one file's entry at a time (each bounded by MAX_FLOWS), held back only until the next shows
  // whether a comma follows, so the output is one JSON array without building it whole. A file that could not be
  // analyzed is an entry `{ file, error: { exitCode, message } }` in its place, so the array stays the one document.
  let pending: string | undefined;
  const emit = (entry: unknown): void => {
    write(pending === undefined ? '[\n' : `${pending},\n`);
    pending = JSON.stringify(entry, null, 2).replace(/^/gm, '  ');
  };
  const failedFiles: string[] = [];
  for (const file of files) {
    let analysis: FileAnalysis;
    try {
      analysis = await analyzeFile(file, options);
    } catch (e) {
      // A bad file among several: say so at the end, after every other file is reported.
      if (!(e instanceof LabgenError)) throw e;
      failures.push(e);
      failedFiles.push(file);
      // The first entries wait until a file is analyzed: with none, the error alone is the answer (the CLI's document).
      if (args.json && pending !== undefined) emit({ file, error: { exitCode: e.exitCode, message: e.message } });
      continue;
    }
    if (args.json && pending === undefined) failures.forEach((f, i) => { emit({ file: failedFiles[i], error: { exitCode: f.exitCode, message: f.message } }); });
    results.push(analysis);
    if (args.json) emit(analysis);
    else write(`${results.length > 1 ? '\n' : ''}${formatAnalysis(analysis)}\n`);
  }
  const printed = args.json && pending !== undefined;
  if (printed) write(`${pending}\n]\n`);
  if (failures.length === 1 && files.length === 1) throw failures[0]!;
  if (failures.length) {
    const code = failures.every((f) => f.exitCode === 2) ? 2 : 1;
    const error = new LabgenError(`${failures.length} of ${files.length} captures could not be analyzed${results.length ? ' (the others are reported above)' : ''}`, code,
      [...failures.map((f) => `  ${f.message}`), 'labgen analyze takes paths to pcap or pcapng files, e.g. `labgen analyze B.pcap C.pcap`'].join('\n'));
    throw printed ? error.withJsonPrinted() : error;
  }
  return results;
}
