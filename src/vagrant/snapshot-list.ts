// Reads `vagrant snapshot list --machine-readable`: each machine's snapshot names, or that it was never created.
// Vagrant 2.3.4 (plugins/commands/snapshot/command/list.rb) prints per machine, through its machine-prefixed UI:
//   not created:   `<t>,master,ui,info,==> master: VM not created. Moving on...`
//   none taken:    `<t>,master,ui,output,==> master: No snapshots have been taken yet!` (then a `detail` hint)
//   snapshots:     `<t>,master,ui,output,==> master: ` (an empty prefixed line), then one `<t>,master,ui,detail,<name>`
//                  per snapshot, printed with `prefix: false`.
import { parseMachineReadable } from './machine-readable.js';

/** A machine's snapshots as vagrant listed them; `created: false` when the machine does not exist. */
export interface MachineSnapshots { created: boolean; names: string[] }

/** Every machine the output names, with its snapshots in vagrant's order. */
export function parseSnapshotList(text: string): Map<string, MachineSnapshots> {
  const out = new Map<string, MachineSnapshots>();
  const listing = new Set<string>();
  for (const r of parseMachineReadable(text)) {
    if (!r.target || r.type !== 'ui') continue;
    const [kind, message = ''] = r.data;
    const m = out.get(r.target) ?? { created: true, names: [] };
    out.set(r.target, m);
    const body = message.replace(/^==> [^:]*: ?/, '');
    if (kind === 'info' && /^VM not created\./.test(body)) { m.created = false; listing.delete(r.target); continue; }
    if (kind === 'output') {
      // The empty prefixed line opens the list of names; any other output line (e.g. "No snapshots...") closes it.
      if (body === '' && message.startsWith('==> ')) listing.add(r.target); else listing.delete(r.target);
      continue;
    }
    if (kind === 'detail' && listing.has(r.target) && message !== '') m.names.push(message);
  }
  return out;
}
