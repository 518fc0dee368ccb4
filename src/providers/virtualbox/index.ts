// VirtualBox: the article's hypervisor. NIC1 NAT (10.0.2.15 on every VM), NIC2 host-only with an explicit host address.
import { closedObject } from '../../lab/json-schema.js';
import type { Provider } from '../types.js';
import { virtualboxInventory } from './inventory.js';
import { VBOX_DEFAULT_HOST_ONLY, virtualboxDoctor } from './doctor.js';
import { templatesBeside } from '../../render/templates-dir.js';

/** VirtualBox NAT: every VM's NIC1 is 10.0.2.15 on 10.0.2.0/24. */
const NAT_CIDR = '10.0.2.0/24';
const NAT_GUEST = '10.0.2.15';

/** The VirtualBox provider. */
export const virtualbox: Provider = {
  name: 'virtualbox',
  templatesDir: templatesBeside(import.meta.url),
  description: 'VirtualBox on this machine (Vagrant brings its VMs up one at a time; labgen runs one vagrant process per VM)',
  optionsSchema: closedObject({
    linkedClone: { type: 'boolean', default: true, description: 'clone VMs from one imported box disk (faster, smaller)' },
    gui: { type: 'boolean', default: false, description: 'show VM windows' },
  }),
  resolveOptions: (o) => ({ linkedClone: true, gui: false, ...(o ?? {}) }),
  rules: () => [],
  // VirtualBox manual, "Network Address Translation (NAT)": each VM's NAT adapter is its own engine, a private router
  // between that one guest and the host; the guest is 10.0.2.15 behind the engine's 10.0.2.2 in every VM alike, and
  // VMs do not reach each other through it (that is what the NAT Network mode or a host-only network is for).
  nic1Shape: () => ({ kind: 'per-vm', name: 'NAT (VirtualBox)', gateway: '10.0.2.2' }),
  hostOnlyAdapter: 'vboxnet',
  // templates/machine.rb.hbs sets vb.name = "#{LAB_NAME}-#{node[:name]}" (Vagrant's own default
  // would be <folder>_<machine>_<timestamp>, plugins/providers/virtualbox/action/set_name.rb); Vagrant stops with
  // VMNameExists when another VM already has it.
  machineName: (lab, node) => `${lab}-${node}`,
  inventory: (_lab, runner) => virtualboxInventory(runner),
  // Removes the VM and its disks: printed for a VM no Vagrant project claims, after the user has looked at it.
  removeMachineCommand: (_lab, m) => `VBoxManage unregistervm ${m.id} --delete`,
  // Since 6.1.28 VirtualBox puts its host-only adapters in this range unless networks.conf says otherwise: a pod
  // network there would collide with the host's own routes to them.
  reservedRanges: () => [{ cidr: VBOX_DEFAULT_HOST_ONLY, label: `VirtualBox's host-only range ${VBOX_DEFAULT_HOST_ONLY}` }],
  // Every lab field means the same under VirtualBox; NIC names are checked against the family's box by the rules.
  adopt: (def) => ({ def, notices: [] }),
  doctor: virtualboxDoctor,
  labels: () => ({ nic1Network: 'NAT (VirtualBox)', hostAdapter: 'host (vboxnet)' }),
  // Vagrant's VirtualBox provider (plugins/providers/virtualbox/action/*.rb): import or linked clone, then boot/resume.
  upPhases: {
    import: /^(Importing base box|Cloning VM)/,
    boot: /^(Booting VM|Resuming suspended VM)/,
  },
  nic1Network: () => ({ cidr: NAT_CIDR, label: `VirtualBox's NAT network ${NAT_CIDR} (every VM's NIC1)`, guestAddress: NAT_GUEST }),
  vagrantfileParts(lab, template) {
    const o = lab.provider.options;
    return {
      global: '',
      machine: template('machine.rb.hbs', { linkedClone: o.linkedClone, gui: o.gui, hostInterface: lab.network.hostOnly.interface ?? '' }).trimEnd(),
    };
  },
  // The VirtualBox provider does not declare parallel support; separate `vagrant up <node>` processes do run at once.
  bringUp: 'process-per-machine',
  // The first `vagrant up` imports the box (and the linked-clone master) and creates the host-only adapter.
  firstMachineAlone: true,
  vagrantName: 'virtualbox',
  // Each VM has its own VBoxManage session and vagrant machine lock; create already runs one process per VM.
  halt: 'process-per-machine',
  // VBoxManage snapshot take/restore/delete act on one VM's session each (Vagrant 2.3.4 driver/version_5_0.rb).
  snapshot: 'process-per-machine',
  // The host-only adapter's address (Vagrant's adapter_ip), on this machine: VirtualBox runs here.
  cacheHostAddress: (lab) => lab.network.hostOnly.hostAddress,
  hostTools: [{ command: 'VBoxManage', args: ['--version'] }],
};
