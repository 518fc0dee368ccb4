// Where the download cache lives: $XDG_CACHE_HOME/labgen, else ~/.cache/labgen (XDG Base Directory Specification:
// "If $XDG_CACHE_HOME is either not set or empty, a default equal to $HOME/.cache should be used"; a relative
// value is invalid and ignored).
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The cache directory for an environment. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'labgen');
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.cache', 'labgen');
}
