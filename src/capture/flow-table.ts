import { ARP_OP } from './arp.js';
import type { Flow } from './analysis.js';
import { ARP_PROTOCOL, type DecodedPacket } from './decode-packet.js';
import { ICMP_TYPE } from './icmp.js';
import { IP_PROTOCOL, ipProtocolName, ipv4ToString } from './ipv4.js';

/** One flow's key fields (direction-normalised) and its counters; entries with the same hash are chained. */
interface Entry {
  encapsulation: DecodedPacket['encapsulation'];
  udpPort: number;
  vni: number;
  protocol: number;
  innerA: number;
  innerB: number;
  outerA: number;
  outerB: number;
  flow: Flow;
  next: Entry | undefined;
}

/** Mixes the key fields into a 31-bit hash with integer arithmetic only (no per-packet string or object). */
function hashKey(encapsulation: string, udpPort: number, vni: number, protocol: number, a: number, b: number, c: number, d: number): number {
  let h = (encapsulation.length * 0x9e3779b1) | 0;
  h = Math.imul(h ^ udpPort, 0x85ebca6b);
  h = Math.imul(h ^ vni, 0xc2b2ae35);
  h = Math.imul(h ^ protocol, 0x27d4eb2f);
  h = Math.imul(h ^ a, 0x165667b1);
  h = Math.imul(h ^ b, 0x9e3779b1);
  h = Math.imul(h ^ c, 0x85ebca6b);
  h = Math.imul(h ^ d, 0xc2b2ae35);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** Most flows one analysis keeps (a lab's capture has a few dozen); packets of further flows are only counted. */
export const MAX_FLOWS = 10_000;

/** Aggregates decoded packets into bidirectional flows, in first-seen order, keeping at most `maxFlows`. Per packet it does integer work only: a
 * hash of the key fields, a Map lookup by that small integer, and field comparisons along the (almost always one-long)
 * chain; the last flow hit is tried first, since captures come in runs of one conversation. */
export class FlowTable {
  private readonly byHash = new Map<number, Entry>();
  private readonly order: Flow[] = [];
  private last: Entry | undefined;
  /** Packets that belonged to flows beyond the limit (not listed: keeping them would make memory grow with the capture). */
  untrackedPackets = 0;

  constructor(private readonly maxFlows = MAX_FLOWS) {}

  /** Counts one packet that decoded into a flow (otherReason undefined). */
  add(p: DecodedPacket): void {
    // Both directions of a conversation share one key: order the (inner, outer) endpoint pairs.
    const forward = p.innerSource < p.innerDestination
      || (p.innerSource === p.innerDestination && p.outerSource <= p.outerDestination);
    const innerA = forward ? p.innerSource : p.innerDestination;
    const innerB = forward ? p.innerDestination : p.innerSource;
    const outerA = forward ? p.outerSource : p.outerDestination;
    const outerB = forward ? p.outerDestination : p.outerSource;
    let entry = this.last;
    if (!entry || !matches(entry, p, innerA, innerB, outerA, outerB)) {
      const hash = hashKey(p.encapsulation, p.udpPort, p.vni, p.protocol, innerA, innerB, outerA, outerB);
      const head = this.byHash.get(hash);
      entry = head;
      while (entry && !matches(entry, p, innerA, innerB, outerA, outerB)) entry = entry.next;
      if (!entry) {
        if (this.order.length >= this.maxFlows) { this.untrackedPackets++; return; }
        entry = { encapsulation: p.encapsulation, udpPort: p.udpPort, vni: p.vni, protocol: p.protocol, innerA, innerB, outerA, outerB, flow: newFlow(p), next: head };
        this.byHash.set(hash, entry);
        this.order.push(entry.flow);
      }
      this.last = entry;
    }
    const flow = entry.flow;
    flow.packets++;
    if (p.protocol === IP_PROTOCOL.ICMP) {
      if (p.icmpType === ICMP_TYPE.ECHO_REQUEST) flow.echoRequests++;
      else if (p.icmpType === ICMP_TYPE.ECHO_REPLY) flow.echoReplies++;
    } else if (p.protocol === ARP_PROTOCOL) {
      if (p.arpOperation === ARP_OP.REQUEST) flow.arpRequests = (flow.arpRequests ?? 0) + 1;
      else if (p.arpOperation === ARP_OP.REPLY) flow.arpReplies = (flow.arpReplies ?? 0) + 1;
    }
  }

  /** The flows seen so far, in the order their first packet arrived. */
  flows(): Flow[] {
    return [...this.order];
  }
}

function matches(e: Entry, p: DecodedPacket, innerA: number, innerB: number, outerA: number, outerB: number): boolean {
  return e.innerA === innerA && e.innerB === innerB && e.outerA === outerA && e.outerB === outerB
    && e.protocol === p.protocol && e.udpPort === p.udpPort && e.vni === p.vni && e.encapsulation === p.encapsulation;
}

/** Builds a flow oriented like its first packet, or reversed when that packet is an answer (echo reply, ARP reply). */
function newFlow(p: DecodedPacket): Flow {
  const arp = p.protocol === ARP_PROTOCOL;
  const answer = (p.protocol === IP_PROTOCOL.ICMP && p.icmpType === ICMP_TYPE.ECHO_REPLY)
    || (arp && p.arpOperation === ARP_OP.REPLY);
  const [innerA, innerB, outerA, outerB] = answer
    ? [p.innerDestination, p.innerSource, p.outerDestination, p.outerSource]
    : [p.innerSource, p.innerDestination, p.outerSource, p.outerDestination];
  return {
    encapsulation: p.encapsulation,
    ...(p.encapsulation !== 'none' ? { outer: { source: ipv4ToString(outerA), destination: ipv4ToString(outerB) } } : {}),
    ...(p.encapsulation === 'vxlan' ? { udpPort: p.udpPort, vni: p.vni } : {}),
    inner: { source: ipv4ToString(innerA), destination: ipv4ToString(innerB), protocol: arp ? 'arp' : ipProtocolName(p.protocol) },
    packets: 0,
    echoRequests: 0,
    echoReplies: 0,
    ...(arp ? { arpRequests: 0, arpReplies: 0 } : {}),
  };
}
