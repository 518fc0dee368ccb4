/** Base of every error labgen reports; the CLI's single catch prints `message` (+ `detail`) and exits with `exitCode`. */
export class LabgenError extends Error {
  /** With --json: the command's own result fields (e.g. validate's problems, doctor's checks), printed beside the error. */
  data?: Record<string, unknown>;
  constructor(message: string, readonly exitCode: 1 | 2 | 130 = 1, readonly detail?: string) { super(message); this.name = new.target.name; }
  /** With --json: the command already printed its one JSON document (which names this failure), so the CLI prints none. */
  jsonPrinted = false;
  /** Attaches the --json result fields and returns the error, for `throw e.withData({...})`. */
  withData(data: Record<string, unknown>): this { this.data = data; return this; }
  /** Marks the --json document as printed by the command itself, for `throw e.withJsonPrinted()`. */
  withJsonPrinted(): this { this.jsonPrinted = true; return this; }
}

/** One problem in a lab definition or in the user's input, printed as `path: message`. */
export interface Problem {
  /** Dotted path into the lab document, e.g. `nodes[1].ip`; empty for the document itself. */
  path: string;
  message: string;
  /** How to fix it, when known. */
  fix?: string;
  /** 1-based line in the source file, when known. */
  line?: number;
}

/** Invalid input (lab file, flags): every problem at once, exit code 2, nothing written or run. */
export class InvalidInputError extends LabgenError {
  constructor(readonly source: string, readonly problems: Problem[]) {
    super(`${source} is not valid: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 2, problems.map(formatProblem).join('\n'));
  }
}

/** A usage error (unknown lab, bad flag combination) that is not about a lab's fields. */
export class UsageError extends LabgenError {
  constructor(message: string, detail?: string) { super(message, 2, detail); }
}

/** A runtime step failed: names the step, the node and the log holding the full output. */
export class StepFailedError extends LabgenError {
  constructor(readonly step: string, readonly node: string | undefined, readonly logPath: string | undefined, tail?: string) {
    super(`${step} failed${node ? ` on ${node}` : ''}${logPath ? ` (full log: ${logPath})` : ''}`, 1, tail);
  }
}

/** The user interrupted (Ctrl-C); children were stopped. */
export class InterruptedError extends LabgenError {
  constructor(hint: string) { super('interrupted', 130, hint); }
}

/** Formats one problem as `path: message (fix: ...)`, the one format every command prints. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.path || '(document)'} (line ${p.line})` : p.path || '(document)';
  return `  ${where}: ${p.message}${p.fix ? `\n      fix: ${p.fix}` : ''}`;
}
