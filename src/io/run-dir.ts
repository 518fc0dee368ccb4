// A run's own directory under the lab's captures/: created exclusively, so two runs never share (or overwrite) one.
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureDirInLab } from './safe-path.js';

/** Creates DIR/captures/<name>-<random suffix> exclusively (a clash, even within the same second, picks another
 * suffix) and returns its path; `captures` itself must be a real directory of the lab, never a symlink. */
export function createRunDir(labDir: string, name: string): string {
  ensureDirInLab(labDir, 'captures');
  for (let i = 0; ; i++) {
    const path = join(labDir, 'captures', `${name}-${randomBytes(3).toString('hex')}`);
    try { mkdirSync(path, { mode: 0o755 }); return path; } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 20) throw e;
    }
  }
}
