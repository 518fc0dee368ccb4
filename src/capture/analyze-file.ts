import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { FileAnalysis } from './analysis.js';
import { analyzeStream, type AnalyzeOptions } from './analyze-stream.js';
import { CaptureError, CaptureInputError } from './capture-error.js';

/** Re-exported so the command takes the reader and the text formatter from one module. */
export { formatAnalysis } from './format-analysis.js';

/** Size of each read; the whole file is never held in memory. */
export const READ_CHUNK = 1024 * 1024;

/** What a path is, when it is not a regular file: such a path is never opened (opening a FIFO blocks until a writer comes). */
function notAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  return st.isDirectory() ? 'is a directory, not a capture file' : st.isFIFO() ? 'is a FIFO (named pipe), not a capture file'
    : st.isSocket() ? 'is a socket, not a capture file' : st.isCharacterDevice() || st.isBlockDevice() ? 'is a device, not a capture file' : 'is not a regular file';
}

/**
 * Analyzes the capture at `path`, streaming it in fixed-size chunks: the one place src/capture touches the file system.
 * The type is checked before opening, and again on the descriptor (opened non-blocking, so a FIFO swapped in cannot block).
 */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<FileAnalysis> {
  let handle: FileHandle;
  try {
    const kind = notAFile(await stat(path));
    if (kind) throw new CaptureInputError(path, kind);
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof CaptureInputError) throw error;
    throw new CaptureInputError(path, openReason(error));
  }
  try {
    const kind = notAFile(await handle.stat());
    if (kind) throw new CaptureInputError(path, kind);
    return await analyzeStream(chunks(handle, path), path, options);
  } finally {
    await handle.close();
  }
}

/** Reads the file in READ_CHUNK-sized fresh buffers (parsers may keep the tail of one until the next arrives). */
async function* chunks(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  let position = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position));
    } catch (error) {
      throw new CaptureError(path, position, `read failed: ${(error as Error).message}`, 1);
    }
    if (bytesRead === 0) return;
    position += bytesRead;
    yield bytesRead === READ_CHUNK ? buffer : buffer.subarray(0, bytesRead);
  }
}

function openReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a capture file';
  return `cannot open: ${(error as Error).message}`;
}
