// Checks the resolved lab a lab directory records in labgen.json ({ labgen: 1, lab }): the fields every reader relies on.
import type { Problem } from '../errors.js';
import type { ResolvedLab } from '../lab/types.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Checks a parsed labgen.json: format version 1 and the fields of the lab the picture needs. */
export function checkLabJson(value: unknown): { lab?: ResolvedLab; problems: Problem[] } {
  const problems: Problem[] = [];
  const need = (ok: boolean, path: string, message: string): void => { if (!ok) problems.push({ path, message }); };
  if (!isObj(value)) return { problems: [{ path: '', message: 'must be a JSON object { "labgen": 1, "lab": {...} }' }] };
  need(value.labgen === 1, 'labgen', `format ${JSON.stringify(value.labgen)} is not known; this labgen reads format 1`);
  const lab = value.lab;
  if (!isObj(lab)) return { problems: [...problems, { path: 'lab', message: 'must be an object' }] };
  need(isStr(lab.name), 'lab.name', 'must be a string');
  need(isStr(lab.description), 'lab.description', 'must be a string');
  const net = lab.network as Record<string, Record<string, unknown>> | undefined;
  need(isObj(net) && isObj(net.hostOnly) && isStr(net.hostOnly.cidr) && isStr(net.hostOnly.hostAddress), 'lab.network.hostOnly', 'must have cidr and hostAddress');
  need(isObj(net) && isObj(net.nat) && isStr(net.nat.cidr), 'lab.network.nat', 'must have cidr');
  need(isObj(lab.kubernetes) && isStr(lab.kubernetes.podCidr), 'lab.kubernetes.podCidr', 'must be a string');
  need(isObj(lab.cni) && isStr(lab.cni.summary) && isObj(lab.cni.encapsulation) && isObj(lab.cni.interface), 'lab.cni', 'must have summary, interface and encapsulation');
  need(isObj(lab.provider) && isStr(lab.provider.name) && isObj(lab.provider.options), 'lab.provider', 'must have name and options');
  need(isObj(lab.os) && isStr(lab.os.box), 'lab.os.box', 'must be a string');
  const nodes = lab.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) problems.push({ path: 'lab.nodes', message: 'must be a non-empty array' });
  else nodes.forEach((n: unknown, i) => {
    const ok = isObj(n) && isStr(n.name) && isStr(n.hostname) && isStr(n.role) && typeof n.cpus === 'number' && typeof n.memory === 'number'
      && Array.isArray(n.nics) && n.nics.length === 2 && n.nics.every((c: unknown) => isObj(c) && isStr(c.name) && isStr(c.address) && typeof c.prefixLength === 'number');
    need(ok, `lab.nodes[${i}]`, 'must have name, hostname, role, cpus, memory and two nics { name, address, prefixLength }');
  });
  return problems.length > 0 ? { problems } : { lab: lab as unknown as ResolvedLab, problems };
}
