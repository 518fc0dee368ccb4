// One host check's result, and how doctor prints a list of them.
import { LabgenError } from '../errors.js';

/** pass/warn/fail, or skip when the check does not apply here. A fail stops `labgen create`. */
export interface Check { name: string; status: 'pass' | 'warn' | 'fail' | 'skip'; detail: string; fix?: string }

/** Whether any check failed. */
export function failed(checks: Check[]): Check[] { return checks.filter((c) => c.status === 'fail'); }

/** Lines like `  fail  versions   <hypervisor> 7.2.0 needs Vagrant 2.4.9+` then `        fix: ...`. */
export function formatChecks(checks: Check[]): string[] {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`  ${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) for (const [i, l] of c.fix.split('\n').entries()) lines.push(`        ${i === 0 ? 'fix: ' : '     '}${l}`);
  }
  return lines;
}

/** Doctor found a host problem: exit 1, before anything is written or run. */
export class HostCheckError extends LabgenError {
  /** `listed`: the checks were already printed (doctor), so the error repeats only the hint, not each failed check. */
  constructor(readonly checks: Check[], hint: string, listed = false) {
    super(`this host is not ready for the lab: ${failed(checks).map((c) => c.name).join(', ')} failed`, 1, [...(listed ? [] : formatChecks(failed(checks))), hint].join('\n'));
  }
}
