// The one shell script `labgen logs` runs on each node (through `vagrant ssh -c`, i.e. bash), and the parser of its
// output: each item is framed by BEGIN/END lines carrying a random boundary, so no log line can end a section. Pure.

/** What is collected from every guest: archive file name and the command (argv words, no shell syntax). */
export const GUEST_ITEMS: { file: string; argv: string[] }[] = [
  { file: 'journal-kubelet.txt', argv: ['sudo', '-n', 'journalctl', '-u', 'kubelet', '--no-pager', '-o', 'short-iso', '-n', '10000'] },
  { file: 'journal-containerd.txt', argv: ['sudo', '-n', 'journalctl', '-u', 'containerd', '--no-pager', '-o', 'short-iso', '-n', '10000'] },
  { file: 'ip-addr.txt', argv: ['ip', '-d', 'addr'] },
  { file: 'ip-route.txt', argv: ['ip', 'route'] },
  { file: 'bridge-fdb.txt', argv: ['bridge', 'fdb', 'show'] },
];

/** Where labgen's provisioning keeps each step's full output on a node (templates/provision: /var/log/labgen/<step>.log). */
export const GUEST_LABGEN_LOGS = '/var/log/labgen';

/** The script for one node, on one line; `boundary` is a fresh random token ([A-Za-z0-9]) per run. */
export function guestScript(boundary: string): string {
  if (!/^[A-Za-z0-9]{16,64}$/.test(boundary)) throw new Error('guestScript: boundary must be 16-64 letters and digits');
  const B = `LABGEN-LOGS-${boundary}`;
  // Every word below is a constant of this file; nothing from the lab reaches the script.
  return [
    `B=${B}`,
    // $LABGEN_ROOT is unset on a real node; the tests' fake guest points it at a scratch root, as provisioning's tests do.
    'R="${LABGEN_ROOT:-}"',
    's() { n="$1"; shift; printf \'\\n%s BEGIN %s\\n\' "$B" "$n"; "$@" </dev/null 2>&1; rc=$?; printf \'\\n%s END %s %s\\n\' "$B" "$n" "$rc"; }',
    ...GUEST_ITEMS.map((i) => `s ${i.file} ${i.argv.join(' ')}`),
    `for f in "$R"${GUEST_LABGEN_LOGS}/*.log; do [ -f "$f" ] && s "labgen/\${f##*/}" sudo -n cat -- "$f"; done`,
    'exit 0',
  ].join('; ');
}

/** One framed section of the output. */
export interface GuestSection { name: string; text: string; exitCode?: number; complete: boolean }

/** Names a guest may give a section (its own log files' names): plain file names only. */
function safeName(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(p))) return undefined;
  return name;
}

/** The sections in the output of guestScript(boundary); a section cut short (the node went away) is incomplete. */
export function parseGuestOutput(stdout: string, boundary: string): GuestSection[] {
  const B = `LABGEN-LOGS-${boundary}`;
  const out: GuestSection[] = [];
  let cur: { name: string; lines: string[] } | undefined;
  const close = (exitCode: number | undefined, complete: boolean) => {
    if (!cur) return;
    const lines = cur.lines;
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    const name = safeName(cur.name);
    if (name !== undefined) out.push({ name, text: lines.length ? `${lines.join('\n')}\n` : '', exitCode, complete });
    cur = undefined;
  };
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith(`${B} BEGIN `)) { close(undefined, false); cur = { name: line.slice(B.length + 7), lines: [] }; continue; }
    const end = line.startsWith(`${B} END `) ? /^(.*) (\d+)$/.exec(line.slice(B.length + 5)) : null;
    if (end && cur && end[1] === cur.name) { close(Number(end[2]), true); continue; }
    cur?.lines.push(line);
  }
  close(undefined, false);
  return out;
}
