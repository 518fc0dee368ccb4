import type { ContainerInfo } from './raw-packet.js';
import type { Encapsulation } from './decode-packet.js';

/** Two ends of a flow, oriented the way its first request travelled. */
export interface Endpoints {
  source: string;
  destination: string;
}

/** One bidirectional conversation seen in a capture, keyed by encapsulation, outer and inner endpoints. */
export interface Flow {
  encapsulation: Encapsulation;
  /** The node-to-node header (vxlan, ipip only). */
  outer?: Endpoints;
  /** VXLAN destination port (vxlan only). */
  udpPort?: number;
  /** VXLAN network identifier (vxlan only). */
  vni?: number;
  /** The pod-to-pod packet (for `none`, the only IP header); `arp` flows name sender and target. */
  inner: Endpoints & { protocol: string };
  packets: number;
  echoRequests: number;
  echoReplies: number;
  /** Only on `arp` flows. */
  arpRequests?: number;
  arpReplies?: number;
}

/** What `labgen analyze` reports for one capture file. */
export interface FileAnalysis extends ContainerInfo {
  file: string;
  linkTypes: string[];
  packets: number;
  capturedBytes: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  flows: Flow[];
  /** Packets that belong to no IPv4/ARP flow, counted by reason (e.g. `ipv6`, `truncated ipv4 header`). */
  other: Record<string, number>;
  /** When the capture holds more flows than are kept (MAX_FLOWS): how many are listed and how many packets the rest had. */
  flowLimit?: { listed: number; untrackedPackets: number };
}
