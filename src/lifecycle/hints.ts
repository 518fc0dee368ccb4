// The follow-up commands failures print (collect logs, retry), shell-quoted so they run exactly as printed.
import { LabgenError } from '../errors.js';
import { shellWord } from '../render/escape.js';

/** One shell word: bare when safe, else single-quoted; control characters as $'\xNN'. */
export function shellArg(w: string): string {
  try { return shellWord(w); } catch { return `$'${[...w].map((c) => (c.charCodeAt(0) < 0x20 || c === '\\' || c === "'" ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('')}'`; }
}

/** `labgen <args...>` as one shell command line (a lab directory with spaces or quotes still runs as printed). */
export function labgenCommand(...args: string[]): string { return ['labgen', ...args.map(shellArg)].join(' '); }

/** The line naming the command that gathers every node's logs into one archive. */
export function logsHint(dir: string): string { return `collect logs: ${labgenCommand('logs', dir)}`; }

/** Adds lines to a runtime error's detail, keeping its class, exit code, step and node (what the CLI and --json read). */
export function withDetail<E extends LabgenError>(e: E, lines: string[]): E {
  const detail = [e.detail, ...lines].filter((l) => l !== undefined && l !== '').join('\n');
  Object.defineProperty(e, 'detail', { value: detail, enumerable: true, configurable: true, writable: false });
  return e;
}

/** Runs fn; a runtime failure (exit 1) leaves with the logs command added to its detail. */
export async function printLogsOnFailure<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (e) {
    if (e instanceof LabgenError && e.exitCode === 1) throw withDetail(e, [logsHint(dir)]);
    throw e;
  }
}
