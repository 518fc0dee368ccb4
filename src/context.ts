// What every command receives: registries, output, and the pieces tests replace (runner, clock, extra renderers). It lives
// outside src/commands so that actions, lifecycle and pipeline code can take it without importing a command.
import type { HostDeps } from './host/deps.js';
import type { Registries } from './registries.js';
import type { Invocation } from './ui/invocation.js';
import type { Output } from './ui/output.js';
import type { ExtraRenderer } from './pipeline/render-to-disk.js';
import type { ResolvedLab } from './lab/types.js';
import type { VerifyResult } from './verify/run-verify.js';
import type { LabCacheDeps } from './cache/lab-cache.js';

/** Injected dependencies of the commands; cli.ts builds the real one, tests their own. */
export interface CommandContext {
  reg: Registries;
  output: Output;
  extraRenderers: ExtraRenderer[];
  env: NodeJS.ProcessEnv;
  /** How the user ran labgen, so hints run as printed; absent (tests): plain `labgen`. */
  invocation?: Invocation;
  /** Runner, clock, host probe and interrupt for create/doctor/status/destroy; absent: the real ones from env. */
  host?: HostDeps;
  /** The download cache's view of the host (its addresses, which upstreams it may reach); absent: the real host. */
  cache?: Pick<LabCacheDeps, 'hostAddresses' | 'allowUpstream' | 'pollMs'>;
  /** Called when create finds the cluster Ready, with each node's pod CIDR (the lab's picture gains the slices). */
  readyHooks?: ((lab: ResolvedLab, dir: string, podSlices: { node: string; podCidr: string }[]) => void)[];
  /** Called after a verify run with its directory (the topology picture with A-D marked is drawn this way). */
  verifyHooks?: ((lab: ResolvedLab, runDir: string, result: VerifyResult) => void)[];
}
