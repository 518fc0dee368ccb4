// The graph's data: what a run adds to the picture (GraphOverlay) and the drawing model (Layout) toSvg draws.

/** A capture point of the article's experiment: A/D at the pods' NICs, B/C at the nodes' NIC2. */
export type CapturePointName = 'A' | 'B' | 'C' | 'D';

/** One node's slice of the pod CIDR, known once a cluster runs (node.spec.podCIDR); `node` is the name or FQDN. */
export interface PodSlice { node: string; podCidr: string }

/** Where a capture was taken and what was seen there; `node` is the lab node's name or FQDN. */
export interface CapturePoint {
  point: CapturePointName;
  node: string;
  /** Interface captured on: a NIC of the node (enp0s8), or the pod's NIC (eth0) when podName/podIp is set. */
  iface: string;
  podName?: string;
  podIp?: string;
  /** One line on what was seen, e.g. `ICMP 10.244.1.5 > 10.244.2.7 in VXLAN UDP 8472 VNI 1`. */
  seen: string;
}

/** What a running cluster or a verify run adds to the lab's picture; every part is optional. */
export interface GraphOverlay { podSlices?: PodSlice[]; captures?: CapturePoint[]; notes?: NodeNote[] }

/** Short lines a run adds inside a node's box: the devices and routes the explanation read there. */
export interface NodeNote { node: string; lines: string[] }

/** A piece of text with its box computed from the font metric (x/y is the top-left corner, in px). */
export interface TextBox { x: number; y: number; width: number; height: number; text: string; size: number; bold?: boolean; fill?: string; anchor?: 'start' | 'middle' }

/** A rectangle (node, NIC, pod, host adapter); `kind` says what it stands for, for tests and styling. */
export interface RectShape { x: number; y: number; width: number; height: number; fill: string; stroke: string; rx: number; kind: string; dashed?: boolean }

/** A straight, axis-aligned line: network bars and connectors. */
export interface LineShape { x1: number; y1: number; x2: number; y2: number; stroke: string; width: number; kind: string; dashed?: boolean }

/** A capture marker's disc (its letter is a TextBox). */
export interface CircleShape { cx: number; cy: number; r: number; fill: string; stroke: string; kind: string }

/** Everything toSvg draws, with exact geometry, so tests check overlaps on the model instead of pixels. */
export interface Layout { width: number; height: number; title: string; description: string; rects: RectShape[]; lines: LineShape[]; circles: CircleShape[]; texts: TextBox[] }
