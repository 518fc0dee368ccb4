/** Holds the not-yet-parsed tail of a byte stream across chunk boundaries, so parsers see contiguous bytes with file offsets. */
export class ChunkBuffer {
  /** Bytes not consumed yet start at `pos` in `buf`. */
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** File offset of buf[0]. */
  private base = 0;

  /** Appends a chunk; copies only the (small) unconsumed tail when one is left. */
  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      this.base += this.pos;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes available from the read position. */
  available(): number {
    return this.buf.length - this.pos;
  }

  /** File offset of the read position. */
  offset(): number {
    return this.base + this.pos;
  }
}
