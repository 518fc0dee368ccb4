// The same picture as Mermaid text, for Markdown that renders Mermaid (GitHub, GitLab, docs sites).
import type { ResolvedLab } from '../lab/types.js';
import { graphFacts, type GraphFacts } from './facts.js';
import { captureWhere, cniText, hostAdapterName, isNode, nic1NetworkName, nicAddress, nicTitle, nodeSpec, podSlicesOf } from './labels.js';
import { oneLine } from './text-metrics.js';
import type { GraphOverlay } from './types.js';

/** Text for a quoted Mermaid label: characters Mermaid or its HTML labels would read are written as `#code;`. */
export function escapeMermaid(text: string): string {
  return oneLine(text).replace(/["#<>&'`|\\]/g, (c) => `#${c.codePointAt(0)!};`);
}

const label = (...parts: string[]): string => `"${parts.filter((p) => p !== '').map(escapeMermaid).join('<br/>')}"`;

/**
 * A Mermaid flowchart of the lab (and of a run, with an overlay); node ids are generated, never lab values. NIC1's
 * network is drawn as the provider declares it: one NAT engine per VM (`nat0`, `nat1`, ...), or one shared network.
 */
export function toMermaid(lab: ResolvedLab, overlay?: GraphOverlay, facts: GraphFacts = graphFacts(lab)): string {
  const perVm = facts.nic1.kind === 'per-vm';
  const out = [
    '---',
    `title: ${label(`${lab.name}: lab topology`)}`,
    '---',
    'flowchart TB',
  ];
  if (perVm) lab.nodes.forEach((n, i) => out.push(`  nat${i}(${label(`${nic1NetworkName(facts)}: ${n.name}'s own engine`, lab.network.nat.cidr, facts.nic1.gateway ? `gateway ${facts.nic1.gateway}` : '')})`));
  else out.push(`  nat(${label(nic1NetworkName(facts), lab.network.nat.cidr)})`);
  lab.nodes.forEach((n, i) => {
    const slices = podSlicesOf(n, overlay);
    out.push(`  n${i}[${label(n.name, n.hostname, nodeSpec(n), slices.length ? `pods ${slices.join(', ')}` : '')}]`);
  });
  out.push(`  ho[[${label('host-only', lab.network.hostOnly.cidr)}]]`);
  lab.nodes.forEach((n, i) => {
    out.push(`  ${perVm ? `nat${i}` : 'nat'} ---|${label(nicTitle(n.nics[0], 0), nicAddress(n.nics[0]))}| n${i}`);
    out.push(`  n${i} ---|${label(nicTitle(n.nics[1], 1), nicAddress(n.nics[1]))}| ho`);
  });
  out.push(`  host[${label(hostAdapterName(lab, facts), lab.network.hostOnly.hostAddress)}] --- ho`);
  out.push(`  legend>${label(`pod CIDR ${lab.kubernetes.podCidr}: ${facts.slicing.text}`, `CNI ${cniText(lab)}`)}]`);
  for (const c of [...(overlay?.captures ?? [])].sort((a, b) => a.point.localeCompare(b.point))) {
    const id = `cap${c.point}`;
    out.push(`  ${id}((${label(c.point)}))`);
    out.push(`  ${id}note[${label(`${c.point}: ${captureWhere(c, lab)}`, c.seen)}]`);
    out.push(`  ${id} -.- ${id}note`);
    const i = lab.nodes.findIndex((n) => isNode(n, c.node));
    if (i >= 0) out.push(`  ${id} -.- n${i}`);
  }
  out.push('  classDef natNet fill:#fdebd3,stroke:#b86e12', '  classDef hoNet fill:#dbe8fb,stroke:#2f6db5', '  classDef capture fill:#c62828,stroke:#7f0000,color:#ffffff');
  out.push(`  class ${perVm ? lab.nodes.map((_, i) => `nat${i}`).join(',') : 'nat'} natNet`, '  class ho,host hoNet');
  const caps = [...new Set((overlay?.captures ?? []).map((c) => `cap${c.point}`))];
  if (caps.length > 0) out.push(`  class ${caps.join(',')} capture`);
  return `${out.join('\n')}\n`;
}
