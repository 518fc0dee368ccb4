// Runs rendered provisioning scripts against a scratch node root with stub guest commands on PATH. PATH holds only the
// stubs (test/fakes/guest) and a directory of symlinks to harmless real tools: no real curl, ip, systemctl, dnf...
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GUEST_FAKES } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';
import { findTool } from '../helpers/tools.js';
import type { ResolvedNode } from '../../src/lab/types.js';

/** Real tools the scripts may use: text processing and files only. openssl is real: it makes the CA locally. */
export const REAL_TOOLS = ['bash', 'sed', 'awk', 'grep', 'cat', 'mktemp', 'install', 'cmp', 'tail', 'head', 'mkdir', 'rm', 'dirname', 'basename', 'tr', 'cut', 'seq', 'sleep', 'mv', 'cp', 'chmod', 'ls', 'env', 'cksum', 'sort', 'wc', 'touch', 'openssl', 'timeout'];
/** The stub guest commands; each must win over any real one. */
export const STUBS = readdirSync(GUEST_FAKES).filter((f) => !f.startsWith('_'));

let toolsDir: string | undefined;
/** A directory of symlinks to the real tools in REAL_TOOLS (created once per process). */
export function realToolsDir(): string {
  if (toolsDir) return toolsDir;
  const dir = join(tempDir('labgen-tools-'), 'bin');
  mkdirSync(dir);
  for (const t of REAL_TOOLS) {
    const p = findTool(t);
    if (!p) throw new Error(`${t} is needed by the provisioning tests and is not installed`);
    symlinkSync(p, join(dir, t));
  }
  toolsDir = dir;
  return dir;
}

/** One script run. */
export interface ScriptRun { code: number | null; stdout: string; stderr: string; steps: string[]; calls: string[] }

/** A scratch node: root file system, uploaded lab dir, stub state. */
export class FakeNode {
  readonly work = tempDir('labgen-node-');
  readonly root = join(this.work, 'root');
  readonly labDir = join(this.work, 'tmp-labgen');
  readonly state = join(this.work, 'state');
  constructor(readonly renderedDir: string, readonly node: ResolvedNode, opts: { nicAddress?: string; nic1Name?: string; nic2Name?: string; etc?: Record<string, string> } = {}) {
    mkdirSync(this.state, { recursive: true });
    mkdirSync(join(this.work, 'tmp'));
    const files: Record<string, string> = {
      'etc/hosts': `127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n127.0.1.1 ${node.hostname} ${node.name}\n`,
      'etc/fstab': 'UUID=0a1b2c3d / xfs defaults 0 0\n/dev/mapper/rl-swap none swap defaults 0 0\n',
      'etc/selinux/config': 'SELINUX=enforcing\nSELINUXTYPE=targeted\n',
      'etc/os-release': 'NAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nUBUNTU_CODENAME=noble\n',
      ...opts.etc,
    };
    for (const [p, content] of Object.entries(files)) { mkdirSync(dirname(join(this.root, p)), { recursive: true }); writeFileSync(join(this.root, p), content); }
    const [nic1, nic2] = node.nics;
    // By default the node's NICs already have the lab's names (a box with those names, or after labgen's renames
    // and a reboot); nic1Name/nic2Name give the box's own names before labgen's nic-name step.
    const nic1Name = opts.nic1Name ?? nic1.name;
    const nic2Name = opts.nic2Name ?? nic2.name;
    writeFileSync(join(this.state, 'ip-addrs'), `1 lo 127.0.0.1/8\n2 ${nic1Name} 10.0.2.15/24\n3 ${nic2Name} ${opts.nicAddress ?? `${node.ip}/${nic2.prefixLength}`}\n`);
    // What the kernel shows under /sys and NetworkManager's profiles, one per NIC ("System <nic>").
    for (const [i, name] of [nic1Name, nic2Name].entries()) {
      mkdirSync(join(this.root, 'sys/class/net', name), { recursive: true });
      writeFileSync(join(this.root, 'sys/class/net', name, 'address'), `08:00:27:00:00:0${i + 3}\n`);
      mkdirSync(join(this.state, 'nm'), { recursive: true });
      writeFileSync(join(this.state, 'nm', `System ${name}`), `${name}\n`);
    }
    this.upload();
  }

