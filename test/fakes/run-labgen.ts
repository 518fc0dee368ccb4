// Runs labgen in-process against a fake host: fake tools alone on PATH, a fabricated host probe, captured output.
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { realClock } from '../../src/host/clock.js';
import type { HostProbe } from '../../src/doctor/probe.js';
import { defaultRegistries } from '../../src/registries.js';
import { execaRunner } from '../../src/host/real-process.js';
import type { FakeHost } from './fake-bin.js';

/** A host with plenty of everything, on Linux, whose networks.conf allows 10.0.0.0/8; override what a test needs. */
export function fakeProbe(over: Partial<HostProbe> = {}, files: Record<string, string> = { '/etc/vbox/networks.conf': '* 10.0.0.0/8 192.168.0.0/16\n' }): HostProbe {
  return {
    platform: 'linux',
    cpus: () => 16,
    availableMemoryMiB: () => 65536,
    freeDiskMiB: () => 500_000,
    readFile: (p) => files[p],
    accessible: () => true,
    exists: (p) => p === '/dev/kvm',
    ...over,
  };
}

/** One run's exit code and output. */
export interface Run { code: number; out: string; err: string }

/** `labgen <argv>` with the fake host's tools and the given env additions and probe. */
export async function runLabgen(host: FakeHost, argv: string[], opts: { env?: NodeJS.ProcessEnv; probe?: HostProbe; ctx?: Partial<CommandContext> } = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const env = host.env(opts.env);
  const ctx: CommandContext = {
    reg: defaultRegistries(),
    output: { out: (l) => { out.push(l); }, err: (l) => { err.push(l); }, isTTY: false },
    extraRenderers: [],
    env,
    host: { runner: execaRunner(env, 5000), clock: realClock, probe: opts.probe ?? fakeProbe(), onInterrupt: () => () => {} },
    ...opts.ctx,
  };
  const code = await main(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
