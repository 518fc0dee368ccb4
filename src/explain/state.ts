// The kernel state the explanation reads on nodes and pods: which commands, and their raw outputs (pure).
import { shellWord } from '../render/escape.js';

/** One read-only command whose output the explanation parses; `argv` runs as is (never through a shell). */
export interface StateCommand {
  key: string;
  argv: string[];
  /** Needs root (verify prefixes `sudo -n`; demo already runs as root). */
  root?: boolean;
}

/** A command's outcome as the channel (vagrant ssh, kubectl exec, ip netns exec) returned it. */
export interface CommandOutput { ok: boolean; stdout: string; error?: string }

/** Raw outputs by command key; a missing key means the command never ran (e.g. the node could not be reached). */
export type RawState = Record<string, CommandOutput>;

/** Where the raw state of one run came from, per role, plus why a whole side could not be read. */
export interface RunState {
  srcNode: { name: string; state: RawState; unreachable?: string };
  dstNode: { name: string; state: RawState; unreachable?: string };
  srcPod: { name: string; state: RawState; unreachable?: string };
  dstPod: { name: string; state: RawState; unreachable?: string };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** True for a dotted-quad IPv4 address; anything else never reaches a command line. */
export function isIpv4(s: string): boolean { return IPV4.test(s); }

/** The key of `ip -j route get ADDR`'s output. */
export const routeGetKey = (ip: string): string => `route-get ${ip}`;

/**
 * Commands read on a node: every link with details (types, masters, VXLAN ids and ports, MTUs), addresses, the
 * IPv4 routes, neighbours and the bridge fdb, plus `ip route get` for each address the path involves.
 */
export function nodeStateCommands(lookups: readonly string[], opts: { nat?: boolean } = {}): StateCommand[] {
  const bad = lookups.filter((ip) => !isIpv4(ip));
  if (bad.length) throw new Error(`not IPv4 addresses: ${bad.join(', ')}`);
  return [
    { key: 'links', argv: ['ip', '-j', '-d', 'link', 'show'] },
    { key: 'addrs', argv: ['ip', '-j', '-4', 'addr', 'show'] },
    { key: 'routes', argv: ['ip', '-j', '-4', 'route', 'show'] },
    { key: 'neigh', argv: ['ip', '-j', '-4', 'neigh', 'show'] },
    { key: 'fdb', argv: ['bridge', '-j', 'fdb', 'show'] },
    ...[...new Set(lookups)].map((ip) => ({ key: routeGetKey(ip), argv: ['ip', '-j', 'route', 'get', ip] })),
    // kube-proxy's DNAT for the service scenario (iptables mode): the nat table's rules.
    ...(opts.nat ? [{ key: 'nat', argv: ['iptables', '-w', '-t', 'nat', '-S'], root: true }] : []),
  ];
}

/**
 * Commands read inside a pod. Plain text and /sys, no JSON: verify's pods run busybox, whose `ip` has no `-j`;
 * iproute2 prints the same lines, so demo and verify share one parser.
 */
export function podStateCommands(): StateCommand[] {
  return [
    { key: 'addr', argv: ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0'] },
    { key: 'route', argv: ['ip', '-4', 'route', 'show'] },
    { key: 'mtu', argv: ['cat', '/sys/class/net/eth0/mtu'] },
    { key: 'iflink', argv: ['cat', '/sys/class/net/eth0/iflink'] },
  ];
}

const MARK = '@@labgen-state';

/**
 * One POSIX sh script running every command, each output framed by markers with its exit status (one ssh, one
 * exec). A newline precedes the status marker, so output without a final newline still ends its frame; the parser
 * drops exactly that newline and gets the output back byte for byte.
 */
export function stateScript(cmds: readonly StateCommand[], sudo = false): string {
  return cmds.map((c) => `printf '%s\\n' ${shellWord(`${MARK} ${c.key}`)}; ${[...(sudo && c.root ? ['sudo', '-n'] : []), ...c.argv].map(shellWord).join(' ')} 2>&1; printf '\\n%s %s\\n' ${shellWord(`${MARK}-rc`)} "$?"`).join('; ');
}

/** Splits a stateScript's output back into one CommandOutput per key; a command whose frame is absent is left out. */
export function parseStateScript(stdout: string, cmds: readonly StateCommand[]): RawState {
  const out: RawState = {};
  const lines = stdout.split('\n');
  const keys = new Set(cmds.map((c) => c.key));
  let key: string | undefined;
  let body: string[] = [];
  for (const line of lines) {
    if (line.startsWith(`${MARK}-rc `)) {
      if (key !== undefined) {
        const rc = Number(line.slice(MARK.length + 4).trim());
        const text = body.join('\n');
        out[key] = rc === 0 ? { ok: true, stdout: text } : { ok: false, stdout: text, error: `exit ${rc}: ${text.trim().split('\n')[0] || 'no output'}` };
      }
      key = undefined;
      body = [];
    } else if (line.startsWith(`${MARK} `)) {
      const k = line.slice(MARK.length + 1);
      key = keys.has(k) ? k : undefined;
      body = [];
    } else if (key !== undefined) body.push(line);
  }
  return out;
}

/** Every command marked as failed for one reason (the node or pod could not be reached at all). */
export function allFailed(cmds: readonly StateCommand[], reason: string): RawState {
  return Object.fromEntries(cmds.map((c) => [c.key, { ok: false, stdout: '', error: reason }]));
}
