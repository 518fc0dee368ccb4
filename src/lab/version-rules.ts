// Version rules: the Kubernetes minor is supported upstream and by the lab's CNI plugin version; the firewall
// setting agrees with what the CNI plugin's upstream requires. Pure; every problem names the field and the fix.
import type { Problem } from '../errors.js';
import type { Registries } from '../registries.js';
import type { LabDefinition } from './types.js';
import { cniMinors, defaultKubernetesMinor, kubernetesRelease, KUBERNETES_RELEASES, newestUsableMinor, sortVersions } from './versions.js';

/** The lab's Kubernetes minor: its own, or labgen's default (the newest minor every registered CNI supports). */
export function labMinor(lab: LabDefinition, reg: Registries): string | undefined {
  return lab.kubernetes.version ?? defaultKubernetesMinor(reg.cni.all());
}

/** Problems with the lab's Kubernetes minor, CNI version and firewall choice. */
export function versionRules(lab: LabDefinition, reg: Registries): Problem[] {
  const out: Problem[] = [];
  const minor = labMinor(lab, reg);
  const plugin = reg.cni.get(lab.cni.plugin);
  const fallback = defaultKubernetesMinor(reg.cni.all());
  if (!minor) {
    out.push({ path: 'kubernetes.version', message: 'no supported Kubernetes minor is supported by every CNI plugin, so there is no default', fix: `set kubernetes.version to one of ${KUBERNETES_RELEASES.filter((r) => r.status !== 'end-of-life').map((r) => `"${r.minor}"`).join(', ')}` });
    return out;
  }
  const release = kubernetesRelease(minor);
  if (release?.status === 'end-of-life') {
    const to = (plugin && newestUsableMinor(plugin, lab.cni.version ?? plugin.versions[0]!)) ?? fallback;
    out.push({
      path: 'kubernetes.version',
      message: `Kubernetes ${minor} reached end of life on ${release.endOfLife} (kubernetes.io/releases): it gets no fixes, and pkgs.k8s.io may drop it`,
      fix: to ? `set kubernetes.version: "${to}"${to === fallback ? ' (or remove it: that is labgen\'s default)' : ''}` : 'set a supported kubernetes.version',
    });
    return out;
  }
  if (plugin) {
    const version = lab.cni.version ?? plugin.versions[0]!;
    if (!plugin.versions.includes(version)) return out; // the schema reports an unpinned CNI version
    const minors = cniMinors(plugin, version);
    if (!minors.includes(minor)) {
      const others = reg.cni.all().filter((p) => p.name !== plugin.name && cniMinors(p, p.versions[0]!).includes(minor)).map((p) => `${p.name} ${p.versions[0]!}`);
      const to = newestUsableMinor(plugin, version);
      out.push({
        path: lab.kubernetes.version ? 'kubernetes.version' : 'cni.plugin',
        message: `${plugin.name} ${version} supports Kubernetes ${sortVersions(minors).join(', ')}, not ${minor}`,
        fix: [to ? `set kubernetes.version: "${to}"` : undefined, others.length ? `use a CNI plugin that supports ${minor} (${others.join(', ')})` : undefined].filter(Boolean).join(', or '),
      });
    }
    if (plugin.hostFirewall.mode === 'disabled' && lab.os.firewall === 'configured') {
      out.push({ path: 'os.firewall', message: `${plugin.hostFirewall.why}`, fix: `remove os.firewall (${plugin.name} labs disable firewalld) or set it to disabled` });
    }
  }
  return out;
}
