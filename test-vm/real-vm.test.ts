// The real-VM tests, two in one namespace. The boot test (issue 14): labgen creates, stops, starts and destroys a
// 2-node Debian lab of REAL VMs (vagrant-libvirt under QEMU emulation), all inside a network namespace with no route
// out, and a provisioning failure is injected through the lab (a bad mirror). Then issue 15's measurements reuse the
// same namespace and the download cache the boot test warmed: the same lab created again with `--snapshot`, and that
// snapshot restored. Run alone: `npm run test:vm` (as root); CI runs it after `npm test`. Assertions read the guests'
// real state through `vagrant ssh` (one call per node and phase, every command's output and exit code kept apart), not
// labgen's own words.
//
// What is real: the Vagrantfile labgen rendered, Vagrant 2.3.4 + vagrant-libvirt 0.11.2, libvirtd, QEMU, the
// guest kernel and systemd (a Debian 13 box built here with mmdebstrap), both NICs, every OS-level provisioning
// step (hosts, swap, modules, sysctls, the OS mirror, containerd from Debian's own package (forky's 2.1.9) with its real config,
// the Kubernetes repository with apt's signature checks, node-ip, the NIC check), labgen's progress parsing of
// real vagrant output and its failure reporting.
// What is a STAND-IN, because no package registry this machine reaches carries Kubernetes: kubelet, kubeadm and
// kubectl in the guests (scripts/vm/standin/: they check and write what the real ones would, run no pods and no
// control plane; the API server is openssl s_server with a certificate signed by the lab's CA) and kubectl on the
// host (test-vm/host-kubectl.ts: it answers labgen's readiness probes from the guests' real state over SSH). No
// container image is pulled: the lab's CNI (flannel) manifest is applied but nothing runs it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../test/helpers/paths.js';
import { acquireLock, CACHE, Harness, MATCH, preconditions, SCRIPTS, type Done } from './harness.js';
import type { ServerStats } from './package-server.js';
import type { CacheRunRecord as CacheRun } from '../src/cache/lab-cache.js';

const K8S_VERSION = '1.35.0';
const HOST = '10.0.0.254';
const PORT = 8080;
const MIRROR = `http://${HOST}:${PORT}`;
const NODES = [
  { name: 'master', hostname: 'master.lab.com', ip: '10.0.0.1' },
  { name: 'worker1', hostname: 'worker1.lab.com', ip: '10.0.0.2' },
];
/** What provisioning installs from the OS mirror (src/os/debian/templates/base.sh.hbs, labgen_kubernetes_apt). */
// containerd from Debian forky: trixie's 1.7.24 is below Kubernetes 1.35's floor (1.7.28+, 2.1.5+, 2.2.0+), forky's
// 2.1.9 meets it (scripts/vm/build-repo.sh pins forky below trixie, so nothing else comes from it).
const PACKAGES = ['containerd/forky', 'ca-certificates', 'curl', 'gpg', 'openssl', 'conntrack', 'socat'];
// Generous limits: on a shared 2-core machine two emulated guests took 16 min to boot and 45 min were not enough to
// provision them (the first run, 2026-12-01); on an idle machine the recipe measured about 2 min for the boot.
const MIN = 60_000;

function log(s: string): void { process.stderr.write(`[real-vm] ${s}\n`); }
const sec = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

