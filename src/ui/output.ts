// Where commands write: injected so tests capture output and commands never touch process.stdout directly.
import { escapeJson } from './escape.js';

/** The text and JSON sinks a command writes to. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (spinners) or a pipe/file (plain lines). */
  isTTY: boolean;
}

/** What happened to a stream labgen writes to: still open, closed by the reader (EPIPE), or failing (ENOSPC, EIO). */
export interface StreamState { closed: boolean; failure?: string }

/**
 * Keeps a write error on stdout/stderr from becoming an unhandled 'error' event: a reader that went away (`| head`)
 * ends the output quietly, a full disk or an I/O error is said once on stderr and makes the exit code 1.
 */
export function guardStream(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr', onFailure: (message: string) => void): StreamState {
  const state: StreamState = { closed: false };
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (state.closed) return;
    state.closed = true;
    if (e.code === 'EPIPE') return;
    state.failure = `labgen: cannot write to ${name}: ${e.code === 'ENOSPC' ? 'no space left on the device it goes to' : e.message} (${e.code ?? 'error'})`;
    onFailure(state.failure);
  });
  return state;
}

/** The process's own stdout/stderr, guarded against EPIPE and ENOSPC. */
export function processOutput(): Output {
  let errState: StreamState = { closed: false };
  const fail = (message: string) => {
    process.exitCode = 1;
    if (!errState.closed) { try { process.stderr.write(`${message}\n`); } catch { /* nowhere left to say it */ } }
  };
  const outState = guardStream(process.stdout, 'stdout', fail);
  errState = guardStream(process.stderr, 'stderr', () => { process.exitCode = 1; });
  const write = (stream: NodeJS.WriteStream, state: StreamState, line: string) => {
    if (state.closed) return;
    // A file on a full disk fails synchronously (SyncWriteStream): the same handling as the 'error' event.
    try { stream.write(`${line}\n`); } catch (e) { stream.emit('error', e); }
  };
  return {
    out: (line) => write(process.stdout, outState, line),
    err: (line) => write(process.stderr, errState, line),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Prints a value as pretty JSON (the --json form of every command); no string in it can steer a terminal. */
export function printJson(o: Output, value: unknown): void { o.out(escapeJson(JSON.stringify(value, null, 2))); }
