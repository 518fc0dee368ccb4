// Reads vagrant's human output line by line: which machine a line is about, and what progress it announces.

/** What a line of `vagrant up` output tells about a machine. */
export type ProgressEvent =
  | { kind: 'phase'; phase: 'import' | 'boot' | 'provision'; provisioner?: string }
  | { kind: 'booted' }
  | { kind: 'already-provisioned' }
  | { kind: 'step'; n: number; total: number; name: string }
  | { kind: 'fail'; step: string; line: number }
  | { kind: 'done' };

/** A parsed line: the machine it names (if any), the text without vagrant's prefix, and its event (if any). */
export interface ParsedLine { node?: string; text: string; event?: ProgressEvent }

const PREFIX = /^(?:==> |    )([A-Za-z0-9][A-Za-z0-9_.-]*): ?(.*)$/;
const BRINGING = /^Bringing machine '([^']+)' up/;
const STEP = /LABGEN-STEP node=(\S+) n=(\d+) total=(\d+) name=(\S+)/;
const FAIL = /LABGEN-FAIL node=(\S+) step=(\S+) line=(\d+)/;
const DONE = /LABGEN-DONE node=(\S+)/;

/** A provider's messages that start the import and boot phases (Provider.upPhases). */
export interface UpPhases { import: RegExp; boot: RegExp }

// Vagrant's own messages (not a provider's) that start a phase: its box check, and its provisioners.
const VAGRANT_IMPORT = /^Checking if box .* is up to date/;

/** Strips ANSI colour codes (in case a terminal-style vagrant ignored --no-color). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/**
 * The line a terminal would show for raw output that redraws itself with carriage returns. Real vagrant redraws
 * a box upload in place ("Progress: 42%\r\u001b[K", even with --no-color) and the next message
 * follows the last redraw on the same line; a guest's dpkg does the same inside one prefixed line
 * ("    worker1: (Reading database ... 5%\r(Reading database ... 100%"). The last redraw is the text, and it keeps the
 * machine prefix of the first one when it has none of its own.
 */
function visibleLine(raw: string): string {
  const parts = stripAnsi(raw).split('\r').filter((s) => s.trim() !== '');
  const last = parts[parts.length - 1] ?? '';
  if (parts.length < 2 || PREFIX.test(last)) return last;
  const first = PREFIX.exec(parts[0]!);
  return first ? `${parts[0]!.slice(0, parts[0]!.length - first[2]!.length)}${last}` : last;
}

/** Parses one output line of `vagrant up` (with or without --parallel; lines carry the machine name); `phases` are the provider's. */
export function parseVagrantLine(raw: string, phases?: UpPhases): ParsedLine {
  const line = visibleLine(raw);
  const pre = PREFIX.exec(line);
  const text = pre ? pre[2]! : line;
  let node = pre?.[1];
  const step = STEP.exec(text);
  if (step) return { node: step[1], text, event: { kind: 'step', n: Number(step[2]), total: Number(step[3]), name: step[4]! } };
  const fail = FAIL.exec(text);
  if (fail) return { node: fail[1], text, event: { kind: 'fail', step: fail[2]!, line: Number(fail[3]) } };
  const done = DONE.exec(text);
  if (done) return { node: done[1], text, event: { kind: 'done' } };
  const bringing = BRINGING.exec(line);
  if (bringing) node = bringing[1];
  if (!pre) return { node, text };
  if (/^Machine booted and ready!/.test(text)) return { node, text, event: { kind: 'booted' } };
  if (/^Machine already provisioned\./.test(text)) return { node, text, event: { kind: 'already-provisioned' } };
  const prov = /^Running provisioner: ([A-Za-z0-9_.-]+)/.exec(text);
  if (prov) return { node, text, event: { kind: 'phase', phase: 'provision', provisioner: prov[1] } };
  if (VAGRANT_IMPORT.test(text) || phases?.import.test(text)) return { node, text, event: { kind: 'phase', phase: 'import' } };
  if (phases?.boot.test(text)) return { node, text, event: { kind: 'phase', phase: 'boot' } };
  return { node, text };
}
