import { LabgenError } from '../errors.js';

/** A capture file that cannot be read to the end (corrupt, truncated, not a capture): names the file and the byte offset. */
export class CaptureError extends LabgenError {
  constructor(readonly file: string, readonly offset: number, readonly reason: string) {
    super(`${file}: ${reason} (at byte offset ${offset})`, 1);
  }
}

/** A capture path that cannot be opened at all (missing, a directory, no permission): a bad argument, exit code 2. */
export class CaptureInputError extends LabgenError {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`, 2, 'labgen analyze takes paths to pcap or pcapng files, e.g. `labgen analyze B.pcap C.pcap`');
  }
}
