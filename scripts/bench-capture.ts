// Capture benchmark: writes a large synthetic VXLAN capture (flannel's UDP 8472, VNI 1, pod pings) to the temp dir,
// streaming, then times `labgen analyze`'s analyzeFile (in a child process) against `tcpdump -nn -r FILE >/dev/null`
// and tshark's decode of the same file, in the same run, and prints wall and CPU times, peak RSS and the ratios.
// Never imported by src/.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One tool's best run: wall time, CPU time (user + system, from /usr/bin/time when present) and peak RSS. */
export interface ToolFigures { wallMs: number; cpuMs?: number; peakRssMb?: number }

/** What one benchmark run measured; main() returns it so the overall bench can reuse the figures. */
export interface CaptureBenchResult {
  file: string;
  bytes: number;
  packets: number;
  rounds: number;
  labgen: ToolFigures;
  /** labgen on a capture a quarter of the size: peak memory must not grow with the file. */
  labgenQuarter: ToolFigures;
  tcpdump?: ToolFigures;
  tshark?: ToolFigures;
}

const FLOWS = 16;
const ICMP_PAYLOAD = 56;

/** One flannel VXLAN frame: node 10.0.0.2 <-> 10.0.0.3 on UDP 8472, VNI 1, carrying a pod ICMP echo (148 bytes). */
function vxlanFrame(flow: number, seq: number, reply: boolean): Buffer {
  const inner = Buffer.alloc(14 + 20 + 8 + ICMP_PAYLOAD);
  inner.set([0x0a, 0x58, 0x0a, 0xf4, reply ? 1 : 2, 0x02, 0x0a, 0x58, 0x0a, 0xf4, reply ? 2 : 1, 0x02], 0);
  inner.writeUInt16BE(0x0800, 12);
  const podA = [10, 244, 1, 2 + flow];
  const podB = [10, 244, 2, 2 + flow];
  ipv4Header(inner, 14, 20 + 8 + ICMP_PAYLOAD, 1, reply ? podB : podA, reply ? podA : podB);
  inner[34] = reply ? 0 : 8;
  inner.writeUInt16BE(0x1000 + flow, 38);
  inner.writeUInt16BE(seq & 0xffff, 40);
  const outerLength = 20 + 8 + 8 + inner.length;
  const frame = Buffer.alloc(14 + outerLength);
  frame.set([0x08, 0x00, 0x27, 0, 0, reply ? 2 : 3, 0x08, 0x00, 0x27, 0, 0, reply ? 3 : 2], 0);
  frame.writeUInt16BE(0x0800, 12);
  const nodeA = [10, 0, 0, 2];
  const nodeB = [10, 0, 0, 3];
  ipv4Header(frame, 14, outerLength, 17, reply ? nodeB : nodeA, reply ? nodeA : nodeB);
  frame.writeUInt16BE(40000 + flow, 34);
  frame.writeUInt16BE(8472, 36);
  frame.writeUInt16BE(8 + 8 + inner.length, 38);
  frame[42] = 0x08;
  frame.writeUIntBE(1, 46, 3);
  inner.copy(frame, 50);
  return frame;
}

function ipv4Header(buf: Buffer, at: number, totalLength: number, protocol: number, src: number[], dst: number[]): void {
  buf[at] = 0x45;
  buf.writeUInt16BE(totalLength, at + 2);
  buf[at + 8] = 64;
  buf[at + 9] = protocol;
  buf.set(src, at + 12);
  buf.set(dst, at + 16);
}

