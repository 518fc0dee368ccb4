// The libvirt connection URI a lab file may name: parsed as a URI and held to an allow-list, because libvirt
// itself runs programs and reads files named in a URI (`command=`, `netcat=`, `socket=`, `keyfile=`,
// `known_hosts=`, the `ext` transport...), and `virsh -c URI` runs on the user's machine.
//
// Format and parameters from libvirt's docs/uri.rst (https://libvirt.org/uri.html, "Remote URIs"):
//   driver[+transport]://[username@][hostname][:port]/[path][?extraparameters]
// Transports: unix (local), ssh, libssh2, libssh, tls (the default with a host), tcp, ext.
// Extra parameters per transport: ssh: name command socket netcat keyfile no_verify no_tty proxy mode;
// libssh/libssh2: known_hosts known_hosts_verify sshauth keyfile...; tls: tls_priority no_verify pkipath;
// unix: mode socket; ext: command. Of these only three neither run a program nor name a file:
// `no_tty` (ssh), `no_verify` (tls) and `mode` (auto|direct|legacy: which daemon to talk to).
// libvirt unescapes %XX in the query and also splits it on ';' (virURIParseParams), so neither is accepted.

/** The URI labgen uses when the lab names none (vagrant-libvirt's default too). */
export const DEFAULT_LIBVIRT_URI = 'qemu:///system';

/** Longest URI accepted (a host name is at most 253 characters). */
export const MAX_URI_LENGTH = 400;

type Transport = 'local' | 'unix' | 'ssh' | 'tls' | 'tcp';

/** A libvirt URI that passed every check. */
export interface LibvirtUri { transport: Transport; user?: string; host?: string; port?: number; path: 'system' | 'session'; params: Record<string, string> }

/** Allowed parameters: which transports take each one, and its allowed values. */
const PARAMS: Record<string, { transports: Transport[]; values: RegExp; hint: string }> = {
  no_tty: { transports: ['ssh'], values: /^[01]$/, hint: '0 or 1' },
  no_verify: { transports: ['tls'], values: /^[01]$/, hint: '0 or 1' },
  mode: { transports: ['local', 'unix', 'ssh'], values: /^(auto|direct|legacy)$/, hint: 'auto, direct or legacy' },
};

/** Parameters that run a program or read a file on this machine (named in the refusal, so the user knows why). */
const DANGEROUS = new Set(['command', 'netcat', 'socket', 'keyfile', 'sshopts', 'known_hosts', 'known_hosts_verify', 'proxy', 'pkipath', 'name', 'sshauth', 'tls_priority']);

/** POSIX-portable user names (no leading '-', so ssh never reads one as an option). */
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
/** An RFC 1123 host name or dotted IPv4 address: labels of letters, digits and inner '-', so never a leading '-'. */
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The fix printed with every refusal. */
export const URI_FIX = 'write qemu:///system, qemu:///session, or for a remote host qemu+ssh://user@host[:port]/system (also qemu+tls://, qemu+tcp://); the only parameters accepted are no_tty=0|1 (ssh), no_verify=0|1 (tls) and mode=auto|direct|legacy. Parameters such as command=, netcat=, socket=, keyfile=, sshopts=, known_hosts= and the ext transport run programs or read files on this machine and are refused; put ssh settings in ~/.ssh/config instead';

/**
 * A regular expression for the lab schema (so editors refuse the same URIs); parseLibvirtUri is the authority and
 * also checks what a pattern cannot (port range, each parameter once, parameters per transport).
 */
export const LIBVIRT_URI_PATTERN = (() => {
  const label = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
  const host = `${label}(\\.${label})*`;
  const user = '[A-Za-z_][A-Za-z0-9_.-]{0,31}';
  const param = '(no_tty=[01]|no_verify=[01]|mode=(auto|direct|legacy))';
  const query = `([?]${param}(&${param}){0,2})?`;
  const path = '/(system|session)';
  return `^qemu((\\+unix)?://${path}|(\\+(ssh|tls|tcp))?://(${user}@)?${host}(:[1-9][0-9]{0,4})?${path})${query}$`;
})();

/** Why a URI is refused, or undefined when it is one labgen accepts. */
export function libvirtUriProblem(uri: unknown): string | undefined {
  const r = parseLibvirtUri(uri);
  return 'problem' in r ? r.problem : undefined;
}

