import { ARP_OP } from './arp.js';
import type { Flow } from './analysis.js';
import { ARP_PROTOCOL, type DecodedPacket } from './decode-packet.js';
import { ICMP_TYPE } from './icmp.js';
import { IP_PROTOCOL, ipProtocolName, ipv4ToString } from './ipv4.js';

/** Most flows one analysis keeps (a lab's capture has a few dozen); packets of further flows are only counted. */
export const MAX_FLOWS = 10_000;

/** Aggregates decoded packets into bidirectional flows, in first-seen order, keeping at most `maxFlows`. */
export class FlowTable {
  private readonly byKey = new Map<string, Flow>();
  /** Packets that belonged to flows beyond the limit (not listed: keeping them would make memory grow with the capture). */
  untrackedPackets = 0;

  constructor(private readonly maxFlows = MAX_FLOWS) {}

  /** Counts one packet that decoded into a flow (otherReason undefined). */
  add(p: DecodedPacket): void {
    // Both directions of a conversation share one key: order the (inner, outer) endpoint pairs.
    const forward = p.innerSource < p.innerDestination
      || (p.innerSource === p.innerDestination && p.outerSource <= p.outerDestination);
    const key = forward
      ? `${p.encapsulation}|${p.udpPort}|${p.vni}|${p.protocol}|${p.innerSource}|${p.innerDestination}|${p.outerSource}|${p.outerDestination}`
      : `${p.encapsulation}|${p.udpPort}|${p.vni}|${p.protocol}|${p.innerDestination}|${p.innerSource}|${p.outerDestination}|${p.outerSource}`;
    let flow = this.byKey.get(key);
    if (!flow) {
      if (this.byKey.size >= this.maxFlows) { this.untrackedPackets++; return; }
      flow = newFlow(p);
      this.byKey.set(key, flow);
    }
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
    return [...this.byKey.values()];
  }
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
