// Text of a verify or demo run: the pair, each point's verdict and analysis, the hop-by-hop explanation, the verdict.
import { formatAnalysis } from '../capture/format-analysis.js';
import { formatExplanation } from '../explain/format.js';
import type { Output } from '../ui/output.js';
import type { RunReport } from './report.js';

/** Prints a run the same way for verify and demo. */
export function printRun(o: Output, r: RunReport, notes: string[] = []): void {
  const target = r.scenario === 'service' && r.service ? `Service ${r.service.ip}:${r.service.port} -> ${r.pair.dst.name} (${r.pair.dst.ip}, ${r.pair.dst.node})` : `${r.pair.dst.name} (${r.pair.dst.ip}, ${r.pair.dst.node})`;
  o.out('');
  o.out(`${r.scenario === 'service' ? 'Connect' : 'Ping'} ${r.pair.src.name} (${r.pair.src.ip}, ${r.pair.src.node}) -> ${target}  [scenario ${r.scenario}, ${r.cni}]`);
  for (const p of r.verdict.points) {
    o.out('');
    o.out(`${p.point}: ${p.where}  [${p.ok ? 'as expected' : 'UNEXPECTED'}]`);
    o.out(`   expected: ${p.expected}`);
    const a = r.analyses[p.point];
    if (a) for (const line of formatAnalysis(a).split('\n')) o.out(`   ${line}`);
    for (const problem of p.problems) o.out(`   ! ${problem}`);
  }
  const pv = r.verdict.ping;
  if (pv) {
    const x = pv.result;
    o.out('');
    const what = x.kind === 'tcp' ? `${x.received} of ${x.transmitted} connections answered` : `${x.transmitted} echo requests sent, ${x.received} replies`;
    o.out(`${x.kind === 'tcp' ? 'Client' : 'Ping'}: ${x.unreadable !== undefined ? 'no summary' : `${what}, ${x.lossPercent}% loss${x.rtt ? `, rtt min/avg/max ${x.rtt.min}/${x.rtt.avg}/${x.rtt.max} ms` : ''}`}  [${pv.ok ? 'as expected' : 'UNEXPECTED'}]`);
    for (const problem of pv.problems) o.out(`   ! ${problem}`);
  }
  o.out('');
  for (const line of formatExplanation(r.explanation)) o.out(line);
  o.out('');
  for (const n of notes) o.out(n);
  const how = r.encapsulation.kind === 'none' ? 'plain routing' : r.encapsulation.kind.toUpperCase();
  const ok = r.scenario === 'same-node'
    ? `Verdict: both pods are on ${r.pair.src.node}: plain at A and D, nothing of theirs at B and C (the node delivers locally).`
    : r.scenario === 'service'
      ? `Verdict: A shows the Service address ${r.service?.ip ?? ''}; kube-proxy's DNAT makes it ${r.pair.dst.ip} before the packets leave the node, carried as ${how} at B and C.`
      : `Verdict: the wire matches ${how}: pods talk in the clear at A and D; between the nodes (B, C) the packets travel as the CNI says.`;
  o.out(r.verdict.ok ? ok : 'Verdict: the captures contradict what the lab\'s CNI should put on the wire (see the lines marked !).');
  if (r.explanation.problems.length) o.out(`The kernel state contradicts the CNI in ${r.explanation.problems.length} place(s) (lines marked ! above).`);
  if (r.explanation.missing.length) o.out(`State of ${[...new Set(r.explanation.missing.map((m) => m.where))].join(', ')} could not be fully read: those hops are reported as unknown, not guessed.`);
  o.out(`Captures (open them in Wireshark): ${r.captures}`);
}
