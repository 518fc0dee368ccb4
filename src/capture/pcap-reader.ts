import { CaptureError } from './capture-error.js';
import { ChunkBuffer } from './chunk-buffer.js';
import type { ContainerInfo, ContainerParser, PacketSink, RawPacket } from './raw-packet.js';

/** Largest record a classic pcap may carry; libpcap and Wireshark refuse bigger ones as corrupt. */
export const MAX_PCAP_RECORD = 262_144;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** The four classic pcap magic numbers, read little-endian: byte order and timestamp precision. */
export const PCAP_MAGICS: Record<number, { littleEndian: boolean; nano: boolean }> = {
  0xa1b2c3d4: { littleEndian: true, nano: false },
  0xd4c3b2a1: { littleEndian: false, nano: false },
  0xa1b23c4d: { littleEndian: true, nano: true },
  0x4d3cb2a1: { littleEndian: false, nano: true },
};

/** Streams records out of a classic (libpcap) capture, micro- or nanosecond, either byte order. */
export class PcapParser implements ContainerParser {
  private readonly bytes = new ChunkBuffer();
  private header: { littleEndian: boolean; nano: boolean; linkType: number } | undefined;
  private readonly packet: RawPacket = {
    linkType: 0, data: Buffer.alloc(0), start: 0, capturedLength: 0, originalLength: 0, timestamp: 0, offset: 0,
  };

  constructor(private readonly file: string, private readonly sink: PacketSink) {}

  push(chunk: Buffer): void {
    this.bytes.push(chunk);
    if (!this.header && !this.readHeader()) return;
    this.readRecords();
  }

  end(): void {
    const left = this.bytes.available();
    if (!this.header) {
      throw new CaptureError(this.file, 0, `truncated pcap file: the global header needs ${GLOBAL_HEADER} bytes, the file has ${left}`);
    }
    if (left === 0) return;
    const b = this.bytes;
    if (left < RECORD_HEADER) {
      throw new CaptureError(this.file, b.offset(), `truncated pcap file: record header needs ${RECORD_HEADER} bytes, only ${left} left`);
    }
    const capLen = this.u32(b.buf, b.pos + 8);
    throw new CaptureError(this.file, b.offset(),
      `truncated pcap file: record of ${capLen} bytes is cut short, only ${left - RECORD_HEADER} bytes of it present`);
  }

  info(): ContainerInfo | undefined {
    if (!this.header) return undefined;
    return {
      format: 'pcap',
      byteOrder: this.header.littleEndian ? 'little-endian' : 'big-endian',
      timestampResolution: this.header.nano ? 'nanosecond' : 'microsecond',
    };
  }

  private u32(buf: Buffer, at: number): number {
    return this.header?.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private readHeader(): boolean {
    const b = this.bytes;
    if (b.available() < GLOBAL_HEADER) return false;
    const magic = b.buf.readUInt32LE(b.pos);
    const kind = PCAP_MAGICS[magic];
    if (!kind) throw new CaptureError(this.file, 0, `not a classic pcap file (magic 0x${magic.toString(16).padStart(8, '0')})`);
    const le = kind.littleEndian;
    const major = le ? b.buf.readUInt16LE(b.pos + 4) : b.buf.readUInt16BE(b.pos + 4);
    if (major !== 2) throw new CaptureError(this.file, 4, `unsupported pcap version ${major} (only 2.x exists)`);
    const network = le ? b.buf.readUInt32LE(b.pos + 20) : b.buf.readUInt32BE(b.pos + 20);
    this.header = { ...kind, linkType: network & 0x0fff_ffff };
    this.packet.linkType = this.header.linkType;
    b.pos += GLOBAL_HEADER;
    return true;
  }

  private readRecords(): void {
    const b = this.bytes;
    const nano = this.header?.nano ?? false;
    const p = this.packet;
    for (;;) {
      if (b.available() < RECORD_HEADER) return;
      const at = b.pos;
      const capLen = this.u32(b.buf, at + 8);
      if (capLen > MAX_PCAP_RECORD) {
        throw new CaptureError(this.file, b.offset(),
          `corrupt pcap record: captured length ${capLen} is larger than the ${MAX_PCAP_RECORD}-byte maximum`);
      }
      if (b.available() < RECORD_HEADER + capLen) return;
      const seconds = this.u32(b.buf, at);
      const fraction = this.u32(b.buf, at + 4);
      p.data = b.buf;
      p.start = at + RECORD_HEADER;
      p.capturedLength = capLen;
      p.originalLength = this.u32(b.buf, at + 12);
      p.timestamp = seconds + fraction / (nano ? 1e9 : 1e6);
      p.offset = b.offset();
      b.pos += RECORD_HEADER + capLen;
      this.sink(p);
    }
  }
}
