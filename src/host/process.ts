// The one seam between labgen and other programs: commands and the core run tools only through a Runner.

/** How a command is run: where, what to stream, and when to stop it. */
export interface RunOptions {
  cwd?: string;
  /** Called with each output line as it arrives (stdout and stderr), for progress and log files. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting sends SIGINT to the command's process group, then SIGKILL after the runner's grace period. */
  signal?: AbortSignal;
  /** Variables added to the runner's environment for this command (labgen's download cache URL for vagrant). */
  env?: Record<string, string>;
}

/** What a finished command left: exit code, whole output, and why it ended. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The command was not found on PATH. */
  notFound: boolean;
  /** The command was stopped through RunOptions.signal. */
  interrupted: boolean;
}

/** Runs external programs; the real one spawns (real-process.ts), tests may substitute their own. */
export interface Runner {
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

/** The first line of a failed command's output, for one-line explanations. */
export function firstLine(r: RunResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return r.notFound ? 'not found on PATH' : text || `exit ${r.exitCode}`;
}

/** A Runner that adds `env` to every command it runs (options' own env wins). */
export function withEnv(runner: Runner, env: Record<string, string>): Runner {
  return { run: (command, args, options = {}) => runner.run(command, args, { ...options, env: { ...env, ...(options.env ?? {}) } }) };
}
