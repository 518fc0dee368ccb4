// Parses `vagrant <cmd> --machine-readable` output: `timestamp,target,type,data...` with Vagrant's escapes.

/** One machine-readable record. */
export interface MachineRecord { timestamp: string; target: string; type: string; data: string[] }

function unescape(s: string): string {
  return s.replace(/%!\(VAGRANT_COMMA\)/g, ',').replace(/\\n/g, '\n').replace(/\\r/g, '\r');
}

/** Every record of the output; lines that are not records are skipped. */
export function parseMachineReadable(text: string): MachineRecord[] {
  const out: MachineRecord[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trimEnd().split(',');
    if (parts.length < 3 || !/^\d+$/.test(parts[0]!)) continue;
    out.push({ timestamp: parts[0]!, target: parts[1]!, type: parts[2]!, data: parts.slice(3).map(unescape) });
  }
  return out;
}

/** Vagrant's state of each machine (`running`, `poweroff`, `not_created`, `shutoff`, ...), from `vagrant status`. */
export function machineStates(text: string): Map<string, { state: string; provider: string }> {
  const m = new Map<string, { state: string; provider: string }>();
  for (const r of parseMachineReadable(text)) {
    if (!r.target) continue;
    const cur = m.get(r.target) ?? { state: 'unknown', provider: '' };
    if (r.type === 'state') cur.state = r.data[0] ?? 'unknown';
    if (r.type === 'provider-name') cur.provider = r.data[0] ?? '';
    m.set(r.target, cur);
  }
  return m;
}

/** Whether a state means the VM is up. */
export function isRunning(state: string | undefined): boolean { return state === 'running'; }
