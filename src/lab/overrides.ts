// Command-line overrides of a lab (--cni, --provider), applied to the definition before it is checked again.
import { UsageError } from '../errors.js';
import type { Registries } from '../registries.js';
import type { LabDefinition } from './types.js';

/** Flags that change a lab without editing its file. */
export interface LabOverrides { cni?: string; provider?: string }

/** Returns the overridden definition and notices explaining what changed beyond the flag itself. */
export function applyOverrides(def: LabDefinition, o: LabOverrides, reg: Registries): { def: LabDefinition; notices: string[] } {
  const notices: string[] = [];
  let out: LabDefinition = structuredClone(def);
  if (o.cni !== undefined) {
    if (!reg.cni.get(o.cni)) throw new UsageError(`--cni: ${reg.cni.unknown(o.cni)}`);
    if (o.cni !== def.cni.plugin) {
      // Options and version belong to the old plugin; the NIC choice carries over.
      out = { ...out, cni: { plugin: o.cni, ...(def.cni.interface ? { interface: def.cni.interface } : {}) } };
      notices.push(`CNI ${def.cni.plugin} replaced by ${o.cni} with its defaults (${reg.cni.require(o.cni).summary(reg.cni.require(o.cni).versions[0]!, reg.cni.require(o.cni).resolveOptions(undefined))})`);
      // The new plugin's upstream may require firewalld off (its declaration), whatever the old one needed.
      const fw = reg.cni.require(o.cni).hostFirewall;
      if (fw.mode === 'disabled' && out.os.firewall === 'configured') {
        notices.push(`os.firewall: disabled, as ${o.cni} requires (${fw.why})`);
        out = { ...out, os: { ...out.os, firewall: 'disabled' } };
      }
    }
  }
  if (o.provider !== undefined) {
    if (!reg.providers.get(o.provider)) throw new UsageError(`--provider: ${reg.providers.unknown(o.provider)}`);
    const before = def.provider?.name ?? reg.providers.first().name;
    out = { ...out, provider: { ...(out.provider ?? {}), name: o.provider } };
    if (o.provider !== before) {
      // The new provider replaces what it cannot honour (its own declaration), and the family's box for it is used.
      const adopted = reg.providers.require(o.provider).adopt(out);
      out = adopted.def;
      notices.push(...adopted.notices);
      if (out.os.box === undefined) notices.push(`box: the ${out.os.family} family's box for ${o.provider}`);
    }
  }
  return { def: out, notices };
}
