/** LINKTYPE_* values labgen decodes (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  LINUX_SLL2: 276,
} as const;

/** EtherTypes the decoders dispatch on. */
export const ETHERTYPE = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, QINQ: 0x88a8, QINQ_OLD: 0x9100, IPV6: 0x86dd } as const;

/** Human names of link types for reports; unknown ones print as their number. */
export function linkTypeName(linkType: number): string {
  switch (linkType) {
    case LINKTYPE.ETHERNET: return 'ethernet';
    case LINKTYPE.RAW: return 'raw-ip';
    case LINKTYPE.IPV4: return 'raw-ipv4';
    case LINKTYPE.LINUX_SLL: return 'linux-sll';
    case LINKTYPE.LINUX_SLL2: return 'linux-sll2';
    default: return `linktype-${linkType}`;
  }
}

/** Where the network-layer header of a frame starts and what it is; reused between packets. */
export interface NetworkStart {
  etherType: number;
  offset: number;
}

/** Skips an Ethernet II header and any 802.1Q / 802.1ad tags; returns a reason when the frame is too short or not Ethernet II. */
export function ethernetPayload(buf: Buffer, start: number, end: number, out: NetworkStart): string | undefined {
  if (end - start < 14) return 'truncated ethernet header';
  let at = start + 12;
  let type = buf.readUInt16BE(at);
  while (type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.QINQ_OLD) {
    if (at + 6 > end) return 'truncated 802.1Q tag';
    at += 4;
    type = buf.readUInt16BE(at);
  }
  if (type < 0x0600) return 'ieee 802.3 / llc frame';
  out.etherType = type;
  out.offset = at + 2;
  return undefined;
}

/** Finds the network-layer header for any supported link type (Ethernet, Linux cooked v1/v2, raw IP). */
export function linkPayload(linkType: number, buf: Buffer, start: number, end: number, out: NetworkStart): string | undefined {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return ethernetPayload(buf, start, end, out);
    case LINKTYPE.LINUX_SLL: {
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      if (end - start < 16) return 'truncated linux cooked (sll) header';
      return cookedProtocol(buf.readUInt16BE(start + 14), start + 16, out);
    }
    case LINKTYPE.LINUX_SLL2: {
      // protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1) address(8)
      if (end - start < 20) return 'truncated linux cooked (sll2) header';
      return cookedProtocol(buf.readUInt16BE(start), start + 20, out);
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4: {
      if (end - start < 1) return 'empty raw ip packet';
      const version = (buf[start] ?? 0) >> 4;
      if (version !== 4 && version !== 6) return `raw ip packet of version ${version}`;
      out.etherType = version === 4 ? ETHERTYPE.IPV4 : ETHERTYPE.IPV6;
      out.offset = start;
      return undefined;
    }
    default:
      return `unsupported link type ${linkTypeName(linkType)}`;
  }
}

/** Cooked headers carry an EtherType, except the Linux pseudo-protocols below 0x0600 (802.2, 802.3, CAN...). */
function cookedProtocol(protocol: number, offset: number, out: NetworkStart): string | undefined {
  if (protocol < 0x0600) return `linux cooked pseudo-protocol 0x${protocol.toString(16).padStart(4, '0')}`;
  out.etherType = protocol;
  out.offset = offset;
  return undefined;
}
