// What doctor reads about this host besides running tools: platform, CPUs, memory, disk, files. Injected in tests.
import { accessSync, constants, existsSync, readFileSync, statfsSync } from 'node:fs';
import { cpus, freemem, platform } from 'node:os';
import { dirname } from 'node:path';

/** Host facts that are not the output of a command. */
export interface HostProbe {
  platform: NodeJS.Platform;
  cpus(): number;
  /** Memory available for new VMs, MiB (Linux MemAvailable). */
  availableMemoryMiB(): number;
  /** Free space on the filesystem that holds path (or its nearest existing parent), MiB. */
  freeDiskMiB(path: string): number;
  /** A file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Whether the current user may read and write a path (e.g. /dev/kvm). */
  accessible(path: string): boolean;
  exists(path: string): boolean;
}

function memAvailable(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Math.floor(Number(m[1]) / 1024);
  } catch { /* not Linux */ }
  return Math.floor(freemem() / 1048576);
}

/** The real host. */
export function realHostProbe(): HostProbe {
  return {
    platform: platform(),
    cpus: () => cpus().length,
    availableMemoryMiB: memAvailable,
    freeDiskMiB(path) {
      let p = path;
      while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
      const s = statfsSync(p);
      return Math.floor((s.bavail * s.bsize) / 1048576);
    },
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
    accessible(path) { try { accessSync(path, constants.R_OK | constants.W_OK); return true; } catch { return false; } },
    exists: (path) => existsSync(path),
  };
}
