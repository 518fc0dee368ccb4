/** One captured frame as a container reader hands it on: a view into the reader's buffer, valid only during the callback. */
export interface RawPacket {
  /** LINKTYPE_* value of the interface the frame was captured on. */
  linkType: number;
  /** Buffer holding the frame bytes at [start, start + capturedLength). */
  data: Buffer;
  start: number;
  capturedLength: number;
  originalLength: number;
  /** Seconds since the Unix epoch (fractional). */
  timestamp: number;
  /** File offset of the record or block that carried the frame. */
  offset: number;
}

/** Receives each frame a container reader decodes; the RawPacket object is reused between calls. */
export type PacketSink = (packet: RawPacket) => void;

/** What a container reader learnt about the file itself, for the report. */
export interface ContainerInfo {
  format: 'pcap' | 'pcapng';
  byteOrder: 'little-endian' | 'big-endian';
  timestampResolution: string;
}

/** A push parser for one capture container format: fed chunks in order, then told the input ended. */
export interface ContainerParser {
  push(chunk: Buffer): void;
  end(): void;
  info(): ContainerInfo | undefined;
}
