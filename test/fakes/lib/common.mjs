// Shared helpers of labgen's fake tools (tests and the benchmark only): state directory, lab, pid files, sleeping.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fakes' state directory (FAKE_STATE_DIR, set by the test). */
export function stateDir() {
  const d = process.env.FAKE_STATE_DIR;
  if (!d) { process.stderr.write('fake: FAKE_STATE_DIR is not set\n'); process.exit(99); }
  mkdirSync(join(d, 'machines'), { recursive: true });
  mkdirSync(join(d, 'locks'), { recursive: true });
  mkdirSync(join(d, 'pids'), { recursive: true });
  return d;
}

/** Records this process (pid file kept after exit, so tests can check nothing survives) and the call. */
export function record(tool, argv) {
  const d = stateDir();
  writeFileSync(join(d, 'pids', String(process.pid)), `${tool} ${argv.join(' ')}\n`);
  appendFileSync(join(d, 'calls.log'), `${tool} ${argv.join(' ')}\n`);
}

/** The lab a directory holds (labgen.json). */
export function readLab(dir) {
  const p = join(dir, 'labgen.json');
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')).lab;
}

/** A machine's fake state. */
export function machine(name) {
  const p = join(stateDir(), 'machines', `${name}.json`);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : { state: 'not_created', provisioned: false };
}

/** Saves a machine's fake state. */
export function saveMachine(name, m) { writeAtomic(join(stateDir(), 'machines', `${name}.json`), JSON.stringify(m)); }

/** Sleeps ms milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether a pid is alive. */
export function alive(pid) { try { process.kill(pid, 0); return true; } catch { return false; } }

/**
 * The hypervisor's side of the fake host, shared by the fake vagrant (which creates and destroys VMs) and the fake
 * VBoxManage / virsh (which list them): `$FAKE_STATE_DIR/hypervisor.json` holds
 * { vms: [{ name, uuid, provider, network, dir }], hostOnly: [{ name, ip, netmask }], networks: [{ name, cidr }] }.
 */
export function hypervisor() {
  const p = join(stateDir(), 'hypervisor.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : { vms: [], hostOnly: [], networks: [] };
}

/** Saves the fake hypervisor's state (whole, by rename: a concurrent reader never sees half of it). */
export function saveHypervisor(h) { writeAtomic(join(stateDir(), 'hypervisor.json'), JSON.stringify(h)); }

/** Writes a file by rename. */
export function writeAtomic(p, text) { const t = `${p}.${process.pid}.tmp`; writeFileSync(t, text); renameSync(t, p); }
