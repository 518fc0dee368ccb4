// The two forms in which a guest names an https:// upstream to the download cache, as a plain-http path on the cache
// itself (the approach of apt-cacher-ng's "http://<cache>/HTTPS///<host>/..." remapping): the guest's package manager
// and containerd speak plain http to the cache, and the cache fetches from the real upstream over https with normal
// TLS verification on the host. Pure: a request path in, the upstream URL (or why not) out.
//
//   /https/<host>[:<port>]/<path>          an apt or dnf repository (the OS families' base.sh writes these URLs
//                                          while the cache runs, and the real ones again when provisioning ends)
//   /registry/<host>[:<port>]/v2/<path>    an OCI registry (containerd's hosts.toml mirror with override_path)
//
// Strict on purpose, so a guest cannot use the cache to reach anything but a public https upstream by name: scheme
// https only, a DNS host name (no IP literal at all, so no loopback, link-local or private address), no userinfo, no
// "." or ".." segment, no backslash, no percent-encoded slash or dot.

/** An upstream named by a cache path. */
export type CacheForm =
  | { kind: 'https'; url: URL }
  | { kind: 'registry'; url: URL; registry: string };

/** Why a cache path was refused (HTTP status and the message the guest sees). */
export interface FormRefusal { status: 400 | 403; message: string }

const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`, 'i');
/** An OCI distribution path under /v2/ (distribution spec: <name> components, then manifests|blobs and a reference). */
const REGISTRY_PATH = /^\/v2\/(|[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\/(?:manifests|blobs)\/[A-Za-z0-9_.:+-]{1,200})$/;

/** A host name the cache fetches from: DNS syntax with a non-numeric last label (so no IPv4 literal), no IPv6 literal. */
export function validUpstreamHost(host: string): boolean {
  if (!HOSTNAME.test(host)) return false;
  const last = host.replace(/\.$/, '').split('.').pop()!;
  return !/^[0-9]+$/.test(last) && !/^0x/i.test(last);
}

/**
 * The upstream a cache path names, a refusal, or undefined when the path is neither form. `allow` is the proxy's own
 * upstream policy (loopback names such as localhost are refused there).
 */
export function parseCacheForm(pathAndQuery: string, allow: (hostname: string) => boolean): CacheForm | FormRefusal | undefined {
  const m = /^\/(https|registry)\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(pathAndQuery);
  if (!m) return undefined;
  const kind = m[1] as 'https' | 'registry';
  const authority = m[2]!;
  const path = m[3] ?? '/';
  const query = m[4] ?? '';
  const refuse = (message: string): FormRefusal => ({ status: 400, message });
  if (authority.includes('@')) return refuse('no credentials in an upstream');
  const hp = /^([^:]+)(?::([0-9]{1,5}))?$/.exec(authority);
  if (!hp) return refuse(`'${authority}' is not <host name>[:<port>]`);
  const host = hp[1]!.toLowerCase();
  const port = hp[2] === undefined ? undefined : Number(hp[2]);
  if (!validUpstreamHost(host)) return refuse(`'${hp[1]}' is not a DNS host name (addresses are not upstreams the cache fetches from)`);
  if (port !== undefined && (port < 1 || port > 65535)) return refuse(`port ${hp[2]} is out of range`);
  if (!allow(host)) return { status: 403, message: `${host} is not an upstream the cache fetches from` };
  if (/[\\\0]/.test(path) || /%(2f|5c|2e|00)/i.test(path)) return refuse('no backslash or encoded slash, dot or NUL in an upstream path');
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return refuse('no "." or ".." in an upstream path');
  const authorityOut = port === undefined || port === 443 ? host : `${host}:${port}`;
  if (kind === 'https') {
    const url = new URL(`https://${authorityOut}${path}${query}`);
    return { kind, url };
  }
  // containerd adds ?ns=<registry> when it talks to a mirror (docs/hosts.md); the upstream is named by the path.
  if (!REGISTRY_PATH.test(path)) return refuse('not an OCI distribution path (/v2/<name>/manifests|blobs/<reference>)');
  return { kind, url: new URL(`https://${authorityOut}${path}`), registry: authorityOut };
}

/** A Bearer challenge of a registry's 401 (distribution token auth: realm, service, scope). */
export interface BearerChallenge { realm: string; service?: string; scope?: string }

/** Parses `WWW-Authenticate: Bearer realm="...",service="...",scope="..."`; undefined for any other scheme. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  if (!header || !/^\s*bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([a-z_]+)\s*=\s*"([^"]*)"/gi)) params[m[1]!.toLowerCase()] = m[2]!;
  if (!params.realm) return undefined;
  return { realm: params.realm, ...(params.service !== undefined ? { service: params.service } : {}), ...(params.scope !== undefined ? { scope: params.scope } : {}) };
}

/** The token URL of a challenge, when its realm is an https URL on a valid host name the policy allows. */
export function tokenUrl(ch: BearerChallenge, allow: (hostname: string) => boolean): URL | undefined {
  let realm: URL;
  try { realm = new URL(ch.realm); } catch { return undefined; }
  if (realm.protocol !== 'https:' || realm.username || realm.password || !validUpstreamHost(realm.hostname) || !allow(realm.hostname)) return undefined;
  if (ch.service !== undefined) realm.searchParams.set('service', ch.service);
  if (ch.scope !== undefined) realm.searchParams.set('scope', ch.scope);
  return realm;
}
