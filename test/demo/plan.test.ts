// The demo's plan, pure (runs anywhere): the lab's own addresses, the plugin's devices, and no step outside its namespaces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareLab } from '../../src/pipeline/prepare.js';
import { buildSteps, ipipKernelSteps } from '../../src/demo/steps.js';
import { demoTopology, isDemoPrefix, scenarioPods } from '../../src/demo/topology.js';
import { defaultRegistries } from '../../src/registries.js';

const reg = defaultRegistries();

for (const labName of ['flannel-4node', 'calico-4node', 'libvirt-calico-vxlan']) {
  test(`demo plan for ${labName}: every step runs inside the run's namespaces, with the lab's addresses and the plugin's devices`, () => {
    const { lab } = prepareLab(labName, {}, reg);
    const dp = reg.cni.require(lab.cni.plugin).dataplane!(lab);
    const t = demoTopology(lab, dp, 'lgd0a1b2c');
    for (const scenario of ['cross-node', 'same-node', 'service'] as const) {
      const pods = scenarioPods(t, scenario)!;
      const steps = [...buildSteps(t, scenario, pods.dst), ...(lab.cni.encapsulation.kind === 'ipip' ? ipipKernelSteps(t, lab.cni.encapsulation.device) : [])];
      for (const s of steps) {
        if (s.ns === undefined) assert.deepEqual(s.argv.slice(0, 3), ['ip', 'netns', 'add'], `only namespace creation runs outside one: ${s.argv.join(' ')}`);
        const ns = s.ns ?? s.argv[3]!;
        assert.ok(ns.startsWith('lgd0a1b2c-'), `${ns}: the run's own namespace`);
        const moved = s.ns !== undefined ? s.argv.indexOf('netns') : -1;
        if (moved >= 0) assert.ok(s.argv[moved + 1]!.startsWith('lgd0a1b2c-'), `a device moved only into the run's namespaces: ${s.argv.join(' ')}`);
      }
      assert.equal(scenario === 'same-node' ? pods.src.node === pods.dst.node : pods.src.node !== pods.dst.node, true);
    }
    // The lab's own node addresses on NIC2, and the plugin's encapsulation device.
    assert.deepEqual(t.nodes.map((n) => n.ip), lab.nodes.map((n) => n.ip));
    const all = buildSteps(t, 'cross-node', scenarioPods(t, 'cross-node')!.dst).map((s) => s.argv.join(' '));
    for (const n of lab.nodes) assert.ok(all.includes(`ip addr add ${n.ip}/24 dev ${n.nics[1].name}`));
    const enc = lab.cni.encapsulation;
    if (enc.kind === 'vxlan') assert.ok(all.some((a) => a.startsWith(`ip link add ${enc.device} `) && a.includes(`id ${enc.vni}`) && a.includes(`dstport ${enc.udpPort}`) && a.endsWith('nolearning')));
    assert.ok(all.some((a) => a.includes(`${dp.pod.vethPrefix}`)), 'host veths carry the plugin\'s prefix');
  });
}

test('demo namespace prefixes are lgd + 6 hex digits only', () => {
  assert.equal(isDemoPrefix('lgd0a1b2c'), true);
  for (const bad of ['lgd0a1b2', 'lgcap-1', 'lgd0a1b2c-x', '../x']) assert.equal(isDemoPrefix(bad), false);
  const { lab } = prepareLab('flannel-4node', {}, reg);
  assert.throws(() => demoTopology(lab, reg.cni.require('flannel').dataplane!(lab), 'host'), /bad namespace prefix/);
});
