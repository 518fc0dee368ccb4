// The lab JSON Schema, built from the registries so CNI plugins, OS families and providers contribute their names and options.
import type { Registries } from '../registries.js';
import { closedObject, INTERFACE_FIX, patterns, TEXT_FIX, type JsonSchema } from './json-schema.js';
import { mirrorsSchema } from './mirrors.js';
import { KUBERNETES_MINORS, sortedVersions } from './versions.js';

/** Builds the complete lab schema (also written to labs/lab.schema.json for editors by scripts/write-schema). */
export function buildLabSchema(reg: Registries): JsonSchema {
  const ip = (description: string): JsonSchema => ({ type: 'string', pattern: patterns.ipv4, description, 'x-fix': 'write a dotted IPv4 address such as 10.0.0.2' });
  const cidr = (description: string): JsonSchema => ({ type: 'string', pattern: patterns.cidr4, description, 'x-fix': 'write an IPv4 CIDR such as 10.244.0.0/16' });

  const node = closedObject({
    name: { type: 'string', pattern: patterns.nodeName, description: 'Vagrant machine name', 'x-fix': 'use lower-case letters, digits and "-", starting with a letter, with at least one letter after f or a "-" (at most 32 characters), e.g. worker1' },
    hostname: { type: 'string', pattern: patterns.hostname, description: 'FQDN; also the Kubernetes node name', 'x-fix': 'use an RFC 1123 lower-case host name such as worker1.lab.com' },
    role: { enum: ['control-plane', 'worker'], description: 'control-plane (exactly one) or worker' },
    ip: ip('address on the host-only network (NIC2)'),
    cpus: { type: 'integer', minimum: 1, maximum: 64, description: 'vCPUs' },
    memory: { type: 'integer', minimum: 512, maximum: 262144, description: 'memory in MB' },
  }, ['name', 'hostname', 'role', 'ip']);

  const cniCases: JsonSchema[] = reg.cni.all().map((p) => ({
    if: { properties: { plugin: { const: p.name } }, required: ['plugin'] },
    then: { properties: { options: p.optionsSchema, version: { enum: [...p.versions], 'x-fix': `pick one of the ${p.name} versions labgen pins: ${sortedVersions(p.versions).join(', ')}` } } },
  }));

  // Each OS family with options of its own contributes `os.<family>` (as providers contribute `provider.<name>`).
  const familyProps: Record<string, JsonSchema> = {};
  for (const f of reg.os.all()) if (f.optionsSchema) familyProps[f.name] = f.optionsSchema;

  const providerProps: Record<string, JsonSchema> = { name: { enum: reg.providers.names(), description: 'Vagrant provider' } };
  for (const p of reg.providers.all()) providerProps[p.name] = p.optionsSchema;

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://labgen.dev/lab.schema.json',
    title: 'labgen lab definition',
    ...closedObject({
      name: { type: 'string', pattern: patterns.labName, description: 'lab name (also the default output directory)', 'x-fix': 'use lower-case letters, digits and "-", e.g. my-lab-4node' },
      description: { type: 'string', maxLength: 200, pattern: patterns.text, description: 'one line shown by `labgen list`', 'x-fix': TEXT_FIX },
      os: closedObject({
        family: { enum: reg.os.names(), description: 'OS family of every node' },
        box: { type: 'string', pattern: patterns.box, description: 'Vagrant box (default: the family\'s box for the provider)', 'x-fix': 'write a box name as owner/name, e.g. bento/rockylinux-9' },
        boxVersion: { type: 'string', pattern: patterns.boxVersion, description: 'pin the box version', 'x-fix': 'write a version such as "202502.21.0" (quoted)' },
        selinux: { enum: ['permissive', 'enforcing'], description: `only for families with SELinux (${reg.os.all().filter((f) => f.hasSelinux).map((f) => f.name).join(', ') || 'none'}); kubeadm labs run permissive` },
        firewall: { enum: ['configured', 'disabled'], description: `only for families with firewalld (${reg.os.all().filter((f) => f.hasFirewalld).map((f) => f.name).join(', ') || 'none'}): open the ports the cluster and CNI need, or disable firewalld` },
        ...familyProps,
      }, ['family']),
      provider: closedObject(providerProps),
      network: closedObject({
        hostOnly: closedObject({
          cidr: cidr('the host-only network of NIC2'),
          hostAddress: ip("the host's address on the host-only network (Vagrant's adapter_ip); default: the last usable address"),
          interface: { type: 'string', pattern: patterns.hostInterface, description: 'name of the host-side adapter (e.g. vboxnet0), to reuse an existing one', 'x-fix': INTERFACE_FIX },
        }, ['cidr']),
      }, ['hostOnly']),
      kubernetes: closedObject({
        version: { type: 'string', enum: [...KUBERNETES_MINORS], description: 'Kubernetes minor, quoted (default: the newest minor every CNI plugin supports)', 'x-fix': `write one of ${sortedVersions(KUBERNETES_MINORS).map((v) => `"${v}"`).join(', ')} (quoted, or YAML reads 1.30 as the number 1.3)` },
        podCidr: cidr('pod network (kubeadm podSubnet); default 10.244.0.0/16, as the article'),
        serviceCidr: cidr('service network; default 10.96.0.0/12'),
        dnsDomain: { type: 'string', pattern: patterns.hostname, description: 'cluster DNS domain; default cluster.local' },
        runtime: { enum: ['containerd'], description: 'container runtime' },
      }),
      cni: closedObject({
        plugin: { enum: reg.cni.names(), description: 'CNI plugin' },
        version: { type: 'string', pattern: patterns.version, description: 'pinned plugin version (default: the newest labgen knows)', 'x-fix': 'write one of the versions `labgen validate` lists for the plugin, e.g. v3.33.0' },
        interface: { type: 'string', pattern: patterns.interface, description: 'pod-network NIC: a name such as enp0s8, or auto (the NIC carrying the node\'s host-only address)', 'x-fix': `${INTERFACE_FIX}, or auto` },
        options: { type: 'object', description: 'plugin options' },
      }, ['plugin'], { allOf: cniCases }),
      defaults: closedObject({
        cpus: { type: 'integer', minimum: 1, maximum: 64 },
        memory: { type: 'integer', minimum: 512, maximum: 262144 },
      }),
      nodes: { type: 'array', items: node, minItems: 1, maxItems: 64 },
      mirrors: mirrorsSchema,
      cache: { type: 'boolean', default: true, description: 'share one host-side download cache between every node of every lab while create runs (labgen cache info); false: every node downloads for itself', 'x-fix': 'write true or false' },
    }, ['name', 'os', 'network', 'kubernetes', 'cni', 'nodes']),
  };
}