/** Streams a classic pcap of about `megabytes` MiB to `path` in 4 MiB batches; returns the packet count. */
export async function writeSyntheticCapture(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  out.write(header);
  const frames = Array.from({ length: FLOWS * 2 }, (_, i) => vxlanFrame(i >> 1, 0, (i & 1) === 1));
  const recordSize = 16 + (frames[0]?.length ?? 0);
  const target = megabytes * 1024 * 1024;
  const batchRecords = Math.floor((4 * 1024 * 1024) / recordSize);
  let packets = 0;
  let seconds = 1_780_000_000;
  while (packets * recordSize < target) {
    const records = Math.min(batchRecords, Math.ceil((target - packets * recordSize) / recordSize));
    const batch = Buffer.allocUnsafe(records * recordSize);
    for (let r = 0; r < records; r++, packets++) {
      const frame = frames[packets % frames.length] as Buffer;
      const at = r * recordSize;
      if (packets % 1000 === 0) seconds++;
      batch.writeUInt32LE(seconds, at);
      batch.writeUInt32LE(packets % 1_000_000, at + 4);
      batch.writeUInt32LE(frame.length, at + 8);
      batch.writeUInt32LE(frame.length, at + 12);
      frame.copy(batch, at + 16);
      batch.writeUInt16BE((packets >> 5) & 0xffff, at + 16 + 50 + 40); // ICMP sequence inside the inner packet
    }
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return packets;
}

/** Runs a command to completion; with GNU time also its CPU time and peak RSS. */
async function timed(command: string, args: string[], discardStdout = false): Promise<{ figures: ToolFigures; stdout: string }> {
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, argv] = gnuTime ? ['/usr/bin/time', ['-f', 'labgen-bench-time=%U %S %M', command, ...args]] : [command, args];
  const start = performance.now();
  // The baseline is `tcpdump -nn -r FILE >/dev/null`: its decode goes to /dev/null itself, not through a pipe.
  const devNull = discardStdout ? openSync('/dev/null', 'w') : undefined;
  const child = spawn(cmd, argv, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
  if (devNull !== undefined) closeSync(devNull);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { if (stdout.length < 4096) stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = performance.now() - start;
  if (code !== 0) throw new Error(`${command} failed (exit ${code}): ${stderr.slice(-2000)}`);
  const m = /labgen-bench-time=([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  const figures: ToolFigures = m ? { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, peakRssMb: Number(m[3]) / 1024 } : { wallMs };
  return { figures, stdout };
}

/** The better of two runs of one tool: least wall time, least CPU time, and the peak RSS of the run seen. */
function best(a: ToolFigures | undefined, b: ToolFigures): ToolFigures {
  if (!a) return b;
  const cpu = a.cpuMs !== undefined && b.cpuMs !== undefined ? Math.min(a.cpuMs, b.cpuMs) : (a.cpuMs ?? b.cpuMs);
  const rss = Math.max(a.peakRssMb ?? 0, b.peakRssMb ?? 0);
  return { wallMs: Math.min(a.wallMs, b.wallMs), ...(cpu !== undefined ? { cpuMs: cpu } : {}), ...(rss ? { peakRssMb: rss } : {}) };
}

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function shown(name: string, f: ToolFigures): string {
  const cpu = f.cpuMs !== undefined ? `, CPU ${(f.cpuMs / 1000).toFixed(2)} s` : '';
  const rss = f.peakRssMb !== undefined ? `, peak RSS ${f.peakRssMb.toFixed(0)} MiB` : '';
  return `${name.padEnd(36)} wall ${(f.wallMs / 1000).toFixed(2)} s${cpu}${rss}`;
}

function ratio(name: string, ours: ToolFigures, theirs: ToolFigures): string {
  const cpu = ours.cpuMs !== undefined && theirs.cpuMs !== undefined ? `, CPU ${(ours.cpuMs / theirs.cpuMs).toFixed(2)} x` : '';
  return `labgen / ${name}: wall ${(ours.wallMs / theirs.wallMs).toFixed(2)} x${cpu}`;
}

/** Generates the captures, runs every decoder on them in interleaved rounds (the best of each is kept, so a busy
 * machine's noise falls on both sides), prints the figures and ratios, and returns them. */
export async function main(options: { megabytes?: number; rounds?: number } = {}): Promise<CaptureBenchResult> {
  const megabytes = options.megabytes ?? Number(process.env.LABGEN_BENCH_CAPTURE_MB ?? 200);
  const rounds = options.rounds ?? Number(process.env.LABGEN_BENCH_ROUNDS ?? 3);
  const file = join(tmpdir(), `labgen-bench-${process.pid}.pcap`);
  const quarter = join(tmpdir(), `labgen-bench-${process.pid}-quarter.pcap`);
  try {
    console.log(`Capture benchmark: a ${megabytes} MiB synthetic VXLAN capture (${FLOWS} pod pairs, UDP 8472, VNI 1) in ${file}, best of ${rounds} interleaved rounds`);
    const packets = await writeSyntheticCapture(file, megabytes);
    const quarterPackets = await writeSyntheticCapture(quarter, Math.max(1, Math.round(megabytes / 4)));
    const bytes = statSync(file).size;
    const analyzeUrl = new URL('../src/capture/analyze-file.js', import.meta.url).href;
    const program = `const { analyzeFile } = await import(${JSON.stringify(analyzeUrl)});
      const a = await analyzeFile(process.argv[1]);
      console.log(JSON.stringify({ packets: a.packets, flows: a.flows.length }));`;
    const labgen = async (path: string, expected: number): Promise<ToolFigures> => {
      const r = await timed(process.execPath, ['--input-type=module', '-e', program, path]);
      const parsed = JSON.parse(r.stdout) as { packets: number; flows: number };
      if (parsed.packets !== expected) throw new Error(`labgen decoded ${parsed.packets} packets, the file has ${expected}`);
      if (parsed.flows !== FLOWS) throw new Error(`labgen found ${parsed.flows} flows, the file has ${FLOWS}`);
      return r.figures;
    };
    const withTcpdump = has('tcpdump');
    const withTshark = has('tshark');
    let ours: ToolFigures | undefined;
    let oursQuarter: ToolFigures | undefined;
    let tcpdump: ToolFigures | undefined;
    let tshark: ToolFigures | undefined;
    for (let round = 0; round < rounds; round++) {
      ours = best(ours, await labgen(file, packets));
      oursQuarter = best(oursQuarter, await labgen(quarter, quarterPackets));
      if (withTcpdump) tcpdump = best(tcpdump, (await timed('tcpdump', ['-nn', '-r', file], true)).figures);
      // tshark is slow: one run is enough for its ratio.
      if (withTshark && round === 0) tshark = (await timed('tshark', ['-n', '-r', file, '-d', 'udp.port==8472,vxlan', '-q', '-z', 'conv,udp'])).figures;
    }
    const result: CaptureBenchResult = { file, bytes, packets, rounds, labgen: ours!, labgenQuarter: oursQuarter!, ...(tcpdump ? { tcpdump } : {}), ...(tshark ? { tshark } : {}) };
    console.log(`file: ${(bytes / 1024 / 1024).toFixed(0)} MiB, ${packets.toLocaleString('en')} packets`);
    console.log(shown('labgen analyze', result.labgen));
    console.log(shown(`labgen analyze (${Math.round(megabytes / 4)} MiB file)`, result.labgenQuarter));
    if (tcpdump) console.log(shown('tcpdump -nn -r FILE >/dev/null', tcpdump));
    else console.log('tcpdump: not installed, no ratio');
    if (tshark) console.log(shown('tshark -q -z conv,udp', tshark));
    else console.log('tshark: not installed, no ratio');
    if (tcpdump) console.log(ratio('tcpdump', result.labgen, tcpdump));
    if (tshark) console.log(ratio('tshark', result.labgen, tshark));
    if (result.labgen.peakRssMb !== undefined && result.labgenQuarter.peakRssMb !== undefined) {
      console.log(`labgen peak RSS, full / quarter-size file: ${(result.labgen.peakRssMb / result.labgenQuarter.peakRssMb).toFixed(2)} x (flat: memory does not grow with the file)`);
    }
    return result;
  } finally {
    rmSync(file, { force: true });
    rmSync(quarter, { force: true });
  }
}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
