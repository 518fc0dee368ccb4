// Capture benchmark: writes a large synthetic VXLAN capture (flannel's UDP 8472, VNI 1, pod pings) to the temp dir,
// streaming, then times `labgen analyze`'s analyzeFile (in a child process, with its peak RSS) against tshark's full
// decode of the same file, and prints both wall times and the ratio. Never imported by src/.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What one benchmark run measured; main() returns it so the overall bench can reuse the figures. */
export interface CaptureBenchResult {
  file: string;
  bytes: number;
  packets: number;
  labgenMs: number;
  labgenPeakRssMb: number;
  tsharkMs?: number;
  tsharkPeakRssMb?: number;
  /** tshark wall time / labgen wall time. */
  ratio?: number;
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

/** Runs a command to completion, returning wall time; `/usr/bin/time -f %M` adds the peak RSS (KiB) when present. */
async function timed(command: string, args: string[]): Promise<{ ms: number; stdout: string; peakKb?: number }> {
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, argv] = gnuTime ? ['/usr/bin/time', ['-f', 'peak-rss-kb=%M', command, ...args]] : [command, args];
  const start = performance.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const [code] = (await once(child, 'close')) as [number | null];
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`${command} failed (exit ${code}): ${stderr.slice(-2000)}`);
  const peak = /peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  return { ms, stdout, ...(peak ? { peakKb: Number(peak) } : {}) };
}

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Generates the capture, runs both decoders on it, prints the figures and returns them. */
export async function main(options: { megabytes?: number } = {}): Promise<CaptureBenchResult> {
  const megabytes = options.megabytes ?? Number(process.env.LABGEN_BENCH_CAPTURE_MB ?? 256);
  const file = join(tmpdir(), `labgen-bench-${process.pid}.pcap`);
  try {
    console.log(`Capture benchmark: writing a ${megabytes} MiB synthetic VXLAN capture (${FLOWS} pod pairs, UDP 8472, VNI 1) to ${file}`);
    const packets = await writeSyntheticCapture(file, megabytes);
    const bytes = statSync(file).size;
    const analyzeUrl = new URL('../src/capture/analyze-file.js', import.meta.url).href;
    const program = `const { analyzeFile } = await import(${JSON.stringify(analyzeUrl)});
      const a = await analyzeFile(process.argv[1]);
      console.log(JSON.stringify({ packets: a.packets, flows: a.flows.length, maxRssKb: process.resourceUsage().maxRSS }));`;
    const ours = await timed(process.execPath, ['--input-type=module', '-e', program, file]);
    const parsed = JSON.parse(ours.stdout) as { packets: number; flows: number; maxRssKb: number };
    if (parsed.packets !== packets) throw new Error(`labgen decoded ${parsed.packets} packets, the file has ${packets}`);
    if (parsed.flows !== FLOWS) throw new Error(`labgen found ${parsed.flows} flows, the file has ${FLOWS}`);
    const result: CaptureBenchResult = { file, bytes, packets, labgenMs: ours.ms, labgenPeakRssMb: parsed.maxRssKb / 1024 };
    if (hasTshark()) {
      const theirs = await timed('tshark', ['-n', '-r', file, '-d', 'udp.port==8472,vxlan', '-q', '-z', 'conv,udp']);
      result.tsharkMs = theirs.ms;
      if (theirs.peakKb !== undefined) result.tsharkPeakRssMb = theirs.peakKb / 1024;
      result.ratio = theirs.ms / ours.ms;
    }
    const mb = (bytes / 1024 / 1024).toFixed(0);
    console.log(`file: ${mb} MiB, ${packets.toLocaleString('en')} packets`);
    console.log(`labgen analyze: ${(result.labgenMs / 1000).toFixed(2)} s, peak RSS ${result.labgenPeakRssMb.toFixed(0)} MiB`);
    if (result.tsharkMs !== undefined) {
      const rss = result.tsharkPeakRssMb !== undefined ? `, peak RSS ${result.tsharkPeakRssMb.toFixed(0)} MiB` : '';
      console.log(`tshark -q -z conv,udp: ${(result.tsharkMs / 1000).toFixed(2)} s${rss}`);
      console.log(`ratio (tshark / labgen): ${result.ratio?.toFixed(1)}x`);
    } else {
      console.log('tshark: not installed, no ratio');
    }
    return result;
  } finally {
    rmSync(file, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
