// Sizes of the path's packets in a capture, frame by frame, through src/capture's public readers and decoder.
import { createReadStream } from 'node:fs';
import { newDecodedPacket, PacketDecoder } from '../capture/decode-packet.js';
import { readCapture } from '../capture/read-capture.js';
import type { RawPacket } from '../capture/raw-packet.js';
import { VXLAN_PORTS } from '../capture/vxlan.js';
import { ipToInt } from '../lab/net.js';

/** LINKTYPE_ETHERNET: the frames whose sizes compare (both ends carry the same 14-byte Ethernet header). */
const ETHERNET = 1;

/** Frame sizes of one capture's packets between two addresses (either direction), by encapsulation. */
export interface PathSizes { sizes: number[]; encapsulations: string[]; nonEthernet: number }

/** Reads a capture and keeps the original length of every Ethernet frame whose inner packet goes between a and b. */
export async function pathPacketSizes(path: string, a: string, b: readonly string[], vxlanPorts: readonly number[] = VXLAN_PORTS): Promise<PathSizes> {
  const x = ipToInt(a) >>> 0;
  const ys = new Set(b.map((ip) => ipToInt(ip) >>> 0));
  const decoder = new PacketDecoder(vxlanPorts);
  const d = newDecodedPacket();
  const out: PathSizes = { sizes: [], encapsulations: [], nonEthernet: 0 };
  {
    const sink = (p: RawPacket): void => {
      decoder.decode(p, d);
      if (d.otherReason !== undefined || d.protocol < 0) return;
      const s = d.innerSource >>> 0;
      const t = d.innerDestination >>> 0;
      if (!((s === x && ys.has(t)) || (t === x && ys.has(s)))) return;
      if (p.linkType !== ETHERNET) { out.nonEthernet++; return; }
      out.sizes.push(p.originalLength);
      out.encapsulations.push(d.encapsulation);
    };
    await readCapture(createReadStream(path, { highWaterMark: 1024 * 1024 }), path, sink);
  }
  return out;
}
