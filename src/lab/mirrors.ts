// The `mirrors` lab option: package and image mirrors for labs behind a proxy or offline. Schema, resolve and the
// provisioning settings in one place; every OS family's base script reads the settings (provision/lab.env).
import { closedObject, type JsonSchema } from './json-schema.js';
import type { LabDefinition } from './types.js';

/**
 * An http(s) base URL: a host name or IPv4 address, an optional port and path. No credentials (`@`), query,
 * fragment, quotes, spaces or `%`: the value is placed in apt lines, dnf .repo files, containerd's hosts.toml (a TOML
 * basic string) and shell words, where none of those characters can then mean anything.
 */
export const MIRROR_URL_PATTERN = '^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,252})(:[0-9]{1,5})?(/[A-Za-z0-9._~:/+-]*)?$';

/** The registries whose images a lab pulls (kubeadm's registry.k8s.io; the CNI images on docker.io, quay.io, ghcr.io). */
export const IMAGE_REGISTRIES = ['registry.k8s.io', 'docker.io', 'quay.io', 'ghcr.io'] as const;

/** The host a registry's API is served from, where it differs from the registry's name (docker.io's hosts.toml server). */
const REGISTRY_API_HOST: Record<string, string> = { 'docker.io': 'registry-1.docker.io' };

/** Where packages come from when the lab names no mirror. */
export const UPSTREAM = {
  /** pkgs.k8s.io: <base>/core:/stable:/v<minor>/{deb,rpm}/ (kubernetes.io "Installing kubeadm"). */
  kubernetes: 'https://pkgs.k8s.io',
  /** Docker's package repositories: <base>/linux/<distribution> (docs.docker.com "Install Docker Engine"). */
  containerd: 'https://download.docker.com',
} as const;

const url = (description: string): JsonSchema => ({
  type: 'string', maxLength: 512, pattern: MIRROR_URL_PATTERN, description,
  'x-fix': 'write an http:// or https:// URL without credentials, query or spaces, e.g. http://mirror.example.com/os',
});

const repository = (what: string, replaces: string, layout: string): JsonSchema => closedObject({
  url: url(`base URL of a mirror of ${what}, replacing ${replaces}; the repository is expected at ${layout}`),
  signedBy: {
    type: 'string', maxLength: 512, pattern: `^none$|${MIRROR_URL_PATTERN}`,
    description: `the key the mirror's packages are signed with: a URL of an armored key, or none for an unsigned local repository (apt [trusted=yes], dnf gpgcheck=0); default: ${what}' own key`,
    'x-fix': 'write none, or the http(s) URL of the mirror\'s armored signing key',
  },
}, ['url']);

/** Schema of `mirrors` in a lab file. */
export const mirrorsSchema: JsonSchema = closedObject({
  os: repository('the OS packages', 'the box\'s own package sources', 'the URL itself (apt: "<url> <codename> main"; dnf: the baseurl of each repository)'),
  kubernetes: repository('the Kubernetes packages', UPSTREAM.kubernetes, '<url>/core:/stable:/v<minor>/deb/ or .../rpm/, as on pkgs.k8s.io'),
  containerd: repository('Docker\'s containerd.io packages', UPSTREAM.containerd, '<url>/linux/<distribution>/, as on download.docker.com'),
  images: closedObject(Object.fromEntries(IMAGE_REGISTRIES.map((r) => [r, url(`a registry mirror containerd pulls ${r} images through (containerd hosts.toml)`)]))),
});

/** One package mirror as resolved: URL without a trailing slash, and its key (undefined: the upstream's own). */
export interface ResolvedRepositoryMirror { url: string; signedBy?: string }

/** The mirrors a lab set, resolved; absent keys mean upstream. */
export interface ResolvedMirrors {
  os?: ResolvedRepositoryMirror;
  kubernetes?: ResolvedRepositoryMirror;
  containerd?: ResolvedRepositoryMirror;
  images?: Record<string, string>;
}

const trim = (u: string) => u.replace(/\/+$/, '');

function repo(m: { url: string; signedBy?: string } | undefined): ResolvedRepositoryMirror | undefined {
  return m ? { url: trim(m.url), ...(m.signedBy ? { signedBy: m.signedBy === 'none' ? 'none' : m.signedBy } : {}) } : undefined;
}

/** The lab's mirrors with URLs normalised; undefined when it sets none. */
export function resolveMirrors(def: LabDefinition): ResolvedMirrors | undefined {
  const m = def.mirrors;
  if (!m) return undefined;
  const images = m.images ? Object.fromEntries(Object.entries(m.images).map(([k, v]) => [k, trim(v)])) : undefined;
  const out: ResolvedMirrors = {
    ...(m.os ? { os: repo(m.os)! } : {}),
    ...(m.kubernetes ? { kubernetes: repo(m.kubernetes)! } : {}),
    ...(m.containerd ? { containerd: repo(m.containerd)! } : {}),
    ...(images && Object.keys(images).length ? { images } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** Problems the pattern cannot see: a port out of range. */
export function mirrorProblems(def: LabDefinition): { path: string; message: string; fix: string }[] {
  const out: { path: string; message: string; fix: string }[] = [];
  const check = (path: string, u: string | undefined) => {
    const port = u?.match(/^https?:\/\/[^/:]+:([0-9]+)/)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) out.push({ path, message: `port ${port} is out of range`, fix: 'use a port from 1 to 65535' });
  };
  const m = def.mirrors;
  for (const k of ['os', 'kubernetes', 'containerd'] as const) {
    check(`mirrors.${k}.url`, m?.[k]?.url);
    if (m?.[k]?.signedBy !== 'none') check(`mirrors.${k}.signedBy`, m?.[k]?.signedBy);
  }
  for (const [k, v] of Object.entries(m?.images ?? {})) check(`mirrors.images.${k}`, v);
  return out;
}

/** The provisioning settings (provision/lab.env) every family's base script reads. */
export function mirrorEnv(m: ResolvedMirrors | undefined): Record<string, string> {
  return {
    OS_MIRROR: m?.os?.url ?? '',
    OS_MIRROR_SIGNED_BY: m?.os?.signedBy ?? '',
    K8S_PACKAGES: m?.kubernetes?.url ?? UPSTREAM.kubernetes,
    K8S_SIGNED_BY: m?.kubernetes?.signedBy ?? '',
    CONTAINERD_PACKAGES: m?.containerd?.url ?? UPSTREAM.containerd,
    CONTAINERD_SIGNED_BY: m?.containerd?.signedBy ?? '',
    IMAGE_MIRRORS: Object.entries(m?.images ?? {}).map(([r, u]) => `${r}=${u}`).join(' '),
    // The registries containerd pulls through labgen's download cache while it runs, as registry=API host: those the
    // lab names no mirror for (a lab mirror is used as it is, without the cache).
    IMAGE_CACHE_REGISTRIES: IMAGE_REGISTRIES.filter((r) => !m?.images?.[r]).map((r) => `${r}=${REGISTRY_API_HOST[r] ?? r}`).join(' '),
  };
}
