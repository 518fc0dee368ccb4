// Calico through the Tigera operator: the operator manifest at a pinned version plus an Installation rendered for the lab.
import type { Problem } from '../../errors.js';
import { closedObject, patterns } from '../../lab/json-schema.js';
import { DEFAULT_POD_CIDR } from '../../lab/defaults.js';
import { canonical, isNetworkAddress, parseCidr, within } from '../../lab/net.js';
import type { LabDefinition, ResolvedLab, WireEncapsulation } from '../../lab/types.js';
import type { CniDataplane, CniPlugin, FirewallRule, NodePodSlice } from '../types.js';
import { compareVersions } from '../../lab/versions.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** A pinned Calico release: where its manifests are and which CRD manifest its docs install for each Kubernetes minor. */
export interface CalicoRelease {
  manifests: string;
  /** Kubernetes minors the release is tested on (docs.tigera.io "System requirements": 3.33 on 1.35-1.37). */
  kubernetesMinors: readonly string[];
  /** CRD manifest per Kubernetes minor, newest rule first: the first whose `fromMinor` is <= the lab's minor applies. */
  crds: readonly { fromMinor: string; file: string }[];
}

/**
 * Pinned Calico releases (tigera/docs variables.js: releaseTitle v3.33.0, manifestsUrl .../calico/v3.33.0). The 3.33
 * install docs: "Install the appropriate Calico CRDs for the Kubernetes version": v3_projectcalico_org.yaml
 * (projectcalico.org/v3 and operator.tigera.io/v1 as native CRDs) for Kubernetes 1.36+, v1_crd_projectcalico_org.yaml
 * before. operator-crds.yaml is only a legacy copy of the v1 file (calico's manifests/generate.sh: "Maintain legacy
 * operator-crds.yaml for a while").
 */
export const CALICO_RELEASES: Record<string, CalicoRelease> = {
  'v3.33.0': {
    manifests: 'https://raw.githubusercontent.com/projectcalico/calico/v3.33.0/manifests',
    kubernetesMinors: ['1.35', '1.36', '1.37'],
    crds: [{ fromMinor: '1.36', file: 'v3_projectcalico_org.yaml' }, { fromMinor: '0', file: 'v1_crd_projectcalico_org.yaml' }],
  },
};

/** The CRD manifest Calico's docs install for a Kubernetes minor. */
export function calicoCrdManifest(release: CalicoRelease, minor: string): string {
  return release.crds.find((c) => compareVersions(minor, c.fromMinor) >= 0)!.file;
}

type Encapsulation = 'IPIP' | 'VXLAN' | 'None';

/** Calico's wire formats (docs.tigera.io requirements; FelixConfiguration vxlanPort 4789, vxlanVNI 4096). */
const WIRE: Record<Encapsulation, WireEncapsulation> = {
  IPIP: { kind: 'ipip', device: 'tunl0' },
  VXLAN: { kind: 'vxlan', udpPort: 4789, vni: 4096, device: 'vxlan.calico' },
  None: { kind: 'none' },
};

const CIDR4 = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** The confirmed, not deleted block affinities of `kubectl get blockaffinities -o json` as node slices. */
export function blockAffinities(json: unknown): NodePodSlice[] {
  const items = (json as { items?: unknown })?.items;
  if (!Array.isArray(items)) return [];
  const out: NodePodSlice[] = [];
  for (const it of items as { spec?: { node?: unknown; cidr?: unknown; state?: unknown; deleted?: unknown } }[]) {
    const s = it?.spec;
    // deleted is a string ("false") in the crd.projectcalico.org/v1 CRD, a boolean in projectcalico.org/v3.
    if (typeof s?.node !== 'string' || typeof s.cidr !== 'string' || !CIDR4.test(s.cidr) || (s.state !== undefined && s.state !== 'confirmed') || s.deleted === true || s.deleted === 'true') continue;
    out.push({ node: s.node, podCidr: s.cidr });
  }
  return out.sort((a, b) => a.node.localeCompare(b.node) || a.podCidr.localeCompare(b.podCidr, 'en', { numeric: true }));
}

