// A node's log file under <dir>/logs/: the full vagrant output, passed through the redactor, mode 0600.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { checkInLab, ensureDirInLab } from '../io/safe-path.js';
import { createRedactor, type Redactor } from '../vagrant/redact.js';

/** Path of a node's log in a lab directory. */
export function nodeLogPath(dir: string, node: string): string { return join(dir, 'logs', `${node}.log`); }

/** An open, append-only, redacting log that also keeps the last lines for error messages. */
export interface NodeLog { path: string; write(line: string): void; tail(n: number): string[]; close(): void }

/** Opens (appends to) a node's log; secrets given as literals are redacted as well as token/PEM patterns. */
export function openNodeLog(dir: string, node: string, header: string, secrets: string[]): NodeLog {
  // Never through a symlink planted in the lab directory (logs/ or the log itself).
  ensureDirInLab(dir, 'logs', 0o700);
  checkInLab(dir, `logs/${node}.log`, 'file');
  const path = nodeLogPath(dir, node);
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  const redactor: Redactor = createRedactor(secrets);
  const last: string[] = [];
  let open = true;
  writeSync(fd, `\n===== ${header} =====\n`);
  return {
    path,
    write(line) {
      const safe = redactor.line(line);
      if (safe === undefined || !open) return;
      writeSync(fd, `${safe}\n`);
      last.push(safe);
      if (last.length > 200) last.shift();
    },
    tail: (n) => last.slice(-n),
    close() { if (open) { open = false; closeSync(fd); } },
  };
}