function labYaml(name: string, box: { dir: string }, pool: string, osMirror: string, nodes: typeof NODES): string {
  return `# Written by labgen's real-VM test (test-vm/real-vm.test.ts): ordinary lab-file options only.
name: ${name}
description: labgen real-VM test, ${nodes.length} node(s), Debian 13 under QEMU emulation
os:
  family: debian
  box: local/debian13
  debian: { containerd: debian }
provider:
  name: libvirt
  libvirt:
    driver: qemu
    cpuMode: custom
    cpuModel: qemu64
    kernel: ${box.dir}/vmlinuz
    initrd: ${box.dir}/initrd.img
    cmdLine: "console=ttyS0 root=/dev/vda rw net.ifnames=0"
    storagePoolPath: ${pool}
    bootTimeout: 1800
    managementNetwork: { name: ${MATCH}-mgmt-${name}, cidr: 192.168.121.0/24 }
mirrors:
  # The OS mirror unsigned (apt [trusted=yes]; apt still checks every file against its Release): fetching a key
  # needs curl and gpg, which a minimal box gets only from this mirror. The Kubernetes repository is signed.
  os: { url: "${osMirror}", signedBy: none }
  kubernetes: { url: "${MIRROR}/kubernetes", signedBy: "${MIRROR}/repo-key.asc" }
network:
  hostOnly: { cidr: 10.0.0.0/24, hostAddress: ${HOST} }
kubernetes:
  version: "${K8S_VERSION.split('.').slice(0, 2).join('.')}"
cni:
  plugin: flannel
  interface: auto
defaults: { cpus: 2, memory: 1800 }
nodes:
${nodes.map((n, i) => `  - { name: ${n.name}, hostname: ${n.hostname}, role: ${i === 0 ? 'control-plane' : 'worker'}, ip: ${n.ip}${i === 0 ? '' : ', memory: 1024, cpus: 1'} }`).join('\n')}
`;
}

function stats(file: string): ServerStats { return JSON.parse(readFileSync(file, 'utf8')) as ServerStats; }
function bytesBy(a: ServerStats, b: ServerStats, client: string): number { return (b.clients[client]?.bytes ?? 0) - (a.clients[client]?.bytes ?? 0); }
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** What one `vagrant ssh` to a node read: each named command's output and exit code. */
type GuestState = Record<string, { out: string; rc: number }>;
const MARK = '@@labgen-real-vm-check';

/** Runs every command of CMDS on the node in one `vagrant ssh` (each guest command costs seconds under emulation, and
 * each vagrant start a few more), keeping each command's output and exit code apart. */
async function guestState(h: Harness, labDir: string, node: string, cmds: Record<string, string>): Promise<GuestState> {
  const script = Object.entries(cmds).map(([k, c]) => `echo '${MARK} ${k}'; ( ${c} ) 2>&1; echo "${MARK}-rc $?"`).join('; ');
  const r = await h.run('vagrant', ['ssh', node, '--no-tty', '-c', script], { cwd: labDir, timeoutMs: 5 * MIN });
  assert.equal(r.code, 0, `vagrant ssh ${node}: ${r.output}`);
  const state: GuestState = {};
  const re = new RegExp(`^${MARK} (\\S+)\\n([\\s\\S]*?)^${MARK}-rc (\\d+)$`, 'gm');
  // Vagrant's own lines share stdout (for the .1 master: its "static IP ending in .1" warning on every ssh).
  const out = r.stdout.split('\n').filter((l) => !l.startsWith('==> ')).join('\n');
  for (const m of out.matchAll(re)) state[m[1]!] = { out: m[2]!, rc: Number(m[3]) };
  for (const k of Object.keys(cmds)) assert.ok(state[k], `vagrant ssh ${node}: no output for ${k}:\n${r.output}`);
  return state;
}
/** The output of a command that must have succeeded. */
function ok(s: GuestState, node: string, k: string): string {
  assert.equal(s[k]!.rc, 0, `${node}: \`${k}\` exited ${s[k]!.rc}:\n${s[k]!.out}`);
  return s[k]!.out;
}
const eth01 = (ipBr: string) => ipBr.split('\n').filter((l) => /^eth[01]/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim()).join('\n');

/** What the boot test leaves for the measurements after it: the harness is shared, torn down once after both. */
interface Shared {
  h: Harness;
  labFile: string;
  statsFile: string;
  labgen: (args: string[], logName: string, timeoutMs: number) => Promise<Done>;
  coldBytes: number;
  createMs: number;
}
let shared: Shared | undefined;
let harness: Harness | undefined;
const timings: string[] = [];
const time = (what: string, ms: number) => { timings.push(`${what}: ${sec(ms)}`); log(`${what}: ${sec(ms)}`); };
let bootTestMs = 0;

