// libvirt/KVM through the vagrant-libvirt plugin, locally or on a remote host (qemu+ssh://user@host/system).
import { InvalidInputError, type Problem } from '../../errors.js';
import { closedObject, patterns } from '../../lab/json-schema.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../../lab/defaults.js';
import { canonical, isNetworkAddress, overlaps, parseCidr } from '../../lab/net.js';
import type { LabDefinition } from '../../lab/types.js';
import type { Provider } from '../types.js';
import { shellArg } from '../../lifecycle/hints.js';
import { libvirtInventory } from './inventory.js';
import { libvirtDoctor } from './doctor.js';
import { libvirtBootOptionRules, libvirtBootOptionsSchema, libvirtBootTemplateValues } from './options.js';
import { DEFAULT_LIBVIRT_URI, libvirtUriProblem, LIBVIRT_URI_PATTERN, MAX_URI_LENGTH, URI_FIX } from './uri.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** Schema of provider.libvirt.uri: the allow-list of uri.ts as a pattern (parseLibvirtUri, run by rules, is the authority). */
const libvirtUriSchema = { type: 'string', maxLength: MAX_URI_LENGTH, pattern: LIBVIRT_URI_PATTERN, default: DEFAULT_LIBVIRT_URI, description: 'libvirt connection URI', 'x-fix': URI_FIX } as const;

/** Whether libvirt runs on this machine: a URI without a host (qemu:///system, qemu+unix:///session). */
export function isLocalLibvirtUri(uri: string): boolean {
  return /^qemu(\+unix)?:\/\/\/(system|session)(\?.*)?$/.test(uri);
}

/** vagrant-libvirt's default management network (docs: management_network_address). */
export const LIBVIRT_DEFAULT_MANAGEMENT = { name: 'vagrant-libvirt', cidr: '192.168.121.0/24' };

function options(lab: LabDefinition): Record<string, unknown> {
  return libvirt.resolveOptions(lab.provider?.libvirt as Record<string, unknown> | undefined);
}

