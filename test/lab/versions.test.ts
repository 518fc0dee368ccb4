// Version rules: the default minor, end-of-life refusals, CNI/minor support, containerd minimums reaching
// provisioning, Calico's CRD manifest per minor and its firewalld requirement.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CniPlugin } from '../../src/cni/types.js';
import { checkLab } from '../../src/lab/parse.js';
import { resolveLab } from '../../src/lab/resolve.js';
import type { LabDefinition } from '../../src/lab/types.js';
import { compareVersions, defaultKubernetesMinor, KUBERNETES_RELEASES, sortVersions } from '../../src/lab/versions.js';
import { defaultRegistries } from '../../src/registries.js';
import { Registry } from '../../src/registry.js';
import { fileOf, renderInMemory } from '../helpers/render.js';

const reg = defaultRegistries();

function lab(patch: { version?: string; plugin?: string; firewall?: 'configured' | 'disabled' }): LabDefinition {
  return {
    name: 'versions',
    os: { family: 'el', ...(patch.firewall ? { firewall: patch.firewall } : {}) },
    network: { hostOnly: { cidr: '10.0.0.0/24' } },
    kubernetes: patch.version ? { version: patch.version } : {},
    cni: { plugin: patch.plugin ?? 'flannel', interface: 'enp0s8' },
    nodes: [{ name: 'master', hostname: 'master.lab.com', role: 'control-plane', ip: '10.0.0.1' }],
  } as LabDefinition;
}

describe('Kubernetes minors and the CNI plugins', () => {
  it('versions sort numerically in messages (1.9 before 1.10)', () => {
    assert.deepEqual(sortVersions(['1.10', '1.9', '1.36', '1.4']), ['1.4', '1.9', '1.10', '1.36']);
    assert.ok(compareVersions('v2.2.0', '2.10.0') < 0);
  });

  it('the data says what kubernetes.io/releases says in December 2026', () => {
    const status = Object.fromEntries(KUBERNETES_RELEASES.map((r) => [r.minor, r.status]));
    assert.deepEqual(status, { '1.33': 'end-of-life', '1.34': 'end-of-life', '1.35': 'current', '1.36': 'current', '1.37': 'current' });
    assert.equal(KUBERNETES_RELEASES.find((r) => r.minor === '1.35')!.maintenanceFrom, '2026-12-28');
  });

  it('default: the newest minor every registered CNI supports (flannel v0.28.9 stops at 1.36, Calico v3.33 at 1.37)', () => {
    assert.equal(defaultKubernetesMinor(reg.cni.all()), '1.36');
    const checked = checkLab(lab({}), reg);
    assert.deepEqual(checked.problems, []);
    assert.equal(resolveLab(checked.lab!, reg).kubernetes.minor, '1.36');
    const narrow: CniPlugin = { ...reg.cni.require('calico'), name: 'narrow', kubernetesMinors: { 'v3.33.0': ['1.35'] } };
    assert.equal(defaultKubernetesMinor([...reg.cni.all(), narrow]), '1.35');
  });

  it('an end-of-life minor is refused with the fix (and only that, even where the CNI would not support it)', () => {
    const p = checkLab(lab({ version: '1.33', plugin: 'calico' }), reg).problems;
    assert.deepEqual(p.map((x) => x.path), ['kubernetes.version']);
    assert.match(p[0]!.message, /Kubernetes 1\.33 reached end of life on 2026-06-28/);
    assert.equal(p[0]!.fix, 'set kubernetes.version: "1.37"');
  });

  it('a minor outside the CNI version\'s list names both and the fix; without kubernetes.version the path is cni.plugin', () => {
    const p = checkLab(lab({ version: '1.37' }), reg).problems;
    assert.deepEqual(p, [{ path: 'kubernetes.version', message: 'flannel v0.28.9 supports Kubernetes 1.34, 1.35, 1.36, not 1.37', fix: 'set kubernetes.version: "1.36", or use a CNI plugin that supports 1.37 (calico v3.33.0)' }]);
    const only135: CniPlugin = { ...reg.cni.require('flannel'), kubernetesMinors: { 'v0.28.9': ['1.35'] } };
    const reg2 = { ...defaultRegistries(), cni: new Registry<CniPlugin>('CNI plugin', [only135, reg.cni.require('calico')]) };
    const q = checkLab(lab({}), reg2).problems;
    assert.deepEqual(q.map((x) => x.path), [], 'the default follows the narrower plugin (1.35)');
  });

  it('provisioning gets the minor\'s containerd minimums from the data (lab.env), not from a template', () => {
    const env = fileOf(renderInMemory('flannel-4node'), 'provision/lab.env');
    assert.match(env, /^CONTAINERD_MINIMUMS='2\.3\.0 2\.2\.0'$/m);
    assert.match(fileOf(renderInMemory('flannel-4node'), 'provision/steps.sh'), /labgen_check_containerd\(\)/);
  });
});

describe('Calico v3.33: the docs\' install path for the lab\'s minor, and firewalld off', () => {
  it('1.36+: v3_projectcalico_org.yaml; 1.35: v1_crd_projectcalico_org.yaml; never the legacy operator-crds.yaml', () => {
    const i136 = fileOf(renderInMemory('calico-4node'), 'cni/install.sh');
    assert.match(i136, /^  kubectl create -f "\$manifests\/"v3_projectcalico_org\.yaml$/m);
    assert.match(i136, /^manifests=https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v3\.33\.0\/manifests$/m);
    const checked = checkLab(lab({ version: '1.35', plugin: 'calico' }), reg);
    assert.deepEqual(checked.problems, []);
    const r = resolveLab(checked.lab!, reg);
    const files = reg.cni.require('calico').render(r, (name, ctx) => `${name} ${JSON.stringify(ctx)}`);
    assert.match(files.find((f) => f.path === 'cni/install.sh')!.content, /"crds":"v1_crd_projectcalico_org\.yaml"/);
    for (const l of ['calico-4node', 'libvirt-calico-vxlan']) assert.doesNotMatch(fileOf(renderInMemory(l), 'cni/install.sh'), /operator-crds/);
  });

  it('Calico labs default to firewalld disabled (the plugin\'s declaration); configured is refused; --cni calico switches it with a notice', () => {
    const checked = checkLab(lab({ plugin: 'calico' }), reg);
    assert.equal(resolveLab(checked.lab!, reg).os.firewall, 'disabled');
    assert.equal(resolveLab(checkLab(lab({}), reg).lab!, reg).os.firewall, 'configured', 'flannel keeps firewalld with its ports open');
    const p = checkLab(lab({ plugin: 'calico', firewall: 'configured' }), reg).problems;
    assert.deepEqual(p.map((x) => x.path), ['os.firewall']);
    const r = renderInMemory('flannel-4node', { cni: 'calico' });
    assert.equal(r.lab.os.firewall, 'disabled');
    assert.match(fileOf(r, 'provision/lab.env'), /^FIREWALL=disabled$/m);
  });
});