after(() => {
  if (!harness) return;
  const t0 = Date.now();
  harness.downSync();
  const teardownMs = Date.now() - t0;
  time('teardown', teardownMs);
  if (bootTestMs) timings.push(`the boot test (issue 14) with the teardown: ${sec(bootTestMs + teardownMs)} (issue 14's budget: under 20 min)`);
  const gone = harness.gone();
  log(`timings:\n  ${timings.join('\n  ')}`);
  assert.ok(gone.ok, `teardown left something behind: ${gone.detail}`);
});

test('real VMs (issue 14): labgen create, stop, start and destroy a 2-node Debian lab under QEMU in a network namespace, and a bad mirror reported with node, step and log', { timeout: 120 * MIN }, async (t) => {
  if (!preconditions(t)) return;
  const tBoot = Date.now();
  execFileSync('bash', [join(SCRIPTS, 'netns.sh'), 'check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  await acquireLock(log);
  const h = new Harness(log);
  harness = h;
  // The box and the repositories are built on the host from Debian's packages (no 10.x/192.168.x traffic here).
  let t0 = Date.now();
  const boxDir = execFileSync('bash', [join(SCRIPTS, 'build-box.sh'), CACHE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 40 * MIN }).trim();
  time('box build (or cache hit)', Date.now() - t0);
  t0 = Date.now();
  const repo = execFileSync('bash', [join(SCRIPTS, 'build-repo.sh'), CACHE, boxDir, 'trixie', K8S_VERSION, ...PACKAGES], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * MIN }).trim();
  time('package repository build (or cache hit)', Date.now() - t0);

  h.up();
  const statsFile = join(h.dir, 'server-stats.json');
  h.background(process.execPath, [join(ROOT, 'dist', 'test-vm', 'package-server.js'), '--root', repo, '--host', HOST, '--port', String(PORT), '--stats', statsFile], 'package-server.log');
  for (let i = 0; i < 50 && !existsSync(statsFile); i++) await new Promise((r) => setTimeout(r, 200));
  assert.ok(existsSync(statsFile), `the package server started (${join(h.dir, 'package-server.log')})`);
  // libvirt's own timeline (domain defined, started, suspended for a snapshot, stopped), for the timings below.
  h.background('virsh', ['-c', 'qemu:///system', 'event', '--all', '--loop', '--timestamp'], 'libvirt-events.log');

  t0 = Date.now();
  const add = await h.run('vagrant', ['box', 'add', '--name', 'local/debian13', join(boxDir, 'debian13.box')], { log: 'vagrant-box-add.log', timeoutMs: 10 * MIN });
  assert.equal(add.code, 0, add.output);
  time('vagrant box add', Date.now() - t0);

  const labgen = (args: string[], logName: string, timeoutMs: number): Promise<Done> =>
    h.run(process.execPath, [join(ROOT, 'bin', 'labgen.js'), ...args], { log: logName, timeoutMs, cwd: h.dir });
  const dir = join(h.dir, 'lab');
  const labFile = join(h.dir, 'lgvm.yaml');
  writeFileSync(labFile, labYaml('lgvm', { dir: boxDir }, join(h.dir, 'pool'), `${MIRROR}/debian`, NODES));
  h.track(dir);
  const onEveryNode = (labDir: string, cmds: (n: typeof NODES[number]) => Record<string, string>) =>
    Promise.all(NODES.map(async (n) => [n, await guestState(h, labDir, n.name, cmds(n))] as const));

  // --- create ---
  const before = stats(statsFile);
  t0 = Date.now();
  const created = await labgen(['create', labFile, '--out', dir, '--timeout', '20m', '--poll-interval', '10s'], 'labgen-create.log', 90 * MIN);
  const createMs = Date.now() - t0;
  time('labgen create (2 nodes)', createMs);
  assert.equal(created.code, 0, `labgen create failed:\n${created.output.split('\n').slice(-60).join('\n')}`);
  const afterCreate = stats(statsFile);
  timings.push(`bytes the package server sent during create: ${mib(afterCreate.totalBytes - before.totalBytes)} in ${afterCreate.totalRequests - before.totalRequests} requests (per client: ${Object.keys(afterCreate.clients).map((c) => `${c} ${mib(bytesBy(before, afterCreate, c))}`).join(', ')})`);
  const cacheRun = cacheFigures(h, 'create');
  // Within one create the nodes together fetch each package once: the mirror sent no pool file twice.
  for (const [f, v] of Object.entries(afterCreate.files)) {
    if (!f.includes('/pool/')) continue;
    const was = before.files[f]?.requests ?? 0;
    assert.ok(v.requests - was <= 1, `${f} was fetched from the mirror ${v.requests - was} times in one create (the cache should fetch it once)`);
  }
  // labgen's own record of real vagrant output: every node's log has its steps and the done line.
  for (const n of NODES) {
    const text = readFileSync(join(dir, 'logs', `${n.name}.log`), 'utf8');
    assert.match(text, new RegExp(`LABGEN-STEP node=${n.name} n=1 `), `${n.name}'s log holds its first step`);
    assert.match(text, new RegExp(`LABGEN-DONE node=${n.name}`), `${n.name}'s log holds LABGEN-DONE`);
    assert.ok((cacheRun.clients[n.ip]?.served ?? 0) > 1_000_000, `${n.name} fetched its packages through labgen's download cache`);
  }

  // --- the guests' real state, read on both nodes at once ---
  t0 = Date.now();
  const addrs = new Map<string, string>();
  const bootIds = new Map<string, string>();
  for (const [n, s] of await onEveryNode(dir, (n) => ({
    ip: 'ip -br -4 addr',
    hosts: 'cat /etc/hosts',
    swap: 'sudo swapon --show --noheadings',
    lsmod: 'sudo lsmod',
    sysctl: 'sudo sysctl -n net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward',
    cgroup: 'sudo grep -E "^[[:space:]]*SystemdCgroup" /etc/containerd/config.toml',
    active: 'systemctl is-active containerd kubelet',
    nodeIp: 'cat /etc/default/kubelet',
    hold: 'apt-mark showhold',
    sources: 'cat /etc/apt/sources.list.d/*.list',
    kubeadm: `sudo test -f /etc/kubernetes/${n.name === 'master' ? 'admin.conf' : 'kubelet.conf'} && echo done`,
    bootId: 'cat /proc/sys/kernel/random/boot_id',
    // For the timings: what this boot cost the guest (systemd's own figures), and its slowest units.
    boot: 'systemd-analyze time; systemd-analyze blame --no-pager | head -n 8',
  }))) {
    const ipBr = ok(s, n.name, 'ip');
    assert.match(ipBr, /^eth0\s+UP\s+192\.168\.121\.\d+\/24/m, `${n.name}: eth0 on the management network:\n${ipBr}`);
    assert.match(ipBr, new RegExp(`^eth1\\s+UP\\s+${n.ip.replace(/\./g, '\\.')}/24`, 'm'), `${n.name}: eth1 carries ${n.ip}/24:\n${ipBr}`);
    addrs.set(n.name, eth01(ipBr));
    const hosts = ok(s, n.name, 'hosts');
    for (const m of NODES) assert.match(hosts, new RegExp(`^${m.ip.replace(/\./g, '\\.')}\\s+${m.hostname.replace(/\./g, '\\.')}\\b`, 'm'), `${n.name}: /etc/hosts lists ${m.hostname}:\n${hosts}`);
    assert.doesNotMatch(hosts, new RegExp(`^127\\.\\S+\\s+${n.hostname.replace(/\./g, '\\.')}`, 'm'), `${n.name}: no loopback line for its hostname`);
    assert.equal(ok(s, n.name, 'swap').trim(), '', `${n.name}: swap is off`);
    const mods = ok(s, n.name, 'lsmod');
    assert.match(mods, /^overlay\s/m, `${n.name}: overlay loaded`);
    assert.match(mods, /^br_netfilter\s/m, `${n.name}: br_netfilter loaded`);
    assert.deepEqual(ok(s, n.name, 'sysctl').trim().split(/\s+/), ['1', '1', '1'], `${n.name}: sysctls`);
    assert.match(ok(s, n.name, 'cgroup'), /SystemdCgroup = true/, `${n.name}: containerd uses the systemd cgroup driver`);
    assert.equal(ok(s, n.name, 'active').trim().split(/\s+/).join(' '), 'active active', `${n.name}: containerd and kubelet run`);
    assert.match(ok(s, n.name, 'nodeIp'), new RegExp(`--node-ip=${n.ip.replace(/\./g, '\\.')}\\b`), `${n.name}: kubelet node-ip`);
    assert.match(ok(s, n.name, 'hold'), /kubeadm\s+kubectl\s+kubelet/, `${n.name}: packages held`);
    assert.match(ok(s, n.name, 'sources'), new RegExp(`${MIRROR}/debian`), `${n.name}: apt uses the OS mirror`);
    assert.match(ok(s, n.name, 'kubeadm'), /done/, n.name === 'master' ? 'kubeadm init wrote admin.conf' : 'kubeadm join wrote kubelet.conf (CA pinned)');
    bootIds.set(n.name, ok(s, n.name, 'bootId').trim());
    timings.push(`  ${n.name}'s boot, by systemd-analyze: ${s.boot!.out.trim().split('\n').map((l) => l.trim()).join(' | ')}`);
  }
  time('the guests\' state, both nodes (one vagrant ssh each, at once)', Date.now() - t0);
  const kubeconfig = readFileSync(join(dir, 'kubeconfig'), 'utf8');
  assert.match(kubeconfig, /server: https:\/\/10\.0\.0\.1:6443/, 'labgen pointed the kubeconfig at the host-only address');

  // --- stop / start: a real reboot, both NICs keep their names and addresses ---
  t0 = Date.now();
  const stopped = await labgen(['stop', dir], 'labgen-stop.log', 20 * MIN);
  time('labgen stop', Date.now() - t0);
  assert.equal(stopped.code, 0, stopped.output);
  const st = await h.run('virsh', ['list', '--all'], {});
  for (const n of NODES) assert.match(st.stdout, new RegExp(`lgvm-${n.name}\\s+shut off`), `${n.name} is shut off:\n${st.stdout}`);
  t0 = Date.now();
  const started = await labgen(['start', dir], 'labgen-start.log', 60 * MIN);
  time('labgen start', Date.now() - t0);
  assert.equal(started.code, 0, started.output);
  t0 = Date.now();
  for (const [n, s] of await onEveryNode(dir, () => ({ bootId: 'cat /proc/sys/kernel/random/boot_id', ip: 'ip -br -4 addr', kubelet: 'systemctl is-active kubelet' }))) {
    assert.notEqual(ok(s, n.name, 'bootId').trim(), bootIds.get(n.name), `${n.name} really rebooted`);
    assert.equal(eth01(ok(s, n.name, 'ip')), addrs.get(n.name), `${n.name}: both NICs keep their names and addresses across the reboot`);
    assert.equal(ok(s, n.name, 'kubelet').trim(), 'active', `${n.name}: kubelet back after the reboot`);
  }
  time('the guests\' state after the reboot', Date.now() - t0);

  // --- destroy ---
  t0 = Date.now();
  const destroyed = await labgen(['destroy', dir], 'labgen-destroy.log', 10 * MIN);
  time('labgen destroy', Date.now() - t0);
  assert.equal(destroyed.code, 0, destroyed.output);
  const left = await h.run('virsh', ['list', '--all', '--name'], {});
  assert.equal(left.stdout.split('\n').filter((l) => l.startsWith('lgvm-')).length, 0, `no domain left: ${left.stdout}`);

  // --- a provisioning failure injected through the lab: an OS mirror that serves nothing ---
  const badDir = join(h.dir, 'bad');
  const badFile = join(h.dir, 'lgvm-bad.yaml');
  writeFileSync(badFile, labYaml('lgvmbad', { dir: boxDir }, join(h.dir, 'pool'), `${MIRROR}/no-such-mirror`, NODES.slice(0, 1)));
  h.track(badDir);
  t0 = Date.now();
  const bad = await labgen(['create', badFile, '--out', badDir, '--timeout', '5m'], 'labgen-create-bad.log', 60 * MIN);
  time('labgen create with a bad mirror (1 node)', Date.now() - t0);
  assert.equal(bad.code, 1, `a bad mirror is a runtime failure (exit 1):\n${bad.output}`);
  assert.match(bad.output, /master/, 'the failure names the node');
  assert.match(bad.output, /os-mirror/, 'the failure names the step');
  assert.ok(bad.output.includes(join(badDir, 'logs', 'master.log')), `the failure names the log path:\n${bad.output}`);
  assert.match(readFileSync(join(badDir, 'logs', 'master.log'), 'utf8'), /no-such-mirror/, 'the log holds apt\'s error about the mirror');
  t0 = Date.now();
  const badDestroy = await labgen(['destroy', badDir], 'labgen-destroy-bad.log', 10 * MIN);
  time('labgen destroy (the bad-mirror lab)', Date.now() - t0);
  assert.equal(badDestroy.code, 0, badDestroy.output);
  bootTestMs = Date.now() - tBoot;
  time('the boot test (issue 14) without the teardown', bootTestMs);
  shared = { h, labFile, statsFile, labgen, coldBytes: afterCreate.totalBytes - before.totalBytes, createMs };
});

test('real VMs (issue 15): the same lab again with the download cache the boot test warmed and --snapshot, then its snapshot restored', { timeout: 90 * MIN }, async (t) => {
  if (!shared) {
    // Nothing to measure without the boot test's harness and warm cache: on a laptop it skipped (and said why);
    // under CI=true it failed, and that failure is the one to read.
    if (!preconditions(t)) return;
    assert.fail('the measurements need the boot test before them (its namespace, package server and warm download cache), and it did not pass');
  }
  const { h, labFile, statsFile, labgen, coldBytes } = shared;
  const tMeasure = Date.now();
  const dir2 = join(h.dir, 'lab2');
  h.track(dir2);
  const beforeWarm = stats(statsFile);
  let t0 = Date.now();
  const warm = await labgen(['create', labFile, '--out', dir2, '--timeout', '20m', '--poll-interval', '10s', '--snapshot', '--json'], 'labgen-create-warm.log', 90 * MIN);
  time('labgen create --snapshot, warm cache (2 nodes)', Date.now() - t0);
  assert.equal(warm.code, 0, `the second create failed:\n${warm.stderr.split('\n').slice(-40).join('\n')}`);
  const warmReport = JSON.parse(warm.stdout) as { times: Record<string, number>; snapshot?: { name: string; action: string } };
  assert.deepEqual(warmReport.snapshot, { name: 'labgen-fresh', action: 'saved' }, 'create --snapshot reports the snapshot it saved');
  const warmCreateMs = (warmReport.times.total ?? 0) - (warmReport.times.snapshot ?? 0);
  time('  of it: the create itself (total less the snapshot step)', warmCreateMs);
  time('  of it: snapshot save (every node)', warmReport.times.snapshot ?? 0);
  timings.push(`  the cold create took ${sec(shared.createMs)}: downloads are not where an emulated guest's time goes`);
  const afterWarm = stats(statsFile);
  const warmBytes = afterWarm.totalBytes - beforeWarm.totalBytes;
  timings.push(`bytes the package server sent: first create ${mib(coldBytes)}, the same create with a warm cache ${mib(warmBytes)} (${((100 * warmBytes) / coldBytes).toFixed(1)} %; target at most 5 %)`);
  cacheFigures(h, 'warm create');
  // Issue 15's target, counted by the test's own package server (bytes, not time): the second create fetches at
  // most 5 % of what the first fetched.
  assert.ok(warmBytes <= 0.05 * coldBytes, `the warm create fetched ${mib(warmBytes)} from the mirror, more than 5 % of the first create's ${mib(coldBytes)}`);

  // --- snapshot restore: back to the fresh cluster, then the same Ready wait ---
  // A file written after the snapshot must be gone after the restore: the guests' disks really went back.
  const bootBefore = new Map<string, string>();
  for (const n of NODES) {
    const s = await guestState(h, dir2, n.name, { touch: 'sudo touch /var/tmp/labgen-after-snapshot', bootId: 'cat /proc/sys/kernel/random/boot_id' });
    ok(s, n.name, 'touch');
    bootBefore.set(n.name, ok(s, n.name, 'bootId').trim());
  }
  t0 = Date.now();
  const restored = await labgen(['snapshot', 'restore', 'labgen-fresh', dir2, '--timeout', '20m', '--poll-interval', '10s', '--json'], 'labgen-snapshot-restore.log', 60 * MIN);
  const restoreMs = Date.now() - t0;
  time('labgen snapshot restore + Ready wait', restoreMs);
  assert.equal(restored.code, 0, `snapshot restore failed:\n${restored.stderr.split('\n').slice(-40).join('\n')}`);
  const restoreReport = JSON.parse(restored.stdout) as { ready: boolean; snapshot?: { name: string; action: string } };
  assert.equal(restoreReport.ready, true, 'restore ends with the cluster Ready');
  assert.deepEqual(restoreReport.snapshot, { name: 'labgen-fresh', action: 'restored' });
  for (const n of NODES) {
    const s = await guestState(h, dir2, n.name, { gone: 'test -e /var/tmp/labgen-after-snapshot && echo still || echo gone', bootId: 'cat /proc/sys/kernel/random/boot_id', kubelet: 'systemctl is-active kubelet' });
    assert.equal(ok(s, n.name, 'gone').trim(), 'gone', `${n.name}: the file written after the snapshot is gone`);
    const boot = ok(s, n.name, 'bootId').trim();
    timings.push(`  ${n.name} after restore: ${boot === bootBefore.get(n.name) ? 'the same boot id (the snapshot was taken in this boot): memory restored, no boot' : 'a new boot id: the guest booted from the restored disk'}`);
    assert.equal(ok(s, n.name, 'kubelet').trim(), 'active', `${n.name}: kubelet runs after the restore`);
  }
  timings.push(`snapshot restore + Ready wait / the create it restores: ${(restoreMs / warmCreateMs).toFixed(3)} (target at most 0.2; measured, not asserted)`);
  const destroyed2 = await labgen(['destroy', dir2], 'labgen-destroy-2.log', 10 * MIN);
  assert.equal(destroyed2.code, 0, destroyed2.output);
  const final = stats(statsFile);
  timings.push(`package server total: ${mib(final.totalBytes)} in ${final.totalRequests} requests; per client: ${Object.entries(final.clients).map(([c, v]) => `${c} ${mib(v.bytes)} (${v.requests} req, ${v.notFound} not found)`).join(', ')}`);
  time('the measurements (issue 15)', Date.now() - tMeasure);
});

// labgen's download cache (src/cache/) sits between the nodes and the mirror (the package server sees only the
// cache's address): what the last create fetched once and served to each node, from the cache's own record.
function cacheFigures(h: Harness, what: string): CacheRun {
  const run = JSON.parse(readFileSync(join(h.dir, 'cache', 'labgen', 'v1', 'stats', 'last-run.json'), 'utf8')) as CacheRun;
  for (const n of NODES) timings.push(`download cache, ${what}, ${n.name} (${n.ip}): ${mib(run.clients[n.ip]?.served ?? 0)} served, ${mib(run.clients[n.ip]?.servedFromCache ?? 0)} of it from the cache`);
  timings.push(`download cache, ${what}: ${mib(run.fetchedUpstream)} fetched from the mirror, ${mib(run.servedFromCache)} served from the cache`);
  return run;
}