/** The libvirt provider. */
export const libvirt: Provider = {
  name: 'libvirt',
  templatesDir: templatesBeside(import.meta.url),
  description: 'libvirt/KVM via vagrant-libvirt, local or remote (qemu+ssh://); machines come up in parallel',
  optionsSchema: closedObject({
    uri: libvirtUriSchema,
    driver: { enum: ['kvm', 'qemu'], default: 'kvm', description: 'kvm (hardware virtualisation) or qemu (emulation, slow)' },
    storagePool: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', default: 'default', description: 'libvirt storage pool for the disks' },
    managementNetwork: closedObject({
      name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', default: LIBVIRT_DEFAULT_MANAGEMENT.name, description: 'libvirt network for NIC1' },
      cidr: { type: 'string', pattern: patterns.cidr4, default: LIBVIRT_DEFAULT_MANAGEMENT.cidr, description: 'address range of the management network' },
    }),
    ...libvirtBootOptionsSchema,
  }),
  resolveOptions(o) {
    const mgmt = { ...LIBVIRT_DEFAULT_MANAGEMENT, ...((o?.managementNetwork as object | undefined) ?? {}) };
    return { uri: DEFAULT_LIBVIRT_URI, driver: 'kvm', storagePool: 'default', ...(o ?? {}), managementNetwork: mgmt };
  },
  rules(lab): Problem[] {
    const out: Problem[] = [...libvirtBootOptionRules(lab.provider?.libvirt as Record<string, unknown> | undefined)];
    const uriProblem = libvirtUriProblem(options(lab).uri);
    if (uriProblem) out.push({ path: 'provider.libvirt.uri', message: uriProblem, fix: URI_FIX });
    const mgmt = (options(lab).managementNetwork as { cidr: string }).cidr;
    const m = parseCidr(mgmt);
    if (!isNetworkAddress(m)) out.push({ path: 'provider.libvirt.managementNetwork.cidr', message: `"${mgmt}" has host bits set`, fix: `write it as ${canonical(m)}` });
    const nets: [string, string][] = [
      ['network.hostOnly.cidr', lab.network.hostOnly.cidr],
      ['kubernetes.podCidr', lab.kubernetes.podCidr ?? DEFAULT_POD_CIDR],
      ['kubernetes.serviceCidr', lab.kubernetes.serviceCidr ?? DEFAULT_SERVICE_CIDR],
    ];
    // Suggest a management network that is free, not the default that may be the one colliding.
    const free = ['192.168.121.0/24', '192.168.123.0/24', '172.31.121.0/24'].find((c) => nets.every(([, n]) => !overlaps(parseCidr(c), parseCidr(n))));
    for (const [path, cidr] of nets) {
      if (overlaps(m, parseCidr(cidr))) out.push({ path: 'provider.libvirt.managementNetwork.cidr', message: `the management network ${mgmt} overlaps ${path} ${cidr}`, fix: `pick a management network apart from the lab's networks${free ? `, e.g. ${free}` : ''}` });
    }
    const iface = lab.cni.interface;
    if (iface !== undefined && iface !== 'auto') {
      out.push({ path: 'cni.interface', message: `"${iface}" is a fixed NIC name; under libvirt the guest's NIC names depend on the box and its virtio slots`, fix: 'set cni.interface: auto (the NIC carrying the node\'s host-only address), as the shipped labs do under libvirt' });
    }
    return out;
  },
  // vagrant-libvirt's own addresses are its networks, which the lab chooses (rules above check them).
  reservedRanges: () => [],
  adopt(def) {
    // A fixed NIC name cannot be promised here: the guest's names depend on the box and its virtio slots.
    if (!def.cni.interface || def.cni.interface === 'auto') return { def, notices: [] };
    return {
      def: { ...def, cni: { ...def.cni, interface: 'auto' } },
      notices: [`cni.interface ${def.cni.interface} names a fixed NIC; under libvirt the NIC is found by the node's host-only address (auto)`],
    };
  },
  doctor: libvirtDoctor,
  labels(o) {
    const mgmt = o.managementNetwork as { name?: unknown } | undefined;
    return { nic1Network: `management (${typeof mgmt?.name === 'string' ? mgmt.name : 'libvirt'})`, hostAdapter: 'host (libvirt bridge)' };
  },
  // vagrant-libvirt's messages (lib/vagrant-libvirt/action/*.rb): a box volume upload or a snapshot of it, then the domain.
  upPhases: {
    import: /^(Creating image \(snapshot of base box volume\)|Uploading base box image)/,
    boot: /^(Starting domain|Creating domain with the following settings)/,
  },
  nic1Network(o) {
    const mgmt = o.managementNetwork as { cidr: string };
    return { cidr: mgmt.cidr, label: `vagrant-libvirt's management network ${mgmt.cidr} (every VM's NIC1)` };
  },
  // vagrant-libvirt's management network is one libvirt NAT network (dnsmasq DHCP) that every VM's NIC1 joins
  // (docs: management_network_name vagrant-libvirt, management_network_address 192.168.121.0/24).
  nic1Shape: (o) => ({ kind: 'shared', name: `management (${String((o.managementNetwork as { name?: unknown } | undefined)?.name ?? LIBVIRT_DEFAULT_MANAGEMENT.name)})` }),
  hostOnlyAdapter: 'libvirt bridge',
  // templates/global.rb.hbs sets default_prefix "#{LAB_NAME}-"; vagrant-libvirt 0.11.2
  // action/set_name_of_domain.rb build_domain_name: prefix + machine name, then gsub(/[^-a-z0-9_\.]/i, '') (its own
  // default prefix would be the project folder's name + '_'); an existing domain of that name is DomainNameExists.
  machineName: (lab, node) => `${lab}-${node}`.replace(/[^-a-z0-9_.]/gi, ''),
  inventory: (lab, runner) => libvirtInventory(String(lab.provider.options.uri), runner),
  removeMachineCommand: (lab, m) => {
    const uri = shellArg(String(lab.provider.options.uri));
    return `virsh -c ${uri} destroy ${shellArg(m.name)}; virsh -c ${uri} undefine ${shellArg(m.name)} --remove-all-storage`;
  },
  vagrantfileParts(lab, template) {
    const o = lab.provider.options;
    // Defense in depth: vagrant-libvirt opens this URI, so a lab that escaped validation never reaches the Vagrantfile.
    const uriProblem = libvirtUriProblem(o.uri);
    if (uriProblem) throw new InvalidInputError('lab', [{ path: 'provider.libvirt.uri', message: uriProblem, fix: URI_FIX }]);
    const mgmt = o.managementNetwork as { name: string; cidr: string };
    return {
      global: template('global.rb.hbs', { uri: o.uri, driver: o.driver, storagePool: o.storagePool, managementNetworkName: mgmt.name, managementNetworkCidr: mgmt.cidr, ...libvirtBootTemplateValues(o) }).trimEnd(),
      machine: template('machine.rb.hbs', { networkName: `labgen-${lab.name}` }).trimEnd(),
    };
  },
  // vagrant-libvirt declares parallel support: one `vagrant up` brings every machine up at once.
  bringUp: 'vagrant-parallel',
  firstMachineAlone: false,
  vagrantName: 'libvirt',
  // Each domain is shut down through its own libvirt connection; vagrant locks only the machine it acts on.
  halt: 'process-per-machine',
  // Each snapshot is the domain's own (virDomainSnapshotCreateXML / revertToSnapshot, vagrant-libvirt 0.11.2 driver.rb).
  // Its create_new_snapshot interpolates the name unescaped (`<name>#{snapshot_name}</name>`): hence labgen's plain
  // snapshot names (src/lifecycle/snapshot-name.ts). Restore only reverts the domain to its saved state, running or off.
  snapshot: 'process-per-machine',
  // The isolated network's gateway (libvirt__host_ip), on the libvirt host: this machine only for a local URI.
  cacheHostAddress: (lab) => (isLocalLibvirtUri(String(lab.provider.options.uri)) ? lab.network.hostOnly.hostAddress : undefined),
  // virsh's own version only: `virsh -c <uri> version` would connect to the (maybe remote) libvirt.
  hostTools: [{ command: 'virsh', args: ['--version'] }],
};
