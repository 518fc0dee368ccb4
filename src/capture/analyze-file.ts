import { open, type FileHandle } from 'node:fs/promises';
import type { FileAnalysis } from './analysis.js';
import { analyzeStream, type AnalyzeOptions } from './analyze-stream.js';
import { CaptureError, CaptureInputError } from './capture-error.js';

/** Re-exported so the command takes the reader and the text formatter from one module. */
export { formatAnalysis } from './format-analysis.js';

/** Size of each read; the whole file is never held in memory. */
export const READ_CHUNK = 1024 * 1024;

/** Analyzes the capture at `path`, streaming it in fixed-size chunks: the one place src/capture touches the file system. */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<FileAnalysis> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new CaptureInputError(path, 'not a regular file');
    }
  } catch (error) {
    if (error instanceof CaptureInputError) throw error;
    throw new CaptureInputError(path, openReason(error));
  }
  try {
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
      throw new CaptureError(path, position, `read failed: ${(error as Error).message}`);
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