  /** What Vagrant's provisioners do before each run: a fresh /tmp/labgen with provision/, kubeadm/, cni/ and the node's secrets. */
  upload(): void {
    rmSync(this.labDir, { recursive: true, force: true });
    mkdirSync(this.labDir, { mode: 0o700 });
    for (const d of ['provision', 'kubeadm', 'cni']) cpSync(join(this.renderedDir, d), join(this.labDir, d), { recursive: true });
    const secrets = this.node.role === 'control-plane' ? ['bootstrap-token', 'ca-cert-hash', 'ca.key'] : ['bootstrap-token', 'ca-cert-hash'];
    mkdirSync(join(this.labDir, 'secrets'), { mode: 0o700 });
    for (const s of secrets) { cpSync(join(this.renderedDir, 'secrets', s), join(this.labDir, 'secrets', s)); chmodSync(join(this.labDir, 'secrets', s), 0o600); }
  }

  env(): NodeJS.ProcessEnv {
    return {
      PATH: `${GUEST_FAKES}:${realToolsDir()}`,
      LABGEN_ROOT: this.root,
      LABGEN_DIR: this.labDir,
      LABGEN_FAKE_STATE: this.state,
      LABGEN_FAKE_PROC: join(this.root, 'proc'),
      TMPDIR: join(this.work, 'tmp'),
      HOME: join(this.work, 'tmp'),
      LANG: 'C',
    };
  }

  /** Runs provision/<script> <node> as Vagrant's shell provisioner would (bash script "$1"). */
  run(script: string, args: string[] = []): ScriptRun {
    const log = join(this.state, 'calls.log');
    rmSync(log, { force: true });
    const r = spawnSync(join(realToolsDir(), 'bash'), [join(this.labDir, 'provision', script), this.node.name, ...args], { env: this.env(), encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    const steps = [...r.stdout.matchAll(/^LABGEN-STEP node=(\S+) n=(\d+) total=(\d+) name=(\S+)$/gm)].map((m) => `${m[2]}/${m[3]} ${m[4]}`);
    const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, steps, calls };
  }

  /** Runs a script and fails the test with its output unless it exits 0. */
  ok(script: string, args: string[] = []): ScriptRun {
    const r = this.run(script, args);
    assert.equal(r.code, 0, `${script} ${this.node.name} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  file(path: string): string { return readFileSync(join(this.root, path), 'utf8'); }
  exists(path: string): boolean { return existsSync(join(this.root, path)); }

  /** Every file under the node root: relative path -> mode and content, to compare runs byte for byte. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d).sort()) {
        const p = join(d, e);
        const st = statSync(p);
        if (st.isDirectory()) { out.set(`${relative(this.root, p)}/`, (st.mode & 0o7777).toString(8)); walk(p); } else out.set(relative(this.root, p), `${(st.mode & 0o7777).toString(8)} ${readFileSync(p).toString('base64')}`);
      }
    };
    walk(this.root);
    return out;
  }
}

/** Stub calls that change a node (install, open a port, load a module, restart, init...): none may happen on a re-run. */
export const MUTATING: RegExp[] = [
  /^dnf .*\binstall\b/, /^dnf config-manager/, /^apt-get (install|update)\b/, /^apt-get .*\binstall\b/, /^apt-mark hold/, /^modprobe /,
  /^systemctl (enable|disable|mask|start|stop|restart|reload)\b/, /^setenforce/, /^swapoff/, /^firewall-cmd .*--(add-|remove-|reload)/,
  /^ip link set/, /^nmcli connection (modify|up)/, /^sysctl --system/, /^kubeadm (init|join)\b/, /^gpg /, /^curl .*Release\.key/, /^chown /, /^kubectl (create|delete|replace)\b/,
];