/** Parses a libvirt URI strictly; anything not on the allow-list is a problem naming what was refused. */
export function parseLibvirtUri(uri: unknown): LibvirtUri | { problem: string } {
  const no = (problem: string) => ({ problem });
  if (typeof uri !== 'string') return no('must be a string');
  if (uri.length > MAX_URI_LENGTH) return no(`is ${uri.length} characters long; a libvirt URI is at most ${MAX_URI_LENGTH}`);
  // Printable ASCII only: no spaces, controls, escapes (%XX is unescaped by libvirt), or ';' (a second query separator).
  const bad = /[^\x21-\x7e]|[%;#\\'"`$<>{}|^[\]]/.exec(uri);
  if (bad) return no(`contains ${JSON.stringify(bad[0])}, which a libvirt URI labgen accepts never holds`);
  const m = /^([a-z0-9]+)(?:\+([a-z0-9]+))?:\/\/([^/?]*)\/([^?]*)(?:\?(.*))?$/.exec(uri);
  if (!m) return no('is not a libvirt URI of the form driver[+transport]://[user@][host][:port]/path[?parameters]');
  const [, driver, transportName, authority = '', path, query] = m;
  if (driver !== 'qemu') return no(`driver "${driver}" is not supported: vagrant-libvirt drives QEMU/KVM (qemu)`);
  if (path !== 'system' && path !== 'session') return no(`path "/${path}" is not /system or /session`);
  let user: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  if (authority) {
    const a = /^(?:([^@]*)@)?([^@:]*)(?::([^@:]*))?$/.exec(authority);
    if (!a) return no(`"${authority}" is not [user@]host[:port]`);
    const [, u, h = '', p] = a;
    if (u !== undefined && !USER.test(u)) return no(`user "${u}" is not a plain user name (letters, digits, "_", ".", "-", not starting with "-")`);
    if (!HOST.test(h)) return no(`host "${h}" is not a host name or IPv4 address (letters, digits, "-" and ".", not starting with "-")`);
    if (p !== undefined && (!/^[1-9][0-9]{0,4}$/.test(p) || Number(p) > 65535)) return no(`port "${p}" is not a TCP port (1 to 65535)`);
    user = u; host = h; port = p === undefined ? undefined : Number(p);
  }
  let transport: Transport;
  switch (transportName) {
    case undefined: transport = host ? 'tls' : 'local'; break;
    case 'unix': transport = 'unix'; break;
    case 'ssh': case 'tls': case 'tcp': transport = transportName; break;
    case 'ext': return no('the ext transport runs the program named by command= on this machine');
    default: return no(`transport "${transportName}" is not accepted (use ssh, tls or tcp for a remote host, or none for this machine)`);
  }
  if ((transport === 'local' || transport === 'unix') && host) return no(`a ${transport === 'unix' ? 'qemu+unix' : 'local'} URI has no host`);
  if ((transport === 'ssh' || transport === 'tcp') && !host) return no(`qemu+${transport} needs a host: qemu+${transport}://host/${path}`);
  if (user !== undefined && transport !== 'ssh') return no('a user name is only used by the ssh transport');
  const params: Record<string, string> = {};
  if (query !== undefined) {
    for (const part of query.split('&')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      const spec = Object.hasOwn(PARAMS, key) ? PARAMS[key] : undefined;
      if (!spec) {
        return no(DANGEROUS.has(key) || !/^[a-z_]+$/.test(key)
          ? `parameter "${key}" is refused: it runs a program, reads a file or changes how libvirt reaches the host on this machine`
          : `parameter "${key}" is not one labgen accepts`);
      }
      if (!spec.transports.includes(transport)) return no(`parameter "${key}" does not apply to the ${transport === 'local' ? 'local' : transport} transport`);
      if (!spec.values.test(value)) return no(`parameter ${key}=${value} must be ${spec.hint}`);
      if (Object.hasOwn(params, key)) return no(`parameter "${key}" is given twice`);
      params[key] = value;
    }
  }
  return { transport, ...(user !== undefined ? { user } : {}), ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}), path, params };
}

/** Whether an accepted URI is on this machine (no host part). */
export function isLocalLibvirtUri(uri: LibvirtUri): boolean { return uri.host === undefined; }
