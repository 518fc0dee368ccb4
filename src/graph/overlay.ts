// Reads a GraphOverlay from untrusted JSON (a --overlay file, a verify run's record): every problem at once.
import type { Problem } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';
import { isNode } from './labels.js';
import type { CapturePoint, GraphOverlay, NodeNote, PodSlice } from './types.js';

const POINTS = ['A', 'B', 'C', 'D'] as const;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TEXT = /^[^\u0000-\u001f\u007f]{1,300}$/u;

/** Checks that a value is a GraphOverlay whose nodes exist in the lab; problems are `path: message`. */
export function checkOverlay(value: unknown, lab: ResolvedLab): { overlay?: GraphOverlay; problems: Problem[] } {
  const problems: Problem[] = [];
  const known = lab.nodes.map((n) => n.name).join(', ');
  const str = (o: Record<string, unknown>, key: string, path: string, required: boolean): void => {
    const v = o[key];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || !TEXT.test(v)) problems.push({ path: `${path}.${key}`, message: v === undefined ? 'is required' : 'must be a one-line string of 1 to 300 characters' });
  };
  const node = (o: Record<string, unknown>, path: string): void => {
    str(o, 'node', path, true);
    if (typeof o.node === 'string' && !lab.nodes.some((n) => isNode(n, o.node as string))) {
      problems.push({ path: `${path}.node`, message: `"${o.node}" is not a node of lab ${lab.name}`, fix: `use one of [${known}] or their FQDNs` });
    }
  };
  if (!isObj(value)) return { problems: [{ path: '', message: 'an overlay must be a JSON object: { "podSlices": [...], "captures": [...] }' }] };
  for (const key of Object.keys(value)) if (key !== 'podSlices' && key !== 'captures' && key !== 'notes') problems.push({ path: key, message: 'is not an overlay field', fix: 'use podSlices, captures and notes' });
  const list = (key: string): unknown[] => {
    const v = value[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) { problems.push({ path: key, message: 'must be an array' }); return []; }
    return v;
  };
  list('podSlices').forEach((s, i) => {
    const path = `podSlices[${i}]`;
    if (!isObj(s)) { problems.push({ path, message: 'must be an object { node, podCidr }' }); return; }
    node(s, path);
    str(s, 'podCidr', path, true);
  });
  list('captures').forEach((c, i) => {
    const path = `captures[${i}]`;
    if (!isObj(c)) { problems.push({ path, message: 'must be an object { point, node, iface, seen, podName?, podIp? }' }); return; }
    if (!POINTS.includes(c.point as CapturePoint['point'])) problems.push({ path: `${path}.point`, message: `must be one of [${POINTS.join(', ')}]` });
    node(c, path);
    for (const k of ['iface', 'seen']) str(c, k, path, true);
    for (const k of ['podName', 'podIp']) str(c, k, path, false);
  });
  list('notes').forEach((n, i) => {
    const path = `notes[${i}]`;
    if (!isObj(n)) { problems.push({ path, message: 'must be an object { node, lines: [string] }' }); return; }
    node(n, path);
    if (!Array.isArray(n.lines) || n.lines.some((l) => typeof l !== 'string' || !TEXT.test(l))) problems.push({ path: `${path}.lines`, message: 'must be an array of one-line strings of 1 to 300 characters' });
  });
  if (problems.length > 0) return { problems };
  const overlay: GraphOverlay = {};
  if (value.podSlices !== undefined) overlay.podSlices = value.podSlices as PodSlice[];
  if (value.captures !== undefined) overlay.captures = value.captures as CapturePoint[];
  if (value.notes !== undefined) overlay.notes = value.notes as NodeNote[];
  return { overlay, problems };
}
