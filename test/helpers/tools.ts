// External tools some tests need (vagrant, shellcheck, openssl, ruby): skipped with a message when missing,
// but a failure under CI=true, where the image must have them.
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';

/** The absolute path of an executable on PATH, or undefined. */
export function findTool(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try { accessSync(candidate, constants.X_OK); return candidate; } catch { /* not here */ }
  }
  return undefined;
}

/** Whether a missing tool must fail the test (CI) rather than skip it (a developer's machine). */
export function toolsAreMandatory(env: NodeJS.ProcessEnv = process.env): boolean { return env.CI === 'true'; }

/**
 * The tool's path; when missing, fails under CI=true and otherwise marks the test skipped and returns undefined
 * (the caller returns at once: `const v = requireTool(t, 'vagrant'); if (!v) return;`).
 */
export function requireTool(t: TestContext, name: string): string | undefined {
  const found = findTool(name);
  if (found) return found;
  if (toolsAreMandatory()) assert.fail(`${name} is not installed, and CI=true requires it (install it in the CI image)`);
  t.skip(`${name} is not installed; install it to run this test (it fails instead when CI=true)`);
  return undefined;
}
