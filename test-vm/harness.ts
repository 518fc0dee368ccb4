// The real-VM test's harness: preconditions (skip on a laptop, fail under CI=true), a machine-wide lock, the
// network namespace with libvirtd/virtlogd inside it (scripts/vm/netns.sh), every vagrant and labgen command run
// inside it, and a teardown that runs on success, failure, SIGINT and SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findTool, toolsAreMandatory } from '../test/helpers/tools.js';
import { ROOT } from '../test/helpers/paths.js';

export const SCRIPTS = join(ROOT, 'scripts', 'vm');
/** Every libvirt object the test creates has this in its name; teardown removes exactly those. */
export const MATCH = 'lgvm';
/** Box, repository and stand-ins are cached here between runs (CI runs on this machine); never required. */
export const CACHE = process.env.LABGEN_VM_CACHE ?? '/var/cache/labgen-vm';
const LOCK = '/run/lock/labgen-vm-test';

/** Everything the test needs on the host; missing: skip on a laptop, fail under CI=true. */
export function preconditions(t: TestContext): boolean {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces, libvirtd)');
  for (const tool of ['qemu-system-x86_64', 'qemu-img', 'vagrant', 'libvirtd', 'virtlogd', 'virsh', 'mmdebstrap', 'mkfs.ext4', 'ip', 'ssh', 'apt-ftparchive', 'gpg', 'dpkg-deb']) {
    if (!findTool(tool, `${process.env.PATH ?? ''}:/usr/sbin:/sbin`)) missing.push(tool);
  }
  if (missing.length === 0 && !/^vagrant-libvirt /m.test(spawnSync('vagrant', ['plugin', 'list'], { encoding: 'utf8', env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1' } }).stdout)) missing.push('the vagrant-libvirt plugin');
  if (missing.length === 0) return true;
  const what = `the real-VM test needs ${missing.join(', ')} (on Debian: apt-get install vagrant vagrant-libvirt qemu-system-x86 qemu-utils libvirt-daemon-system dnsmasq-base mmdebstrap e2fsprogs dpkg-dev; run as root)`;
  if (toolsAreMandatory()) assert.fail(`${what}; CI=true requires it`);
  t.skip(`${what}: skipped`);
  return false;
}

function pidAlive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch { return false; } }

/** One real-VM test at a time on this machine (libvirtd's PID file and socket are machine-wide). */
export async function acquireLock(log: (s: string) => void, waitMs = 30 * 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try { mkdirSync(LOCK); writeFileSync(join(LOCK, 'pid'), `${process.pid}\n`); return; } catch { /* held */ }
    const holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8').trim() || 0);
    if (!holder || !pidAlive(holder)) { rmSync(LOCK, { recursive: true, force: true }); continue; }
    if (Date.now() - t0 > waitMs) throw new Error(`another real-VM test (PID ${holder}) held ${LOCK} for ${waitMs / 60000} min`);
    if ((Date.now() - t0) % 60_000 < 5000) log(`waiting for the real-VM test of PID ${holder} to finish (${LOCK})`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

function releaseLock(): void {
  try { if (Number(readFileSync(join(LOCK, 'pid'), 'utf8').trim()) === process.pid) rmSync(LOCK, { recursive: true, force: true }); } catch { /* not ours */ }
}

/** A finished command. */
export interface Done { code: number | null; stdout: string; stderr: string; output: string; ms: number }

/** The namespace, the daemons in it and everything the test started; `down()` removes all of it. */
export class Harness {
  readonly ns = `${MATCH}-${process.pid}`;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  private children = new Set<ChildProcess>();
  private labDirs = new Set<string>();
  private downDone = false;
  private onSignal = (sig: NodeJS.Signals) => {
    this.log(`${sig}: tearing down`);
    this.downSync();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };

  constructor(readonly log: (s: string) => void) {
    this.dir = join(ROOT, 'test', '.tmp', 'vm', this.ns);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, 'bin'), { recursive: true });
    // kubectl on the host side is the test's stand-in (test-vm/host-kubectl.ts): see the README's real-VM section.
    writeFileSync(join(this.dir, 'bin', 'kubectl'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'dist', 'test-vm', 'host-kubectl.js'))} "$@"\n`, { mode: 0o755 });
    this.env = {
      PATH: `${join(this.dir, 'bin')}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: process.env.HOME ?? '/root',
      LANG: 'C.UTF-8',
      VAGRANT_HOME: join(this.dir, 'vagrant.d'),
      VAGRANT_CHECKPOINT_DISABLE: '1',
      VAGRANT_NO_COLOR: '1',
      VAGRANT_DEFAULT_PROVIDER: 'libvirt',
      LIBVIRT_DEFAULT_URI: 'qemu:///system',
      KUBECTL_STANDIN_STATE: join(this.dir, 'kubectl-standin'),
      // labgen's download cache (src/cache/) starts cold in the run's own directory and goes with it.
      XDG_CACHE_HOME: join(this.dir, 'cache'),
    };
  }

  /** Creates the namespace and starts virtlogd and libvirtd in it; from here on signals tear everything down. */
  up(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    const r = spawnSync('bash', [join(SCRIPTS, 'netns.sh'), 'up', this.ns, this.dir], { encoding: 'utf8' });
    if (r.status !== 0) { this.downSync(); assert.fail(`netns.sh up: ${r.stderr}`); }
    this.log(r.stderr.trim());
  }

  /** A lab directory whose machines teardown destroys with vagrant first. */
  track(labDir: string): void { this.labDirs.add(labDir); }

  /** Runs a command inside the namespace; output also goes to LOG (a file under the run directory). */
  run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; log?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Done> {
    const t0 = Date.now();
    const logFile = opts.log ? openSync(join(this.dir, opts.log), 'a') : undefined;
    const child = spawn('ip', ['netns', 'exec', this.ns, cmd, ...args], { cwd: opts.cwd, env: { ...this.env, ...opts.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    let stdout = ''; let stderr = ''; let output = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => { stdout += c; output += c; if (logFile !== undefined) writeFileSync(logFile, c); });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c; output += c; if (logFile !== undefined) writeFileSync(logFile, c); });
    const timer = opts.timeoutMs ? setTimeout(() => { this.log(`timeout after ${opts.timeoutMs} ms: ${cmd} ${args.join(' ')}: SIGINT`); try { process.kill(-child.pid!, 'SIGINT'); } catch { /* gone */ } }, opts.timeoutMs) : undefined;
    return new Promise((resolve) => {
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        this.children.delete(child);
        resolve({ code, stdout, stderr, output, ms: Date.now() - t0 });
      });
    });
  }

  /** A background process inside the namespace (the package server); stopped by teardown. */
  background(cmd: string, args: string[], log: string): ChildProcess {
    const fd = openSync(join(this.dir, log), 'a');
    const child = spawn('ip', ['netns', 'exec', this.ns, cmd, ...args], { env: this.env, detached: true, stdio: ['ignore', fd, fd] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Teardown, synchronous so that it also runs from a signal handler. Safe to call twice. */
  downSync(): void {
    if (this.downDone) return;
    this.downDone = true;
    for (const c of this.children) { try { process.kill(-c.pid!, 'SIGTERM'); } catch { /* gone */ } }
    for (const dir of this.labDirs) {
      if (!existsSync(join(dir, 'Vagrantfile'))) continue;
      const r = spawnSync('ip', ['netns', 'exec', this.ns, 'vagrant', 'destroy', '-f'], { cwd: dir, env: this.env, encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) this.log(`teardown: vagrant destroy -f in ${dir} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
    for (const c of this.children) { try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } }
    const r = spawnSync('bash', [join(SCRIPTS, 'netns.sh'), 'down', this.ns, MATCH, this.dir], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || r.stderr.trim()) this.log(`teardown: netns.sh down: ${r.stderr.trim()}`);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    releaseLock();
  }

  /** Whether the namespace and both daemons are gone (netns.sh gone). */
  gone(): { ok: boolean; detail: string } {
    const r = spawnSync('bash', [join(SCRIPTS, 'netns.sh'), 'gone', this.ns], { encoding: 'utf8' });
    return { ok: r.status === 0, detail: r.stderr.trim() };
  }
}
