import { CaptureError } from './capture-error.js';
import { ChunkBuffer } from './chunk-buffer.js';
import type { ContainerInfo, ContainerParser, PacketSink, RawPacket } from './raw-packet.js';

/** Block type of a pcapng Section Header Block; also the file's first four bytes. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
/** Largest block accepted; Wireshark uses the same bound, and it keeps memory bounded on corrupt lengths. */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;
/** Most interfaces one section may describe (a capture of a lab has a handful); more is refused, so memory stays bounded. */
export const MAX_PCAPNG_INTERFACES = 1024;

interface Interface {
  linkType: number;
  snapLength: number;
  /** Seconds per timestamp unit (if_tsresol). */
  unit: number;
  resolution: string;
}

/** Streams packets out of a pcapng capture: sections in either byte order, IDB, EPB, SPB and the obsolete PB; other blocks skipped. */
export class PcapngParser implements ContainerParser {
  private readonly bytes = new ChunkBuffer();
  private littleEndian = true;
  private sawSection = false;
  private firstSection: ContainerInfo | undefined;
  private interfaces: Interface[] = [];
  private readonly packet: RawPacket = {
    linkType: 0, data: Buffer.alloc(0), start: 0, capturedLength: 0, originalLength: 0, timestamp: 0, offset: 0,
  };

  constructor(private readonly file: string, private readonly sink: PacketSink) {}

  push(chunk: Buffer): void {
    this.bytes.push(chunk);
    this.readBlocks();
  }

  end(): void {
    const b = this.bytes;
    const left = b.available();
    if (left === 0 && this.sawSection) return;
    if (left < 12) {
      throw new CaptureError(this.file, b.offset(), `truncated pcapng file: block header needs 12 bytes, only ${left} left`);
    }
    const length = this.blockLength(b.buf, b.pos);
    throw new CaptureError(this.file, b.offset(), `truncated pcapng file: block of ${length} bytes is cut short, only ${left} bytes of it present`);
  }

  info(): ContainerInfo | undefined {
    return this.firstSection;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }

  /** Reads a block's total length; for a section header the byte order is taken from that block first. */
  private blockLength(buf: Buffer, at: number): number {
    if (buf.readUInt32LE(at) === PCAPNG_SHB) {
      const bom = buf.readUInt32LE(at + 8);
      if (bom === BYTE_ORDER_MAGIC) this.littleEndian = true;
      else if (bom === 0x4d3c2b1a) this.littleEndian = false;
      else throw this.corrupt(0, `bad byte-order magic 0x${bom.toString(16).padStart(8, '0')} in section header`);
    }
    return this.u32(buf, at + 4);
  }

  private corrupt(relative: number, reason: string): CaptureError {
    return new CaptureError(this.file, this.bytes.offset() + relative, `corrupt pcapng file: ${reason}`);
  }

  private readBlocks(): void {
    const b = this.bytes;
    for (;;) {
      if (b.available() < 12) return;
      const at = b.pos;
      const type = b.buf.readUInt32LE(at) === PCAPNG_SHB ? PCAPNG_SHB : this.u32(b.buf, at);
      if (!this.sawSection && type !== PCAPNG_SHB) throw this.corrupt(0, 'the file does not start with a section header block');
      const length = this.blockLength(b.buf, at);
      if (length < 12 || length % 4 !== 0) throw this.corrupt(4, `block length ${length} is not a multiple of 4 of at least 12`);
      if (length > MAX_PCAPNG_BLOCK) throw this.corrupt(4, `block length ${length} exceeds the ${MAX_PCAPNG_BLOCK}-byte maximum`);
      if (b.available() < length) return;
      const trailer = this.u32(b.buf, at + length - 4);
      if (trailer !== length) throw this.corrupt(length - 4, `block length ${length} does not match its trailing copy ${trailer}`);
      this.block(type, b.buf, at, length);
      b.pos += length;
    }
  }

  private block(type: number, buf: Buffer, at: number, length: number): void {
    switch (type) {
      case PCAPNG_SHB: return this.section(buf, at, length);
      case IDB: return this.interfaceBlock(buf, at, length);
      case EPB: return this.enhancedPacket(buf, at, length);
      case SPB: return this.simplePacket(buf, at, length);
      case OBSOLETE_PB: return this.obsoletePacket(buf, at, length);
      default: return; // name resolution, statistics, custom, decryption secrets...: not needed for flows
    }
  }

  private section(buf: Buffer, at: number, length: number): void {
    if (length < 28) throw this.corrupt(4, `section header block of ${length} bytes is shorter than 28`);
    const major = this.u16(buf, at + 12);
    if (major !== 1) throw this.corrupt(12, `unsupported pcapng major version ${major}`);
    this.sawSection = true;
    this.interfaces = [];
    this.firstSection ??= {
      format: 'pcapng', byteOrder: this.littleEndian ? 'little-endian' : 'big-endian', timestampResolution: 'microsecond',
    };
  }

