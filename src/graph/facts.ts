// What the plugins declare about the picture: how NIC1's network is built (provider), the host's adapter on the
// host-only network (provider), and how pod addresses are sliced per node (CNI). The graph draws from these and never
// from a plugin's name.
import type { PodSlicing } from '../cni/types.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Nic1Shape } from '../providers/types.js';
import { defaultRegistries, type Registries } from '../registries.js';

/** The plugins' declarations a lab's picture needs. */
export interface GraphFacts { nic1: Nic1Shape; hostAdapter: string; slicing: PodSlicing }

/** The declarations of the lab's provider and CNI plugin (from the given registries, or labgen's own). */
export function graphFacts(lab: ResolvedLab, reg: Registries = defaultRegistries()): GraphFacts {
  const provider = reg.providers.require(lab.provider.name);
  return { nic1: provider.nic1Shape(lab.provider.options), hostAdapter: provider.hostOnlyAdapter, slicing: reg.cni.require(lab.cni.plugin).podSlicing(lab) };
}