function escapeRegex(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

/** The Calico plugin. */
export const calico: CniPlugin = {
  name: 'calico',
  templatesDir: templatesBeside(import.meta.url),
  description: 'Calico (projectcalico/calico) via the Tigera operator: IP-in-IP (default), VXLAN, or plain BGP routing',
  versions: Object.keys(CALICO_RELEASES),
  kubernetesMinors: Object.fromEntries(Object.entries(CALICO_RELEASES).map(([v, r]) => [v, r.kubernetesMinors])),
  // docs.tigera.io "System requirements" (Linux): "If your Linux distribution comes with installed Firewalld or
  // another iptables manager it should be disabled. These may interfere with rules added by Calico."
  hostFirewall: { mode: 'disabled', why: 'Calico\'s system requirements say firewalld should be disabled: it may interfere with the rules Calico adds' },
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
    const blockSize = lab.cni.options?.blockSize as number | undefined;
    if (blockSize !== undefined && blockSize < pool.prefix) out.push({ path: 'cni.options.blockSize', message: `block size /${blockSize} is larger than the pool ${pool.text}`, fix: `use a block size of /${pool.prefix} or more (default 26)` });
    return out;
  },
  encapsulation: (o) => WIRE[o.encapsulation as Encapsulation],
  dataplane(lab): CniDataplane {
    const o = lab.cni.options;
    // Calico's pod wiring (docs.tigera.io, "the Calico data path"): a /32 pod address, default route via
    // 169.254.1.1 answered by proxy ARP on the host's cali* veth (MAC ee:ee:ee:ee:ee:ee), one /32 route per pod;
    // IPAM hands each node /blockSize blocks (26) and BIRD adds a blackhole route for the node's own block.
    // Felix's MTU auto-detection: NIC MTU less 20 (IP-in-IP), 50 (VXLAN), 0 (no encapsulation).
    const enc = o.encapsulation as Encapsulation;
    return {
      pod: { kind: 'routed', gateway: '169.254.1.1', vethPrefix: 'cali', hostMac: 'ee:ee:ee:ee:ee:ee' },
      mtu: enc === 'IPIP' ? 1480 : enc === 'VXLAN' ? 1450 : 1500,
      sliceLength: o.blockSize as number,
      pool: (o.poolCidr as string | undefined) ?? lab.kubernetes.podCidr,
      blackholeOwnSlice: true,
      notes: `IPAM blocks of /${String(o.blockSize)} per node from the pool, pods on /32 routes behind cali* veths answering 169.254.1.1 by proxy ARP`,
    };
  },
  // Calico IPAM (docs.tigera.io "IP pool" blockSize, default 26; "Block affinity": spec.node, spec.cidr, spec.state
  // confirmed|pending|pendingDeletion, spec.deleted): a node claims a block of the pool when it needs addresses and
  // another when that one is full, so a node can hold several; node.spec.podCIDR is not used by calico-ipam.
  podSlicing: (lab) => ({
    prefixLength: lab.cni.options.blockSize as number,
    several: true,
    text: `/${String(lab.cni.options.blockSize)} IPAM blocks of ${(lab.cni.options.poolCidr as string | undefined) ?? lab.kubernetes.podCidr}, one or more per node`,
    query: { args: ['get', 'blockaffinities'], parse: blockAffinities },
  }),
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
      crds: calicoCrdManifest(CALICO_RELEASES[lab.cni.version]!, lab.kubernetes.minor),
      minor: lab.kubernetes.minor,
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
      { path: 'cni/calico-installation.yaml', content: template('installation.yaml.hbs', ctx), mode: 0o644 },
      { path: 'cni/node-prep.sh', content: template('node-prep.sh.hbs', ctx), mode: 0o755 },
      { path: 'cni/install.sh', content: template('install.sh.hbs', ctx), mode: 0o755 },
    ];
  },
};
