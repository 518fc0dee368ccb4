// flannel: the article's CNI. Renders the upstream manifest (kube-flannel.yml) at a pinned version with the lab's Network, backend and NIC.
import type { Problem } from '../../errors.js';
import { closedObject } from '../../lab/json-schema.js';
import type { LabDefinition, ResolvedLab, WireEncapsulation } from '../../lab/types.js';
import type { CniDataplane, CniPlugin, FirewallRule } from '../types.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** Images of each pinned flannel release (Documentation/kube-flannel.yml of flannel-io/flannel at v0.28.9, the release asset). */
export const FLANNEL_IMAGES: Record<string, { flannel: string; cniPlugin: string }> = {
  'v0.28.9': { flannel: 'ghcr.io/flannel-io/flannel:v0.28.9', cniPlugin: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3' },
};

type Backend = 'vxlan' | 'host-gw' | 'wireguard';

/** flannel's VXLAN defaults on Linux (Documentation/backends.md): VNI 1, the kernel's port 8472, device flannel.1. */
const VXLAN_DEFAULTS = { vni: 1, port: 8472 };
/** flannel's WireGuard default ListenPort (backends.md). */
const WIREGUARD_PORT = 51820;

function opts(o: Record<string, unknown>): { backend: Backend; vni: number; port: number } {
  return { backend: o.backend as Backend, vni: o.vni as number, port: o.port as number };
}

/** The flannel plugin. */
export const flannel: CniPlugin = {
  name: 'flannel',
  templatesDir: templatesBeside(import.meta.url),
  description: 'flannel (flannel-io/flannel): overlay with VXLAN (default), host-gw routes or WireGuard',
  versions: Object.keys(FLANNEL_IMAGES),
  // flannel-io/flannel at v0.28.9: the e2e suite runs on kindest/node v1.36.1 (e2e/kind-config.yaml) and the
  // functional test on 1.34.6 (Makefile K8S_VERSION); nothing there runs 1.37, so labgen does not claim it.
  kubernetesMinors: { 'v0.28.9': ['1.34', '1.35', '1.36'] },
  hostFirewall: { mode: 'configured' },
  optionsSchema: closedObject({
    backend: { enum: ['vxlan', 'host-gw', 'wireguard'], default: 'vxlan', description: 'flannel backend (net-conf.json Backend.Type)' },
    vni: { type: 'integer', minimum: 1, maximum: 16777215, default: VXLAN_DEFAULTS.vni, description: 'VXLAN network identifier (vxlan only)' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: VXLAN_DEFAULTS.port, description: 'VXLAN UDP port (vxlan only; Linux kernel default 8472)' },
  }),
  nicSelection: 'flanneld --iface=<name>, or --iface=$(NODE_IP) (flanneld accepts an IP) with NODE_IP from the pod\'s status.hostIP, which kubelet\'s node-ip makes the host-only address',
  resolveOptions(o) {
    return { backend: 'vxlan', vni: VXLAN_DEFAULTS.vni, port: VXLAN_DEFAULTS.port, ...(o ?? {}) };
  },
  rules(lab: LabDefinition): Problem[] {
    const o = lab.cni.options ?? {};
    const out: Problem[] = [];
    if (o.backend !== undefined && o.backend !== 'vxlan') {
      for (const key of ['vni', 'port'] as const) {
        if (o[key] !== undefined) out.push({ path: `cni.options.${key}`, message: `only applies to the vxlan backend, not ${String(o.backend)}`, fix: `remove cni.options.${key} or set backend: vxlan` });
      }
    }
    return out;
  },
  encapsulation(o): WireEncapsulation {
    const { backend, vni, port } = opts(o);
    if (backend === 'vxlan') return { kind: 'vxlan', udpPort: port, vni, device: `flannel.${vni}` };
    if (backend === 'wireguard') return { kind: 'wireguard', udpPort: WIREGUARD_PORT, device: 'flannel-wg' };
    return { kind: 'none' };
  },
  dataplane(lab): CniDataplane {
    const { backend } = opts(lab.cni.options);
    // flannel's CNI config delegates to the bridge plugin with bridge cni0 (kube-flannel.yml's cni-conf.json),
    // the slice is node.spec.podCIDR (kube-controller-manager's --node-cidr-mask-size, 24 by default), and
    // flanneld sets the MTU to the NIC's less the backend's overhead (VXLAN 50 bytes: 1450 on a 1500 NIC).
    return {
      pod: { kind: 'bridge', bridge: 'cni0', vethPrefix: 'veth' },
      mtu: backend === 'vxlan' ? 1450 : backend === 'wireguard' ? 1420 : 1500,
      sliceLength: 24,
      pool: lab.kubernetes.podCidr,
      blackholeOwnSlice: false,
      notes: 'one /24 per node from the cluster\'s pod CIDR (node.spec.podCIDR), a cni0 bridge holding .1 as the pods\' gateway',
    };
  },
  // kube-flannel.yml runs flanneld with --kube-subnet-mgr: the node's lease is its node.spec.podCIDR, one per node,
  // cut by kube-controller-manager (--node-cidr-mask-size, 24 by default for IPv4).
  podSlicing: () => ({ prefixLength: 24, several: false, text: 'one /24 per node (node.spec.podCIDR)' }),
  firewall(o): FirewallRule[] {
    const { backend, port } = opts(o);
    if (backend === 'vxlan') return [{ port: String(port), protocol: 'udp', why: 'flannel VXLAN' }];
    if (backend === 'wireguard') return [{ port: String(WIREGUARD_PORT), protocol: 'udp', why: 'flannel WireGuard' }];
    return [];
  },
  readiness: () => ({ daemonSets: [{ namespace: 'kube-flannel', name: 'kube-flannel-ds' }] }),
  // The DaemonSet's pods carry app=flannel (templates/kube-flannel.yml.hbs, as upstream's manifest).
  logSources: () => [{ namespace: 'kube-flannel', selector: 'app=flannel' }],
  summary: (version, o) => `flannel ${version} (${opts(o).backend})`,
  render(lab: ResolvedLab, template) {
    const { backend, vni, port } = opts(lab.cni.options);
    const backendConf: Record<string, unknown> = { Type: backend };
    if (backend === 'vxlan') { backendConf.VNI = vni; backendConf.Port = port; }
    const netConf = { Network: lab.kubernetes.podCidr, EnableNFTables: false, Backend: backendConf };
    const images = FLANNEL_IMAGES[lab.cni.version]!;
    const ctx = {
      version: lab.cni.version,
      backend,
      images,
      netConf,
      ifaceArg: lab.cni.interface.mode === 'name' ? `--iface=${lab.cni.interface.name}` : '--iface=$(NODE_IP)',
      byAddress: lab.cni.interface.mode === 'auto',
    };
    return [
      { path: 'cni/kube-flannel.yml', content: template('kube-flannel.yml.hbs', ctx), mode: 0o644 },
      { path: 'cni/node-prep.sh', content: template('node-prep.sh.hbs', ctx), mode: 0o755 },
      { path: 'cni/install.sh', content: template('install.sh.hbs', ctx), mode: 0o755 },
    ];
  },
};
