// Everything create/doctor/status/destroy need from the outside world, injected through CommandContext.host.
import { execaRunner } from './real-process.js';
import type { Runner } from './process.js';
import { realHostProbe, type HostProbe } from '../doctor/probe.js';
import { realClock, type Clock } from './clock.js';

/** The outside world of the orchestration commands. */
export interface HostDeps {
  runner: Runner;
  clock: Clock;
  probe: HostProbe;
  /** Subscribes to the user's interrupt (Ctrl-C); returns the unsubscribe function. */
  onInterrupt(callback: () => void): () => void;
  /** The terminal to draw spinners on, when stdout is one. */
  terminal?: NodeJS.WriteStream;
}

/** The real world: processes from PATH in env, the wall clock, this host, SIGINT/SIGTERM. */
export function realHostDeps(env: NodeJS.ProcessEnv): HostDeps {
  return {
    runner: execaRunner(env),
    clock: realClock,
    probe: realHostProbe(),
    onInterrupt(callback) {
      const handler = () => callback();
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
    },
    terminal: process.stdout.isTTY ? process.stdout : undefined,
  };
}
