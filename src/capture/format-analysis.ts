import type { FileAnalysis, Flow } from './analysis.js';
import { table } from '../ui/table.js';

/** Renders one file's analysis as the text `labgen analyze` prints: a header line, one line per flow, then other packets. */
export function formatAnalysis(a: FileAnalysis): string {
  const lines: string[] = [];
  const span = a.firstTimestamp ? `, ${a.firstTimestamp} .. ${a.lastTimestamp ?? a.firstTimestamp}` : '';
  lines.push(`${a.file}: ${a.format} (${a.byteOrder}, ${a.timestampResolution}), ${a.linkTypes.join('+') || 'no link type'}, `
    + `${plural(a.packets, 'packet')}${span}`);
  for (const line of table(a.flows.map(flowColumns))) lines.push(`  ${line}`);
  if (a.flows.length === 0) lines.push('  no IPv4 or ARP flows');
  if (a.flowLimit) lines.push(`  ... more flows than the ${a.flowLimit.listed} listed: ${plural(a.flowLimit.untrackedPackets, 'packet')} of further flows are counted, not listed`);
  const other = Object.entries(a.other);
  if (other.length > 0) lines.push(`  other packets: ${other.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  return lines.join('\n');
}

/** The columns of one flow line: encapsulation, outer endpoints, port/VNI, inner endpoints, protocol, counts. */
function flowColumns(f: Flow): string[] {
  const outer = f.outer ? `${f.outer.source} -> ${f.outer.destination}` : '';
  const tunnel = f.encapsulation === 'vxlan' ? `udp/${f.udpPort} vni ${f.vni}` : '';
  const inner = `${f.inner.source} -> ${f.inner.destination}`;
  let counts = plural(f.packets, 'packet');
  if (f.inner.protocol === 'icmp') counts += `: ${plural(f.echoRequests, 'echo request')}, ${plural(f.echoReplies, 'echo reply', 'echo replies')}`;
  if (f.inner.protocol === 'arp') counts += `: ${plural(f.arpRequests ?? 0, 'request')}, ${plural(f.arpReplies ?? 0, 'reply', 'replies')}`;
  return [f.encapsulation, outer, tunnel, inner, f.inner.protocol, counts];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
