// A third CNI plugin, registered by the conformance test only (test/conformance/conformance.test.ts, through
// registriesOf): one folder, its files from its own templates/ beside this file, as a shipped plugin's.
import type { CniPlugin } from '../../../../src/cni/types.js';
import { closedObject } from '../../../../src/lab/json-schema.js';
import { templatesBeside } from '../../../../src/render/templates-dir.js';

/** VXLAN on Linux's port with VNI 1 (so verify's recorded VXLAN captures are its wire), its own files. */
export const testcni: CniPlugin = {
  name: 'testcni',
  templatesDir: templatesBeside(import.meta.url),
  description: 'a CNI plugin registered by the conformance test only',
  versions: ['v0.0.1'],
  kubernetesMinors: { 'v0.0.1': ['1.34', '1.35', '1.36'] },
  hostFirewall: { mode: 'configured' },
  optionsSchema: closedObject({}),
  nicSelection: 'the lab\'s NIC, by name',
  podSlicing: () => ({ prefixLength: 24, several: false, text: 'one /24 per node (node.spec.podCIDR)' }),
  resolveOptions: (o) => ({ ...(o ?? {}) }),
  rules: () => [],
  encapsulation: () => ({ kind: 'vxlan', udpPort: 8472, vni: 1, device: 'testcni.1' }),
  firewall: () => [{ port: '8472', protocol: 'udp', why: 'VXLAN' }],
  readiness: () => ({ daemonSets: [{ namespace: 'kube-system', name: 'testcni' }] }),
  logSources: () => [{ namespace: 'kube-system', selector: 'app=testcni' }],
  summary: (v) => `testcni ${v} (vxlan)`,
  render: (lab, template) => [
    { path: 'cni/testcni.conf', content: template('testcni.conf.hbs', { podCidr: lab.kubernetes.podCidr }), mode: 0o644 },
    { path: 'cni/install.sh', content: template('install.sh.hbs', {}), mode: 0o755 },
    { path: 'cni/node-prep.sh', content: template('node-prep.sh.hbs', {}), mode: 0o755 },
  ],
};
