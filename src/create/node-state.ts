// Remembers which nodes finished provisioning, so `labgen create` on the same directory resumes instead of redoing.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function marker(dir: string, node: string): string { return join(dir, '.labgen', 'nodes', `${node}.done`); }

/** Whether a node's provisioning finished (LABGEN-DONE seen) in an earlier run. */
export function isProvisioned(dir: string, node: string): boolean { return existsSync(marker(dir, node)); }

/** Records that a node finished provisioning. */
export function markProvisioned(dir: string, node: string, at: Date): void {
  mkdirSync(join(dir, '.labgen', 'nodes'), { recursive: true });
  writeFileSync(marker(dir, node), `${at.toISOString()}\n`);
}

/** Forgets every node (after destroy). */
export function forgetNodes(dir: string): void { rmSync(join(dir, '.labgen', 'nodes'), { recursive: true, force: true }); }
