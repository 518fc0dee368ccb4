// A fourth provider, registered by the conformance test only (test/conformance/conformance.test.ts, through
// registriesOf): one folder, its Vagrantfile part from its own templates/ beside this file, as a shipped provider's.
import { vagrantCheck } from '../../../../src/doctor/vagrant-check.js';
import { closedObject } from '../../../../src/lab/json-schema.js';
import type { Provider } from '../../../../src/providers/types.js';
import { templatesBeside } from '../../../../src/render/templates-dir.js';

/** A Vagrantfile with no provider block, a doctor that only asks vagrant, phases as the fake vagrant prints them. */
export const testprov: Provider = {
  name: 'testprov',
  templatesDir: templatesBeside(import.meta.url),
  description: 'a provider registered by the conformance test only',
  optionsSchema: closedObject({ colour: { enum: ['red', 'blue'], default: 'red', description: 'an option only it has' } }),
  resolveOptions: (o) => ({ colour: 'red', ...(o ?? {}) }),
  rules: (lab) => (lab.provider?.testprov && (lab.provider.testprov as { colour?: string }).colour === 'blue' ? [{ path: 'provider.testprov.colour', message: 'blue is refused by testprov', fix: 'use red' }] : []),
  reservedRanges: () => [{ cidr: '172.30.0.0/16', label: "testprov's own range 172.30.0.0/16" }],
  adopt: (def) => ({ def, notices: ['testprov adopted the lab'] }),
  async doctor({ runner }) {
    const v = await vagrantCheck(runner);
    return { checks: [v.check, { name: 'testprov', status: 'pass', detail: 'testprov needs nothing else' }] };
  },
  labels: () => ({ nic1Network: 'NIC1 (testprov)', hostAdapter: 'host (testprov)' }),
  // What the fake vagrant prints for a provider it does not know (VirtualBox's words).
  upPhases: { import: /^Importing base box/, boot: /^Booting VM/ },
  nic1Network: () => ({ cidr: '10.0.2.0/24', label: "testprov's NIC1 network 10.0.2.0/24", guestAddress: '10.0.2.15' }),
  vagrantfileParts: (lab, template) => ({ global: '', machine: template('machine.rb.hbs', { colour: String(lab.provider.options.colour) }).trimEnd() }),
  bringUp: 'process-per-machine',
  firstMachineAlone: false,
  vagrantName: 'testprov',
  halt: 'process-per-machine',
  // Its own NIC1 shape and names, an empty hypervisor, no download cache: the core must not need more.
  nic1Shape: () => ({ kind: 'per-vm', name: 'NIC1 (testprov)', gateway: '10.0.2.2' }),
  hostOnlyAdapter: 'testnet',
  machineName: (lab, node) => `${lab}-${node}`,
  inventory: async () => ({ machines: [], networks: [] }),
  removeMachineCommand: (_lab, m) => `testprov-remove ${m.id}`,
  cacheHostAddress: () => undefined,
  hostTools: [],
};
