import { CaptureError } from './capture-error.js';
import { PcapParser, PCAP_MAGICS } from './pcap-reader.js';
import { PcapngParser, PCAPNG_SHB } from './pcapng-reader.js';
import type { ContainerInfo, ContainerParser, PacketSink } from './raw-packet.js';

/** Picks the container parser from the file's first four bytes; a CaptureError names what was found instead. */
export function parserFor(file: string, head: Buffer, sink: PacketSink): ContainerParser {
  const magic = head.readUInt32LE(0);
  if (magic === PCAPNG_SHB) return new PcapngParser(file, sink);
  if (PCAP_MAGICS[magic]) return new PcapParser(file, sink);
  const shown = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new CaptureError(file, 0, `not a pcap or pcapng capture: it starts with bytes ${shown}`);
}

/** Streams a capture (classic pcap or pcapng) chunk by chunk, handing every frame to `sink`; memory stays bounded by one record. */
export async function readCapture(source: AsyncIterable<Uint8Array>, file: string, sink: PacketSink): Promise<ContainerInfo> {
  let parser: ContainerParser | undefined;
  const head: Buffer[] = [];
  let headLength = 0;
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (parser) {
      parser.push(chunk);
      continue;
    }
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < 4) continue;
    const all = Buffer.concat(head);
    parser = parserFor(file, all, sink);
    parser.push(all);
  }
  if (!parser) {
    throw new CaptureError(file, 0, headLength === 0 ? 'empty file: no capture header' : `not a capture: only ${headLength} bytes`);
  }
  parser.end();
  const info = parser.info();
  if (!info) throw new CaptureError(file, 0, 'no capture header');
  return info;
}
