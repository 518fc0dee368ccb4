// Where a plugin's templates live: the `templates` folder beside its code, as containerlab keeps a kind's templates in its folder.
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../lab/load.js';

/**
 * The `templates` folder beside the module at `moduleUrl` (a plugin passes its own `import.meta.url`). Templates are
 * read from the source tree, which the package ships: a module compiled to `<package>/dist/<dir>/` finds them in
 * `<package>/<dir>/templates`, a module anywhere else in its own folder.
 */
export function templatesBeside(moduleUrl: string): string {
  const dir = dirname(fileURLToPath(moduleUrl));
  const root = packageRoot();
  const rel = relative(root, dir);
  const [top, ...rest] = rel.split(sep);
  const inDist = top === 'dist' && rest.length > 0 && !isAbsolute(rel);
  return join(inDist ? join(root, ...rest) : dir, 'templates');
}
