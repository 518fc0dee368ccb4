// Repository paths for tests, which run compiled from dist/test/<dir>/: resolved from the package root, never from cwd.
import { join } from 'node:path';
import { packageRoot } from '../../src/lab/load.js';

/** The package root (holds package.json, templates/, labs/, test/). */
export const ROOT = packageRoot();

/** A path under test/fixtures/. */
export function fixturePath(...parts: string[]): string { return join(ROOT, 'test', 'fixtures', ...parts); }

/** A lab fixture, e.g. labFixture('invalid-bad-ip'). */
export function labFixture(name: string): string { return fixturePath('labs', `${name}.yaml`); }

/** The stub guest commands (dnf, systemctl, kubeadm, ...) the provisioning tests put on PATH. */
export const GUEST_FAKES = join(ROOT, 'test', 'fakes', 'guest');
