// Where commands write: injected so tests capture output and commands never touch process.stdout directly.

/** The text and JSON sinks a command writes to. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (spinners) or a pipe/file (plain lines). */
  isTTY: boolean;
}

/** The process's own stdout/stderr. */
export function processOutput(): Output {
  return {
    out: (line) => { process.stdout.write(`${line}\n`); },
    err: (line) => { process.stderr.write(`${line}\n`); },
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Prints a value as pretty JSON (the --json form of every command). */
export function printJson(o: Output, value: unknown): void { o.out(JSON.stringify(value, null, 2)); }