  private interfaceBlock(buf: Buffer, at: number, length: number): void {
    if (length < 20) throw this.corrupt(4, `interface description block of ${length} bytes is shorter than 20`);
    if (this.interfaces.length >= MAX_PCAPNG_INTERFACES) throw this.corrupt(0, `more than ${MAX_PCAPNG_INTERFACES} interface description blocks in one section; labgen reads captures of at most ${MAX_PCAPNG_INTERFACES} interfaces`);
    const iface: Interface = {
      linkType: this.u16(buf, at + 8), snapLength: this.u32(buf, at + 12), unit: 1e-6, resolution: 'microsecond',
    };
    this.options(buf, at + 16, at + length - 4, (code, value) => {
      if (code !== 9 || value.length < 1) return; // if_tsresol
      const v = value[0] ?? 6;
      const exponent = v & 0x7f;
      if (v & 0x80) {
        iface.unit = 2 ** -exponent;
        iface.resolution = `2^-${exponent} s`;
      } else {
        iface.unit = 10 ** -exponent;
        iface.resolution = exponent === 6 ? 'microsecond' : exponent === 9 ? 'nanosecond' : exponent === 3 ? 'millisecond' : `10^-${exponent} s`;
      }
    });
    if (this.interfaces.length === 0 && this.firstSection && this.firstSection.timestampResolution === 'microsecond') {
      this.firstSection.timestampResolution = iface.resolution;
    }
    this.interfaces.push(iface);
  }

  /** Walks an options list (code, length, value padded to 4); a malformed list is corruption, not a crash. */
  private options(buf: Buffer, from: number, to: number, each: (code: number, value: Buffer) => void): void {
    let at = from;
    while (at + 4 <= to) {
      const code = this.u16(buf, at);
      const len = this.u16(buf, at + 2);
      if (code === 0) return; // opt_endofopt
      const end = at + 4 + len;
      if (end > to) throw this.corrupt(at - this.bytes.pos, `option ${code} of ${len} bytes runs past the end of its block`);
      each(code, buf.subarray(at + 4, end));
      at = end + ((4 - (len % 4)) % 4);
    }
  }

  private iface(id: number, relative: number): Interface {
    const iface = this.interfaces[id];
    if (!iface) throw this.corrupt(relative, `packet refers to interface ${id}, but the section defines ${this.interfaces.length}`);
    return iface;
  }

  private emit(iface: Interface, buf: Buffer, start: number, capLen: number, origLen: number, high: number, low: number): void {
    const p = this.packet;
    p.linkType = iface.linkType;
    p.data = buf;
    p.start = start;
    p.capturedLength = capLen;
    p.originalLength = origLen;
    p.timestamp = (high * 4294967296 + low) * iface.unit;
    p.offset = this.bytes.offset();
    this.sink(p);
  }

  private enhancedPacket(buf: Buffer, at: number, length: number): void {
    if (length < 32) throw this.corrupt(4, `enhanced packet block of ${length} bytes is shorter than 32`);
    const iface = this.iface(this.u32(buf, at + 8), 8);
    const capLen = this.u32(buf, at + 20);
    if (capLen > length - 32) throw this.corrupt(20, `captured length ${capLen} does not fit in a block of ${length} bytes`);
    this.emit(iface, buf, at + 28, capLen, this.u32(buf, at + 24), this.u32(buf, at + 12), this.u32(buf, at + 16));
  }

  private simplePacket(buf: Buffer, at: number, length: number): void {
    if (length < 16) throw this.corrupt(4, `simple packet block of ${length} bytes is shorter than 16`);
    const iface = this.iface(0, 0);
    const origLen = this.u32(buf, at + 8);
    let capLen = Math.min(origLen, length - 16);
    if (iface.snapLength > 0) capLen = Math.min(capLen, iface.snapLength);
    this.emit(iface, buf, at + 12, capLen, origLen, 0, 0);
  }

  private obsoletePacket(buf: Buffer, at: number, length: number): void {
    if (length < 32) throw this.corrupt(4, `packet block of ${length} bytes is shorter than 32`);
    const iface = this.iface(this.u16(buf, at + 8), 8);
    const capLen = this.u32(buf, at + 20);
    if (capLen > length - 32) throw this.corrupt(20, `captured length ${capLen} does not fit in a block of ${length} bytes`);
    this.emit(iface, buf, at + 28, capLen, this.u32(buf, at + 24), this.u32(buf, at + 12), this.u32(buf, at + 16));
  }
}
