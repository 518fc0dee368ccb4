// Remembers which nodes finished provisioning, so `labgen create` on the same directory resumes instead of redoing.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commitUpdate } from '../io/journal.js';
import { checkInLab } from '../io/safe-path.js';

function marker(dir: string, node: string): string { return join(dir, '.labgen', 'nodes', `${node}.done`); }

/** Whether a node's provisioning finished (LABGEN-DONE seen) in an earlier run. */
export function isProvisioned(dir: string, node: string): boolean { return existsSync(marker(dir, node)); }

/** Records that a node finished provisioning. */
export function markProvisioned(dir: string, node: string, at: Date): void {
  commitUpdate(dir, { write: [{ path: `.labgen/nodes/${node}.done`, content: `${at.toISOString()}\n`, mode: 0o644 }], remove: [] });
}

/** Forgets every node (after destroy). */
export function forgetNodes(dir: string): void {
  // .labgen and .labgen/nodes must be real directories: a planted `.labgen -> /elsewhere` must not lose /elsewhere/nodes.
  if (checkInLab(dir, '.labgen/nodes', 'dir')) rmSync(join(dir, '.labgen', 'nodes'), { recursive: true, force: true });
}
