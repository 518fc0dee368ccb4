// Linux cooked captures (tcpdump -i any): SLL2 and SLL v1, from the netns lab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../src/capture/analyze-file.js';
import { fixture } from './helpers.js';

test('SLL2 (tcpdump -i any on worker1, flannel): the same ping seen plain on veth/cni0/flannel.1 and VXLAN on enp0s8', async () => {
  const a = await analyzeFile(fixture('flannel-vxlan/w1-any.pcap'));
  assert.deepEqual(a.linkTypes, ['linux-sll2']);
  const vxlan = a.flows.find((f) => f.encapsulation === 'vxlan');
  assert.ok(vxlan, 'a vxlan flow');
  assert.equal(vxlan.udpPort, 8472);
  assert.equal(vxlan.vni, 1);
  assert.deepEqual(vxlan.outer, { source: '10.0.0.2', destination: '10.0.0.3' });
  assert.deepEqual(vxlan.inner, { source: '10.244.1.2', destination: '10.244.2.2', protocol: 'icmp' });
  const plain = a.flows.find((f) => f.encapsulation === 'none' && f.inner.protocol === 'icmp');
  assert.ok(plain, 'the plain pod-to-pod flow');
  assert.equal(plain.outer, undefined);
  // each packet is seen plain on three worker1 interfaces (pod veth, cni0, flannel.1) and once VXLAN-encapsulated on enp0s8
  assert.equal(vxlan.echoRequests, 4);
  assert.equal(vxlan.echoReplies, 4);
  assert.equal(plain.echoRequests, 3 * vxlan.echoRequests);
  assert.equal(plain.echoReplies, 3 * vxlan.echoReplies);
});

test('SLL v1 (tcpdump -i any -y LINUX_SLL on worker2, calico-vxlan): VNI 4096 on UDP 4789', async () => {
  const a = await analyzeFile(fixture('calico-vxlan/w2-any.pcap'));
  assert.deepEqual(a.linkTypes, ['linux-sll']);
  const vxlan = a.flows.find((f) => f.encapsulation === 'vxlan');
  assert.equal(vxlan?.udpPort, 4789);
  assert.equal(vxlan?.vni, 4096);
  assert.deepEqual(vxlan?.inner.protocol, 'icmp');
});

test('SLL2 in pcapng (editcap) decodes like the pcap it came from', async () => {
  const ng = await analyzeFile(fixture('formats/calico-vxlan-w1-any.sll2.pcapng'));
  const pcap = await analyzeFile(fixture('calico-vxlan/w1-any.pcap'));
  assert.deepEqual(ng.linkTypes, ['linux-sll2']);
  assert.deepEqual(ng.flows, pcap.flows);
});

test('IP-in-IP in cooked captures: protocol 4 between node addresses carrying the pod ping', async () => {
  const a = await analyzeFile(fixture('calico-ipip/w2-any.pcap'));
  const ipip = a.flows.find((f) => f.encapsulation === 'ipip');
  assert.deepEqual(ipip?.outer, { source: '10.0.0.2', destination: '10.0.0.3' });
  assert.deepEqual(ipip?.inner, { source: '10.244.1.2', destination: '10.244.2.2', protocol: 'icmp' });
  assert.equal(ipip?.udpPort, undefined);
});
