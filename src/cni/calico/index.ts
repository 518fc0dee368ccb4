// Calico through the Tigera operator: the operator manifest at a pinned version plus an Installation rendered for the lab.
import type { Problem } from '../../errors.js';
import { closedObject, patterns } from '../../lab/json-schema.js';
import { DEFAULT_POD_CIDR } from '../../lab/defaults.js';
import { canonical, isNetworkAddress, overlaps, parseCidr, within } from '../../lab/net.js';
import type { LabDefinition, ResolvedLab, WireEncapsulation } from '../../lab/types.js';
import type { CniPlugin, FirewallRule } from '../types.js';

/** Pinned Calico releases (tigera/docs variables.js: releaseTitle v3.33.0, manifestsUrl .../calico/v3.33.0). */
export const CALICO_RELEASES: Record<string, { manifests: string }> = {
  'v3.33.0': { manifests: 'https://raw.githubusercontent.com/projectcalico/calico/v3.33.0/manifests' },
};

/** VirtualBox's default host-only range since 6.1.28: a pool inside it would collide with the host adapters. */
const VBOX_HOST_ONLY_RANGE = '192.168.56.0/21';

type Encapsulation = 'IPIP' | 'VXLAN' | 'None';

/** Calico's wire formats (docs.tigera.io requirements; FelixConfiguration vxlanPort 4789, vxlanVNI 4096). */
const WIRE: Record<Encapsulation, WireEncapsulation> = {
  IPIP: { kind: 'ipip', device: 'tunl0' },
  VXLAN: { kind: 'vxlan', udpPort: 4789, vni: 4096, device: 'vxlan.calico' },
  None: { kind: 'none' },
};

function escapeRegex(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

/** The Calico plugin. */
export const calico: CniPlugin = {
  name: 'calico',
  description: 'Calico (projectcalico/calico) via the Tigera operator: IP-in-IP (default), VXLAN, or plain BGP routing',
  versions: Object.keys(CALICO_RELEASES),
  optionsSchema: closedObject({
    encapsulation: { enum: ['IPIP', 'VXLAN', 'None'], default: 'IPIP', description: 'IP pool encapsulation: IPIP (IP protocol 4), VXLAN (UDP 4789), None (BGP-routed on the shared L2)' },
    poolCidr: { type: 'string', pattern: patterns.cidr4, description: 'IP pool CIDR (default: kubernetes.podCidr; must lie inside it)', 'x-fix': 'write an IPv4 CIDR inside kubernetes.podCidr' },
    blockSize: { type: 'integer', minimum: 20, maximum: 32, default: 26, description: 'per-node block size of the pool' },
    natOutgoing: { type: 'boolean', default: true, description: 'masquerade pod traffic leaving the pool' },
  }),
  nicSelection: 'Installation.spec.calicoNetwork.nodeAddressAutodetectionV4: interface (anchored regex of the lab\'s NIC name) or cidrs [the host-only CIDR]; never firstFound, which picks the NAT NIC',
  resolveOptions(o) {
    return { encapsulation: 'IPIP', blockSize: 26, natOutgoing: true, ...(o ?? {}) };
  },
  rules(lab: LabDefinition): Problem[] {
    const out: Problem[] = [];
    const podText = lab.kubernetes.podCidr ?? DEFAULT_POD_CIDR;
    const pod = parseCidr(podText);
    const poolText = lab.cni.options?.poolCidr as string | undefined;
    const pool = poolText ? parseCidr(poolText) : pod;
    if (poolText) {
      if (!isNetworkAddress(pool)) out.push({ path: 'cni.options.poolCidr', message: `"${poolText}" has host bits set`, fix: `write it as ${canonical(pool)}` });
      if (!within(pool, pod)) out.push({ path: 'cni.options.poolCidr', message: `Calico's pool ${poolText} is not inside kubernetes.podCidr ${podText}`, fix: `remove cni.options.poolCidr (it defaults to ${podText}) or pick a CIDR inside it` });
    }
    if (overlaps(pool, parseCidr(VBOX_HOST_ONLY_RANGE))) {
      out.push({ path: poolText ? 'cni.options.poolCidr' : 'kubernetes.podCidr', message: `Calico's pool ${pool.text} overlaps VirtualBox's host-only range ${VBOX_HOST_ONLY_RANGE} (Calico's own default 192.168.0.0/16 does)`, fix: 'use a pool such as 10.244.0.0/16' });
    }
    const blockSize = lab.cni.options?.blockSize as number | undefined;
    if (blockSize !== undefined && blockSize < pool.prefix) out.push({ path: 'cni.options.blockSize', message: `block size /${blockSize} is larger than the pool ${pool.text}`, fix: `use a block size of /${pool.prefix} or more (default 26)` });
    return out;
  },
  encapsulation: (o) => WIRE[o.encapsulation as Encapsulation],
  firewall(o): FirewallRule[] {
    const rules: FirewallRule[] = [
      { port: '179', protocol: 'tcp', why: 'Calico BGP' },
      { port: '5473', protocol: 'tcp', why: 'Calico Typha' },
    ];
    if (o.encapsulation === 'IPIP') rules.push({ ipProtocol: 4, name: 'ipip', why: 'Calico IP-in-IP' });
    if (o.encapsulation === 'VXLAN') rules.push({ port: '4789', protocol: 'udp', why: 'Calico VXLAN' });
    return rules;
  },
  readiness: () => ({
    daemonSets: [{ namespace: 'calico-system', name: 'calico-node' }],
    // The operator's own status (docs.tigera.io quickstart: kubectl get tigerastatus): Calico and the API server
    // labgen's Installation asks for must both be Available.
    conditions: [
      { resource: 'tigerastatus', name: 'calico', condition: 'Available' },
      { resource: 'tigerastatus', name: 'apiserver', condition: 'Available' },
    ],
  }),
  // The operator and what it installs own these namespaces whole (calico-node, typha, kube-controllers, csi, API server).
  logSources: () => [{ namespace: 'tigera-operator' }, { namespace: 'calico-system' }, { namespace: 'calico-apiserver' }],
  summary: (version, o) => `calico ${version} (${String(o.encapsulation)})`,
  render(lab: ResolvedLab, template) {
    const o = lab.cni.options;
    const encapsulation = o.encapsulation as Encapsulation;
    const ctx = {
      version: lab.cni.version,
      manifests: CALICO_RELEASES[lab.cni.version]!.manifests,
      poolCidr: (o.poolCidr as string | undefined) ?? lab.kubernetes.podCidr,
      blockSize: o.blockSize,
      encapsulation,
      // Plain routing (None) needs BGP to carry routes; IPIP also uses BGP for its routes; VXLAN does not need it.
      bgp: encapsulation === 'VXLAN' ? 'Disabled' : 'Enabled',
      natOutgoing: o.natOutgoing ? 'Enabled' : 'Disabled',
      interfaceRegex: lab.cni.interface.mode === 'name' ? `^${escapeRegex(lab.cni.interface.name)}$` : '',
      byAddress: lab.cni.interface.mode === 'auto',
      hostOnlyCidr: lab.network.hostOnly.cidr,
    };
    return [
      { path: 'cni/calico-installation.yaml', content: template('cni/calico/installation.yaml.hbs', ctx), mode: 0o644 },
      { path: 'cni/node-prep.sh', content: template('cni/calico/node-prep.sh.hbs', ctx), mode: 0o755 },
      { path: 'cni/install.sh', content: template('cni/calico/install.sh.hbs', ctx), mode: 0o755 },
    ];
  },
};
