import { LabgenError } from '../errors.js';

/**
 * A capture file that cannot be read to the end (corrupt, truncated, not a capture): names the file and the byte
 * offset. The file is bad input (exit 2); only a failing read of the disk itself is a runtime failure (exit 1).
 */
export class CaptureError extends LabgenError {
  constructor(readonly file: string, readonly offset: number, readonly reason: string, exitCode: 1 | 2 = 2) {
    super(`${file}: ${reason} (at byte offset ${offset})`, exitCode);
  }
}

/** A capture path that cannot be opened at all (missing, a directory, no permission): a bad argument, exit code 2. */
export class CaptureInputError extends LabgenError {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`, 2, 'labgen analyze takes paths to pcap or pcapng files, e.g. `labgen analyze B.pcap C.pcap`');
  }
}
