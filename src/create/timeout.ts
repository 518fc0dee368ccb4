// Parses --timeout values: `900`, `90s`, `15m`, `1h`.
import { UsageError } from '../errors.js';

/** Milliseconds of a duration flag; UsageError (exit 2) when it is not one. */
export function parseDuration(flag: string, value: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value).trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--${flag} ${String(value)} is not a duration`, `write seconds or a unit: --${flag} 900, --${flag} 90s, --${flag} 15m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
