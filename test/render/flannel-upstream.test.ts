// flannel's manifest is the release asset byte for byte apart from labgen's edits (the article's): the lab's
// net-conf.json, --iface, and NODE_IP when the NIC is found by address. The upstream file is vendored from
// flannel-io/flannel Documentation/kube-flannel.yml at the pinned tag (the asset kube-flannel.yml of the release).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FLANNEL_IMAGES } from '../../src/cni/flannel/index.js';
import { fixturePath } from '../helpers/paths.js';
import { fileOf, renderInMemory } from '../helpers/render.js';

const UPSTREAM_NETCONF = '    {\n      "Network": "10.244.0.0/16",\n      "EnableNFTables": false,\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n';
const NODE_IP_ENV = '        - name: NODE_IP\n          valueFrom:\n            fieldRef:\n              fieldPath: status.hostIP\n';

/** Undoes exactly labgen's edits; what remains must be upstream's file. */
function undoLabgenEdits(rendered: string, iface: string, netConfJson: string): string {
  let out = rendered.replace(/^(#[^\n]*\n)+/, '');
  const ifaceLine = `        - ${iface}\n`;
  assert.equal(out.split(ifaceLine).length, 2, `exactly one ${iface} line`);
  out = out.replace(ifaceLine, '');
  const net = `    ${netConfJson.split('\n').join('\n    ')}\n`;
  assert.ok(out.includes(net), `the lab's net-conf.json is rendered:\n${net}`);
  return out.replace(net, UPSTREAM_NETCONF);
}

describe('flannel manifest = the release asset plus the lab\'s edits', () => {
  const upstream = readFileSync(fixturePath('upstream', 'flannel-v0.28.9-kube-flannel.yml'), 'utf8');

  it('the pinned images are the release manifest\'s (flannel-cni-plugin v1.9.1-flannel3)', () => {
    const images = [...upstream.matchAll(/image: (\S+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(images)].sort(), [FLANNEL_IMAGES['v0.28.9']!.cniPlugin, FLANNEL_IMAGES['v0.28.9']!.flannel].sort());
  });

  it('flannel-4node (--iface=enp0s8, vxlan VNI 1 port 8472): identical to upstream once the edits are undone', () => {
    const r = renderInMemory('flannel-4node');
    const rendered = fileOf(r, 'cni/kube-flannel.yml');
    const netConf = JSON.stringify({ Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan', VNI: 1, Port: 8472 } }, null, 2);
    assert.equal(undoLabgenEdits(rendered, '"--iface=enp0s8"', netConf), upstream);
  });

  it('a lab finding the NIC by address adds only --iface=$(NODE_IP) and the NODE_IP variable', () => {
    const r = renderInMemory('libvirt-calico-vxlan', { cni: 'flannel' });
    const rendered = fileOf(r, 'cni/kube-flannel.yml');
    assert.equal(rendered.split(NODE_IP_ENV).length, 2);
    const netConf = JSON.stringify({ Network: r.lab.kubernetes.podCidr, EnableNFTables: false, Backend: { Type: 'vxlan', VNI: 1, Port: 8472 } }, null, 2);
    assert.equal(undoLabgenEdits(rendered.replace(NODE_IP_ENV, ''), '"--iface=$(NODE_IP)"', netConf).replace(r.lab.kubernetes.podCidr, '10.244.0.0/16'), upstream);
  });
});
