// Lab fixtures: every valid-*.yaml passes; every invalid-*.yaml fails with the field path, a message fragment,
// a fix and the line. One invalid fixture per rule; the table below must name every invalid fixture on disk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Problem } from '../../src/errors.js';
import { parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { fixturePath, labFixture } from '../helpers/paths.js';

/** What a fixture must report: the problem at `path` whose message contains `message` (and whose fix contains `fix`). */
interface Expect { path: string; message: string | RegExp; fix?: string | RegExp }
/** Expected problems; `only` (default true): no problem at any other path. */
interface Case { expect: Expect[]; only?: boolean }

const OVERLAP_FIX = /do not overlap/;
const cases: Record<string, Case> = {
  'unknown-key': { expect: [{ path: 'colour', message: 'unknown key', fix: /remove it, or use one of: name, description, os/ }] },
  'missing-required': { expect: [{ path: 'nodes[1].hostname', message: 'is required', fix: /add hostname/ }] },
  'bad-ip': { expect: [{ path: 'nodes[1].ip', message: '"10.0.0.300" is not valid', fix: /dotted IPv4/ }] },
  'cache-not-boolean': { expect: [{ path: 'cache', message: 'must be boolean, got "no"', fix: /write true or false/ }] },
  'bad-cidr': { expect: [{ path: 'network.hostOnly.cidr', message: '"10.0.0.0/33" is not valid', fix: /IPv4 CIDR/ }] },
  'hostname-uppercase': { expect: [{ path: 'nodes[1].hostname', message: '"Worker1.lab.com" is not valid', fix: /RFC 1123 lower-case/ }] },
  'hostname-rfc1123': { expect: [{ path: 'nodes[1].hostname', message: '"worker_1.lab.com" is not valid', fix: /RFC 1123/ }] },
  'node-name-pattern': { expect: [{ path: 'nodes[1].name', message: '"1worker" is not valid', fix: /starting with a letter/ }] },
  'version-unquoted': { expect: [{ path: 'kubernetes.version', message: /1\.3 is not one of .*quote it/, fix: /quoted/ }] },
  'version-unknown': { expect: [{ path: 'kubernetes.version', message: '"1.29" is not one of "1.33"', fix: /write one of "1.33", "1.34", "1.35", "1.36", "1.37"/ }] },
  'version-eol': { expect: [{ path: 'kubernetes.version', message: 'Kubernetes 1.34 reached end of life on 2026-10-27', fix: /set kubernetes\.version: "1\.36" \(or remove it/ }] },
  'cni-minor': { expect: [{ path: 'kubernetes.version', message: 'flannel v0.28.9 supports Kubernetes 1.34, 1.35, 1.36, not 1.37', fix: /set kubernetes\.version: "1\.36", or use a CNI plugin that supports 1\.37 \(calico v3\.33\.0\)/ }] },
  'calico-firewall-configured': { expect: [{ path: 'os.firewall', message: /Calico's system requirements say firewalld should be disabled/, fix: /remove os\.firewall \(calico labs disable firewalld\) or set it to disabled/ }] },
  'nic-name-unsorted': { expect: [{ path: 'cni.interface', message: /"enp0s9" is not a name NIC2 keeps on el under virtualbox/, fix: /"eth1" \(the box's own name\), "enp0s8" \(predictable naming, as the article\) or auto/ }] },
  'duplicate-node-name': { expect: [{ path: 'nodes[2].name', message: 'node name "worker2" is already used by nodes[1]', fix: /its own node name/ }] },
  'duplicate-hostname': { expect: [{ path: 'nodes[2].hostname', message: 'hostname "worker2.lab.com" is already used by nodes[1]', fix: /its own hostname/ }] },
  'duplicate-ip': { expect: [{ path: 'nodes[2].ip', message: '"10.0.0.3" is already used by nodes[1]', fix: /its own IP/ }] },
  'ip-outside-cidr': { expect: [{ path: 'nodes[1].ip', message: '10.0.1.2 is outside the host-only network 10.0.0.0/24', fix: '10.0.0.1 to 10.0.0.254' }] },
  'ip-network-address': { expect: [{ path: 'nodes[1].ip', message: '10.0.0.0 is the network address', fix: '10.0.0.1 to 10.0.0.254' }] },
  'ip-broadcast-address': { expect: [{ path: 'nodes[1].ip', message: '10.0.0.255 is the broadcast address', fix: '10.0.0.1 to 10.0.0.254' }] },
  'cidr-host-bits': { expect: [{ path: 'network.hostOnly.cidr', message: 'has host bits set', fix: 'write it as 10.0.0.0/24' }] },
  'host-address-is-node': { expect: [{ path: 'network.hostOnly.hostAddress', message: '10.0.0.1 is the address of nodes[0] (master)', fix: /no node uses, e\.g\. 10\.0\.0\.254/ }] },
  'host-address-outside': { expect: [{ path: 'network.hostOnly.hostAddress', message: '10.0.1.254 is not a usable address of 10.0.0.0/24', fix: '10.0.0.1 to 10.0.0.254' }] },
  'overlap-hostonly-pod': { expect: [{ path: 'network.hostOnly.cidr', message: 'overlaps the pod network 10.0.0.0/23', fix: OVERLAP_FIX }] },
  'overlap-hostonly-service': { expect: [{ path: 'network.hostOnly.cidr', message: 'overlaps the service network 10.0.0.0/23', fix: OVERLAP_FIX }] },
  'overlap-hostonly-nat': { expect: [{ path: 'network.hostOnly.cidr', message: /overlaps .*NAT network 10\.0\.2\.0\/24/, fix: OVERLAP_FIX }] },
  'overlap-pod-service': { expect: [{ path: 'kubernetes.podCidr', message: 'pod network 10.96.0.0/16 overlaps the service network 10.96.0.0/12', fix: OVERLAP_FIX }] },
  'overlap-pod-nat': { expect: [{ path: 'kubernetes.podCidr', message: /pod network 10\.0\.2\.0\/23 overlaps .*NAT network/, fix: OVERLAP_FIX }] },
  'overlap-service-nat': { expect: [{ path: 'kubernetes.serviceCidr', message: /service network 10\.0\.2\.0\/23 overlaps .*NAT network/, fix: OVERLAP_FIX }] },
  'zero-control-planes': { expect: [{ path: 'nodes', message: 'found 0 control-plane nodes', fix: 'set role: control-plane on one node' }] },
  'two-control-planes': { expect: [{ path: 'nodes', message: 'found 2 control-plane nodes', fix: /on master only/ }] },
  'control-plane-cpus': { expect: [{ path: 'nodes[0].cpus', message: 'at least 2 CPUs', fix: 'set cpus: 2' }] },
  'control-plane-memory': { expect: [{ path: 'nodes[0].memory', message: 'at least 1700 MB', fix: /memory: 2048/ }] },
  'ubuntu-selinux': { expect: [{ path: 'os.selinux', message: 'ubuntu does not use SELinux', fix: 'remove os.selinux' }] },
  'ubuntu-firewall': { expect: [{ path: 'os.firewall', message: 'ubuntu has no firewalld', fix: 'remove os.firewall' }] },
  'unknown-cni': { expect: [{ path: 'cni.plugin', message: '"weave" is not one of "flannel", "calico"', fix: /flannel, calico/ }] },
  'unknown-provider': { expect: [{ path: 'provider.name', message: '"hyperv" is not one of "virtualbox", "libvirt"', fix: /virtualbox, libvirt/ }] },
  'unknown-os-family': { expect: [{ path: 'os.family', message: '"centos" is not one of "el", "ubuntu"', fix: /el, ubuntu/ }] },
  'flannel-vni-non-vxlan': { expect: [{ path: 'cni.options.vni', message: 'only applies to the vxlan backend, not host-gw', fix: /remove cni\.options\.vni/ }] },
  'flannel-port-non-vxlan': { expect: [{ path: 'cni.options.port', message: 'only applies to the vxlan backend, not wireguard', fix: /remove cni\.options\.port/ }] },
  'flannel-version-not-pinned': { expect: [{ path: 'cni.version', message: '"v0.22.0" is not one of "v0.28.9"', fix: /versions labgen pins/ }] },
  'calico-pool-outside-pod': { expect: [{ path: 'cni.options.poolCidr', message: 'is not inside kubernetes.podCidr 10.244.0.0/16', fix: /remove cni\.options\.poolCidr/ }] },
  'calico-pool-vbox-range': { expect: [{ path: 'kubernetes.podCidr', message: "overlaps VirtualBox's host-only range 192.168.56.0/21", fix: '10.244.0.0/16' }] },
  'calico-pool-host-bits': { expect: [{ path: 'cni.options.poolCidr', message: '"10.244.1.0/16" has host bits set', fix: 'write it as 10.244.0.0/16' }] },
  'calico-block-size': { expect: [{ path: 'cni.options.blockSize', message: 'block size /20 is larger than the pool 10.244.0.0/24', fix: '/24 or more' }] },
  'calico-encapsulation': { expect: [{ path: 'cni.options.encapsulation', message: '"VXLANCrossSubnet" is not one of "IPIP", "VXLAN", "None"', fix: /IPIP, VXLAN, None/ }] },
  'libvirt-interface-name': { expect: [{ path: 'cni.interface', message: '"enp0s8" is a fixed NIC name', fix: /cni\.interface: auto/ }] },
  'libvirt-management-overlap': { expect: [
    { path: 'provider.libvirt.managementNetwork.cidr', message: 'the management network 10.0.0.0/24 overlaps network.hostOnly.cidr', fix: /apart from the lab's networks/ },
    { path: 'network.hostOnly.cidr', message: "overlaps vagrant-libvirt's management network", fix: OVERLAP_FIX },
  ] },
  'yaml-syntax': { expect: [{ path: '', message: /^YAML: /, fix: 'fix the YAML syntax' }] },
  'yaml-duplicate-key': { expect: [{ path: '', message: 'YAML: Map keys must be unique', fix: 'fix the YAML syntax' }] },
  'many-schema-problems': { expect: [
    { path: 'colour', message: 'unknown key' },
    { path: 'nodes[1].ip', message: 'is not valid' },
    { path: 'os.family', message: '"centos" is not one of' },
  ] },
  'many-rule-problems': { expect: [
    { path: 'nodes[2].ip', message: 'is already used by nodes[1]' },
    { path: 'network.hostOnly.hostAddress', message: 'is the address of nodes[0]' },
    { path: 'nodes[0].cpus', message: 'at least 2 CPUs' },
  ] },
};

const reg = defaultRegistries();
const MARK = '# <- invalid';

function parseFixture(name: string): { text: string; problems: Problem[]; valid: boolean } {
  const text = readFileSync(labFixture(name), 'utf8');
  const { lab, problems } = parseLab(text, reg);
  return { text, problems, valid: lab !== undefined };
}

function matches(actual: string | undefined, want: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof want === 'string' ? actual.includes(want) : want.test(actual);
}

function show(problems: Problem[]): string { return problems.map((p) => `  ${p.path || '(document)'} (line ${p.line}): ${p.message} [fix: ${p.fix}]`).join('\n'); }

const onDisk = readdirSync(fixturePath('labs')).filter((f) => f.endsWith('.yaml')).sort();

describe('lab fixtures', () => {
  it('the table covers every invalid fixture on disk, and every entry has its fixture', () => {
    const invalid = onDisk.filter((f) => f.startsWith('invalid-')).map((f) => f.slice('invalid-'.length, -'.yaml'.length));
    assert.deepEqual(invalid, Object.keys(cases).sort());
  });

  for (const file of onDisk.filter((f) => f.startsWith('valid-'))) {
    it(`${file} is valid`, () => {
      const { problems, valid } = parseFixture(file.slice(0, -5));
      assert.deepEqual(problems, [], `unexpected problems:\n${show(problems)}`);
      assert.ok(valid);
    });
  }

  for (const [name, c] of Object.entries(cases)) {
    it(`invalid-${name}.yaml reports ${c.expect.map((e) => e.path || '(document)').join(', ')}`, () => {
      const { text, problems, valid } = parseFixture(`invalid-${name}`);
      assert.equal(valid, false, 'the fixture must be rejected');
      for (const e of c.expect) {
        const hit = problems.find((p) => p.path === e.path && matches(p.message, e.message));
        assert.ok(hit, `no problem at ${JSON.stringify(e.path)} with message ${String(e.message)}; got:\n${show(problems)}`);
        assert.ok(hit.fix && hit.fix.length > 0, `problem at ${e.path} gives no fix`);
        if (e.fix) assert.ok(matches(hit.fix, e.fix), `fix ${JSON.stringify(hit.fix)} does not match ${String(e.fix)}`);
        assert.equal(typeof hit.line, 'number', `problem at ${e.path} carries no line number`);
      }
      if (c.only !== false) {
        const allowed = new Set(c.expect.map((e) => e.path));
        const others = problems.filter((p) => !allowed.has(p.path));
        assert.deepEqual(others, [], `the fixture should break one rule only; other problems:\n${show(others)}`);
      }
      // A single-problem fixture marks its offending line: the problem points at it.
      const marked = text.split('\n').findIndex((l) => l.includes(MARK));
      if (marked >= 0 && c.expect.length === 1) {
        const hit = problems.find((p) => p.path === c.expect[0]!.path)!;
        assert.equal(hit.line, marked + 1, `problem line ${hit.line} is not the marked line ${marked + 1}`);
      }
    });
  }

  it('reports every problem at once: a fixture breaking 3 schema rules gets 3 problems, one breaking 3 cross-field rules gets 3', () => {
    assert.ok(parseFixture('invalid-many-schema-problems').problems.length >= 3);
    assert.ok(parseFixture('invalid-many-rule-problems').problems.length >= 3);
  });

  it('every problem of every invalid fixture carries a line number', () => {
    for (const name of Object.keys(cases)) {
      for (const p of parseFixture(`invalid-${name}`).problems) assert.equal(typeof p.line, 'number', `invalid-${name}: ${p.path} has no line`);
    }
  });
});
