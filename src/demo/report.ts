// The demo's record, README and text, in the same shape as verify's (compare and graph read both).
import { explainRun } from '../explain/for-lab.js';
import type { ResolvedLab } from '../lab/types.js';
import type { Output } from '../ui/output.js';
import { printRun as printAnyRun } from '../verify/print-run.js';
import type { RunReport } from '../verify/report.js';
import { judge } from '../verify/verdict.js';
import type { DemoResult } from './run-demo.js';

/** What demo writes as demo.json: a run report plus what only the demo knows. */
export interface DemoReport extends RunReport { namespaces: string; leftovers: string[]; dataplane: { mtu: number; sliceLength: number; pool: string; notes: string }; disclaimer: string }

/** Said in the output, the README and the report: what the demo is and is not. */
export const DISCLAIMER = 'labgen demo reproduces the kernel programming the CNI does on each node (devices, addresses, routes, fdb and neighbour entries, kube-proxy\'s DNAT) in network namespaces on this machine; it is not Kubernetes: no API server, kubelet, CNI binaries or VMs run.';

/** Builds the report of one demo run (pure). */
export function demoReport(lab: ResolvedLab, source: string, outDir: string, r: DemoResult): DemoReport {
  const service = r.scenario === 'service' ? { ip: r.topology.service.ip, port: r.topology.service.port } : undefined;
  const src = r.topology.nodes.find((n) => n.hostname === r.pair.src.node)!;
  const dst = r.topology.nodes.find((n) => n.hostname === r.pair.dst.node)!;
  const explanation = explainRun(lab, r.pair, r.scenario, { src: src.nic2, dst: dst.nic2 }, r.state, r.analyses, service);
  const verdict = judge(lab, r.pair, r.where, r.analyses, r.scenario, service);
  return {
    kind: 'demo', lab: lab.name, dir: source, captures: outDir, cni: lab.cni.summary, plugin: lab.cni.plugin, encapsulation: lab.cni.encapsulation,
    scenario: r.scenario, ok: verdict.ok, pods: r.topology.pods.map((p) => ({ name: p.name, ip: p.ip, node: r.topology.nodes.find((n) => n.name === p.node)!.hostname })),
    pair: r.pair, ...(service ? { service } : {}), where: r.where, ifaces: r.ifaces,
    podSlices: r.topology.nodes.map((n) => ({ node: n.hostname, podCidr: n.slice })),
    files: r.files, analyses: r.analyses, ping: r.ping, verdict, explanation, state: r.state,
    ...(r.ipipStandIn ? { ipipStandIn: r.ipipStandIn } : {}),
    namespaces: `${r.topology.prefix}-*`, leftovers: r.leftovers,
    dataplane: { mtu: r.topology.dataplane.mtu, sliceLength: r.topology.dataplane.sliceLength, pool: r.topology.dataplane.pool, notes: r.topology.dataplane.notes },
    disclaimer: DISCLAIMER,
  };
}

/** The run directory's README. */
export function demoReadme(r: DemoReport): string {
  return [
    `# labgen demo: ${r.lab}, ${r.cni}, scenario ${r.scenario}`, '',
    DISCLAIMER, '',
    `Pod slices: ${r.dataplane.notes}.`,
    ...(r.ipipStandIn ? ['', `IP-in-IP: ${r.ipipStandIn}.`] : []), '',
    'Files: `A.pcap` (source pod\'s veth), `B.pcap` (source node\'s host-only NIC), `C.pcap` (destination node\'s host-only NIC),',
    '`D.pcap` (destination pod\'s veth), `demo.json` (verdict, hop-by-hop explanation, the raw kernel state it was made from),',
    '`topology.svg` (the lab with A-D and the devices and routes on the path).', '',
    `Verdict: ${r.ok ? 'the wire matches the CNI' : 'the captures contradict the CNI'}.`, '',
  ].join('\n');
}

/** Prints a demo run: the disclaimer first, then the same text as verify. */
export function printRun(o: Output, r: DemoReport): void {
  o.out(DISCLAIMER);
  printAnyRun(o, r, r.ipipStandIn ? [`IP-in-IP made without the kernel's ipip module: ${r.ipipStandIn}.`] : []);
  o.out(`Namespaces ${r.namespaces} removed.`);
}
