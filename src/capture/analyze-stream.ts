import type { FileAnalysis } from './analysis.js';
import { newDecodedPacket, PacketDecoder } from './decode-packet.js';
import { FlowTable } from './flow-table.js';
import { linkTypeName } from './link-layer.js';
import type { RawPacket } from './raw-packet.js';
import { readCapture } from './read-capture.js';
import { VXLAN_PORTS } from './vxlan.js';

/** Options for analysis; the defaults match the VXLAN ports CNI plugins put on the wire (IANA's and Linux's). */
export interface AnalyzeOptions {
  /** UDP destination ports decoded as VXLAN. */
  vxlanPorts?: readonly number[];
  /** Most flows kept (default MAX_FLOWS). */
  maxFlows?: number;
}

/** Analyzes one capture given as a stream of byte chunks (pure: no file system); `file` names it in results and errors. */
export async function analyzeStream(source: AsyncIterable<Uint8Array>, file: string, options: AnalyzeOptions = {}): Promise<FileAnalysis> {
  const decoder = new PacketDecoder(options.vxlanPorts ?? VXLAN_PORTS);
  const decoded = newDecodedPacket();
  const table = new FlowTable(options.maxFlows);
  const other = new Map<string, number>();
  const linkTypes = new Set<number>();
  let packets = 0;
  let capturedBytes = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  let lastLinkType = -1;
  const sink = (p: RawPacket): void => {
    packets++;
    capturedBytes += p.capturedLength;
    if (packets === 1) first = p.timestamp;
    last = p.timestamp;
    if (p.linkType !== lastLinkType) { lastLinkType = p.linkType; linkTypes.add(p.linkType); }
    decoder.decode(p, decoded);
    if (decoded.otherReason === undefined) table.add(decoded);
    else other.set(decoded.otherReason, (other.get(decoded.otherReason) ?? 0) + 1);
  };
  const info = await readCapture(source, file, sink);
  const firstTimestamp = isoTime(first);
  const lastTimestamp = isoTime(last);
  return {
    file,
    ...info,
    linkTypes: [...linkTypes].map(linkTypeName),
    packets,
    capturedBytes,
    ...(firstTimestamp !== undefined ? { firstTimestamp } : {}),
    ...(lastTimestamp !== undefined ? { lastTimestamp } : {}),
    flows: table.flows(),
    other: Object.fromEntries(other),
    ...(table.untrackedPackets > 0 ? { flowLimit: { listed: table.flows().length, untrackedPackets: table.untrackedPackets } } : {}),
  };
}

/** ISO 8601 text of a capture timestamp, or undefined when there is none or it is outside what Date can show. */
function isoTime(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e12) return undefined;
  return new Date(seconds * 1000).toISOString();
}
