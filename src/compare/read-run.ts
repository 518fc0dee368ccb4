// Reads a verify or demo run directory back (its record is input: checked before use); the only file access of compare.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VXLAN_PORTS } from '../capture/vxlan.js';
import type { Problem } from '../errors.js';
import { isIpv4 } from '../explain/state.js';
import { RUN_RECORDS, type RunReport } from '../verify/report.js';
import type { MeasuredSizes } from './compare.js';
import { pathPacketSizes } from './packet-sizes.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A run's report, or the problems that make the directory unusable (`DIR: message`). */
export function readRun(dir: string): { report?: RunReport; problems: Problem[] } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { problems: [{ path: dir, message: 'is not a directory', fix: 'pass a run directory: <lab dir>/captures/<run> (verify) or the --out of labgen demo' }] };
  const file = [RUN_RECORDS.verify, RUN_RECORDS.demo].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) return { problems: [{ path: dir, message: `holds neither ${RUN_RECORDS.verify} nor ${RUN_RECORDS.demo}`, fix: 'pass a directory written by labgen verify or labgen demo' }] };
  let v: unknown;
  try { v = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { return { problems: [{ path: file, message: `is not JSON: ${(e as Error).message}` }] }; }
  const problems: Problem[] = [];
  if (!isObj(v)) return { problems: [{ path: file, message: 'is not a run record' }] };
  for (const k of ['lab', 'cni', 'plugin', 'scenario', 'ping']) if (typeof v[k] !== 'string') problems.push({ path: `${file}: ${k}`, message: 'must be a string', fix: 'records from before labgen compare existed lack it: run verify or demo again' });
  if (!isObj(v.encapsulation) || typeof v.encapsulation.kind !== 'string') problems.push({ path: `${file}: encapsulation`, message: 'is missing', fix: 'run verify or demo again' });
  const pair = v.pair as { src?: { ip?: unknown }; dst?: { ip?: unknown } } | undefined;
  if (!isObj(pair) || typeof pair.src?.ip !== 'string' || !isIpv4(pair.src.ip) || typeof pair.dst?.ip !== 'string' || !isIpv4(pair.dst.ip)) problems.push({ path: `${file}: pair`, message: 'must name the two pods with IPv4 addresses' });
  if (!isObj(v.analyses) || !isObj(v.verdict) || !isObj(v.explanation)) problems.push({ path: file, message: 'lacks analyses, verdict or explanation', fix: 'run verify or demo again' });
  if (v.service !== undefined && (!isObj(v.service) || typeof v.service.ip !== 'string' || !isIpv4(v.service.ip))) problems.push({ path: `${file}: service`, message: 'must have an IPv4 ip' });
  return problems.length ? { problems } : { report: v as unknown as RunReport, problems };
}

/** Frame sizes of the path at A and B, read from the run's own A.pcap and B.pcap (never from paths in the record). */
export async function measureSizes(dir: string, r: RunReport): Promise<MeasuredSizes | undefined> {
  const a = join(dir, 'A.pcap');
  const b = join(dir, 'B.pcap');
  if (!existsSync(a) || !existsSync(b)) return undefined;
  const ports = r.encapsulation.kind === 'vxlan' ? [...new Set([...VXLAN_PORTS, r.encapsulation.udpPort])] : VXLAN_PORTS;
  const ends = [r.pair.dst.ip, ...(r.service ? [r.service.ip] : [])];
  const at = await pathPacketSizes(a, r.pair.src.ip, ends, ports);
  const bt = await pathPacketSizes(b, r.pair.src.ip, ends, ports);
  return { a: at.sizes, b: bt.sizes, nonEthernet: at.nonEthernet + bt.nonEthernet };
}
