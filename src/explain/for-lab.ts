// Pure: the explanation's input from a lab and a run (verify and demo call this one function).
import type { FileAnalysis } from '../capture/analysis.js';
import type { ResolvedLab } from '../lab/types.js';
import { explainPath, type ExplainScenario, type Explanation, type Point } from './explain.js';
import type { RunState } from './state.js';

/** The two ends of a run, as verify and demo both record them. */
export interface RunPair { src: { name: string; ip: string; node: string }; dst: { name: string; ip: string; node: string }; srcNodeIp: string; dstNodeIp: string }

/** Explains a run of a lab: device names come from the lab's CNI (its encapsulation) and the NICs the run captured on. */
export function explainRun(lab: ResolvedLab, pair: RunPair, scenario: ExplainScenario, nic: { src: string; dst: string }, state: RunState, analyses: Partial<Record<Point, FileAnalysis>>, service?: { ip: string; port: number }): Explanation {
  return explainPath({
    scenario, encapsulation: lab.cni.encapsulation, nic,
    src: { pod: pair.src.name, ip: pair.src.ip, node: pair.src.node, nodeIp: pair.srcNodeIp },
    dst: { pod: pair.dst.name, ip: pair.dst.ip, node: pair.dst.node, nodeIp: pair.dstNodeIp },
    ...(service ? { service } : {}),
    nodes: lab.nodes.map((n) => ({ name: n.hostname, ip: n.ip })),
    state, analyses,
  });
}
