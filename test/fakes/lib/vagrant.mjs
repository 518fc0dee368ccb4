// A fake `vagrant` for labgen's tests and benchmark. It reads the lab from labgen.json in the working directory and
// behaves like vagrant with the VirtualBox or libvirt provider: per-machine locks, a box import and host-only network
// that only one process may create at a time, `status --machine-readable`, `up`, `up --parallel`, `ssh -c`,
// `destroy -f`, `--version`, `plugin list`. It prints what vagrant prints, and runs the lab's provisioning steps
// (names read from provision/*.sh) printing the LABGEN-STEP lines, without running them.
// Told by env vars (set by tests only): FAKE_STATE_DIR (state), FAKE_VAGRANT_FAIL=node:step (step or import/boot),
// FAKE_VAGRANT_HANG=node:step, FAKE_VAGRANT_HOLD=node:step (waits before the step until the file
// $FAKE_STATE_DIR/release-<node>-<step> exists; `:status` holds `vagrant status`, `:status` in FAKE_VAGRANT_FAIL fails it), FAKE_VAGRANT_MS={"default":{"import":..,"clone":..,"boot":..,"step":..},"<node>":{...}},
// FAKE_VAGRANT_VERSION, FAKE_VAGRANT_PLUGINS, FAKE_API_WAIT_MS, FAKE_VAGRANT_BOXES; VAGRANT_DEFAULT_PROVIDER as vagrant
// reads it (the provider of a machine `up` creates without --provider). Also `halt` (FAKE_VAGRANT_FAIL=node:halt),
// `destroy` (FAKE_VAGRANT_FAIL=node:destroy-parallel fails that machine in a parallel destroy of several),
// `up --no-provision`, `box list`, and `ssh -c` of labgen logs' guest script, which runs in bash against the stub
// guest commands in test/fakes/logs-guest with a scratch root per node ($FAKE_STATE_DIR/guest/<node>). And `snapshot
// save|restore|list|delete` as Vagrant 2.3.4 with VirtualBox or vagrant-libvirt 0.11.2 does them (see snapshot());
// FAKE_VAGRANT_FAIL / FAKE_VAGRANT_HANG take node:snapshot-save, node:snapshot-restore, node:snapshot-delete.
// Creating a machine registers it as Vagrant and the provider do: the VM (named as labgen's Vagrantfile names it) and
// its host-only network in the fake hypervisor (common.mjs), `.vagrant/machines/<node>/<provider>/id`, and an entry of
// Vagrant's machine index ($VAGRANT_HOME/data/machine-index/index); `destroy` removes them again.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { alive, hypervisor, machine, readLab, record, saveHypervisor, saveMachine, sleep, stateDir, writeAtomic } from './common.mjs';

const argv = process.argv.slice(2);
const cwd = process.env.VAGRANT_CWD ?? process.cwd();
const held = new Set();
const out = (s) => process.stdout.write(`${s}\n`);
const err = (s) => process.stderr.write(`${s}\n`);

function release() {
  for (const p of held) { try { unlinkSync(p); } catch { /* gone */ } }
  held.clear();
}
process.on('SIGINT', () => {
  out('==> vagrant: Received interrupt. Waiting for cleanup before exiting...');
  release();
  process.exit(1);
});
process.on('SIGTERM', () => { release(); process.exit(143); });

function costs(node) {
  let all = {};
  try { all = JSON.parse(process.env.FAKE_VAGRANT_MS ?? '{}'); } catch { /* none */ }
  return { import: 30, clone: 10, boot: 20, step: 2, snapshot: 5, restore: 5, ...(all.default ?? {}), ...(all[node] ?? {}) };
}

function matches(envVar, node, step) {
  const v = process.env[envVar];
  return v !== undefined && v.split(',').some((x) => x === `${node}:${step}`);
}

function steps(file) {
  const p = join(cwd, 'provision', file);
  if (!existsSync(p)) return [];
  return [...readFileSync(p, 'utf8').matchAll(/^labgen_step (\S+)/gm)].map((m) => m[1]);
}

function lock(name) {
  const p = join(stateDir(), 'locks', `${name}.lock`);
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(p, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      held.add(p);
      return true;
    } catch {
      // The holder may remove it between our open and this read (then try the open again), or not have written its
      // PID yet (an empty file is held, not stale): only a dead holder's lock is taken over.
      let text;
      try { text = readFileSync(p, 'utf8'); } catch { continue; }
      const pid = Number(text || 0);
      if (!pid || alive(pid)) return false;
      rmSync(p, { force: true });
    }
  }
  return false;
}

function unlock(name) {
  const p = join(stateDir(), 'locks', `${name}.lock`);
  if (held.has(p)) { rmSync(p, { force: true }); held.delete(p); }
}

class Failed extends Error {}

const IP = (s) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const sameNet = (a, b, mask) => (IP(a) & IP(mask)) >>> 0 === (IP(b) & IP(mask)) >>> 0;

function indexFile() {
  const home = process.env.VAGRANT_HOME ?? join(process.env.HOME ?? '/nonexistent', '.vagrant.d');
  return join(home, 'data', 'machine-index', 'index');
}
function readIndex() { const f = indexFile(); return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : { version: 1, machines: {} }; }
function writeIndex(ix) { mkdirSync(dirname(indexFile()), { recursive: true }); writeAtomic(indexFile(), JSON.stringify(ix)); }

/** Runs fn holding the lock of the fake hypervisor and machine index (vagrant processes run at once, as VBoxManage's do). */
async function withHostLock(fn) {
  while (!lock('host-state')) await sleep(5);
  try { return fn(); } finally { unlock('host-state'); }
}

/** The VM name the lab's Vagrantfile sets: VirtualBox vb.name "LAB-node", vagrant-libvirt default_prefix "LAB-" + node. */
const vmName = (lab, node) => `${lab.name}-${node}`;

/** Creates the VM as the provider would, or fails as Vagrant does when its name is taken (VMNameExists / DomainNameExists). */
function registerVm(lab, node, provider) {
  const hv = hypervisor();
  const name = vmName(lab, node.name);
  if (hv.vms.some((v) => v.name === name && v.provider === provider)) {
    if (provider === 'libvirt') err(`Name \`${name}\` of domain about to create is already taken. Please try to run\n\`vagrant up\` command again.`);
    else err(`The name of your virtual machine couldn't be set because VirtualBox\nis reporting another VM with that name already exists. Most of the\ntime, this is because of an error with VirtualBox not cleaning up\nproperly. To fix this, verify that no VMs with that name do exist\n(by opening the VirtualBox GUI). If they don't, then look at the\nfolder in the error message from VirtualBox below and remove it\nif there isn't any information you need in there.\n\nVirtualBox error:\n\nVBoxManage: error: Could not rename the directory '${name}'`);
    throw new Failed('name');
  }
  const h = lab.network.hostOnly;
  let network;
  if (provider === 'libvirt') {
    network = `labgen-${lab.name}`;
    if (!hv.networks.some((n) => n.name === network)) hv.networks.push({ name: network, cidr: `${h.network}/${h.prefixLength}` });
  } else {
    // Vagrant's hostonly_find_matching_network: an interface on the same network is reused, else a new vboxnetN.
    let ifc = hv.hostOnly.find((i) => sameNet(i.ip, h.hostAddress, i.netmask));
    if (!ifc) { ifc = { name: `vboxnet${hv.hostOnly.length}`, ip: h.hostAddress, netmask: h.netmask }; hv.hostOnly.push(ifc); }
    network = ifc.name;
  }
  const uuid = randomUUID();
  hv.vms.push({ name, uuid, provider, network, dir: cwd });
  saveHypervisor(hv);
  const data = join(cwd, '.vagrant', 'machines', node.name, provider);
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'id'), uuid);
  const ix = readIndex();
  ix.machines[randomUUID().replace(/-/g, '')] = { local_data_path: join(cwd, '.vagrant'), name: node.name, provider, state: 'running', vagrantfile_name: null, vagrantfile_path: cwd, updated_at: null, extra_data: { box: { name: lab.os.box, provider, version: '0' } } };
  writeIndex(ix);
}

/** Removes what registerVm created. */
function unregisterVm(lab, node, provider) {
  const data = join(cwd, '.vagrant', 'machines', node.name, provider);
  const id = existsSync(join(data, 'id')) ? readFileSync(join(data, 'id'), 'utf8').trim() : '';
  const hv = hypervisor();
  hv.vms = hv.vms.filter((v) => v.uuid !== id);
  saveHypervisor(hv);
  rmSync(join(data, 'id'), { force: true });
  const ix = readIndex();
  for (const [k, e] of Object.entries(ix.machines)) if (e.vagrantfile_path === cwd && e.name === node.name) delete ix.machines[k];
  writeIndex(ix);
}

async function maybe(node, step) {
  if (matches('FAKE_VAGRANT_HANG', node, step)) { for (;;) await sleep(1000); }
  if (matches('FAKE_VAGRANT_HOLD', node, step)) { while (!existsSync(join(stateDir(), `release-${node}-${step}`))) await sleep(5); }
}

async function importBox(lab, name, c) {
  const d = stateDir();
  const ready = join(d, 'shared.ready');
  if (lab.provider.name === 'libvirt') {
    // Real vagrant-libvirt uploads the box into the pool once, redrawing its progress in place with \r and ESC[K
    // (even with --no-color), and the next message follows the last redraw without a newline.
    if (!existsSync(ready)) {
      writeFileSync(ready, 'ok');
      out(`==> ${name}: Uploading base box image as volume into Libvirt storage...`);
      process.stdout.write('\u001b[KProgress: 0%\r\u001b[KProgress: 100%\r\u001b[K');
    }
    out(`==> ${name}: Creating image (snapshot of base box volume).`);
    await sleep(c.clone);
    return;
  }
  if (!existsSync(ready)) {
    // Like VirtualBox: the box's master VM and the host-only interface are created once; a second process
    // doing the same at the same time fails.
    if (!lock('shared-import')) {
      err(`There was an error while executing \`VBoxManage\`, a CLI used by Vagrant`);
      err('for controlling VirtualBox. The command and stderr is shown below.');
      err(`Command: ["import", "${lab.os.box}"]`);
      err(`Stderr: VBoxManage: error: Machine settings file '${lab.os.box}_base' already exists (another import is running)`);
      throw new Failed('import');
    }
    out(`==> ${name}: Importing base box '${lab.os.box}'...`);
    await maybe(name, 'import');
    if (matches('FAKE_VAGRANT_FAIL', name, 'import')) { err('VBoxManage: error: Appliance import failed'); throw new Failed('import'); }
    await sleep(c.import);
    out(`==> ${name}: Creating hostonly network ${lab.network.hostOnly.hostAddress}...`);
    writeFileSync(ready, 'ok');
    unlock('shared-import');
  }
  out(`==> ${name}: Cloning VM...`);
  await sleep(c.clone);
}

/** The provider `up` uses: --provider, else (for a machine it creates) VAGRANT_DEFAULT_PROVIDER, else the lab's. */
function chosenProvider(lab, flags) {
  const f = flags.find((a) => a.startsWith('--provider='));
  return f ? f.slice('--provider='.length) : process.env.VAGRANT_DEFAULT_PROVIDER ?? lab.provider.name;
}

function guestRoot(name) { return join(stateDir(), 'guest', name); }

async function up(lab, node, provision, provider = lab.provider.name, noProvision = false) {
  const name = node.name;
  const c = costs(name);
  if (!lock(name)) {
    err(`An action 'up' was attempted on the machine '${name}',`);
    err('but another process is already executing an action on the machine.');
    err('Vagrant locks each machine for access by only one process at a time.');
    throw new Failed('lock');
  }
  try {
    const m = machine(name);
    if (m.state !== 'not_created' && m.provider && m.provider !== provider) {
      err(`An active machine was found with a different provider. Vagrant\ncurrently allows each machine to be brought up with only a single provider\nat a time.\n\nActive provider: ${m.provider}\nRequested provider: ${provider}`);
      throw new Failed('provider');
    }
    out(`Bringing machine '${name}' up with '${provider}' provider...`);
    if (m.state === 'not_created') { await withHostLock(() => registerVm(lab, node, provider)); saveMachine(name, { ...m, provider }); }
    if (m.state === 'not_created') await importBox(lab, name, c);
    if (m.state !== 'running') {
      out(`==> ${name}: Preparing network interfaces based on configuration...`);
      out(`==> ${name}: ${lab.provider.name === 'libvirt' ? 'Starting domain.' : 'Booting VM...'}`);
      await maybe(name, 'boot');
      if (matches('FAKE_VAGRANT_FAIL', name, 'boot')) {
        err('Timed out while waiting for the machine to boot. This means that');
        err('Vagrant was unable to communicate with the guest machine within');
        throw new Failed('boot');
      }
      // What real vagrant-libvirt 0.11.2 prints while the guest boots (seen by the real-VM test), where most of the time goes.
      if (lab.provider.name === 'libvirt') {
        out(`==> ${name}: Waiting for domain to get an IP address...`);
        out(`==> ${name}: Waiting for machine to boot. This may take a few minutes...`);
      }
      await sleep(c.boot);
      out(`==> ${name}: Machine booted and ready!`);
      if (lab.provider.name === 'libvirt' && m.state === 'not_created') {
        out(`==> ${name}: Setting hostname...`);
        out(`==> ${name}: Configuring and enabling network interfaces...`);
      }
      saveMachine(name, { ...machine(name), state: 'running' });
      // A control plane booted again serves its API again.
      if (node.role === 'control-plane' && m.provisioned) writeFileSync(join(stateDir(), 'api-up'), 'ok');
    } else {
      out(`==> ${name}: Machine already running.`);
    }
    if (noProvision) return;
    if (m.provisioned && !provision) {
      out(`==> ${name}: Machine already provisioned. Run \`vagrant provision\` or use the \`--provision\``);
      out(`==> ${name}: flag to force provisioning. Provisioners marked to run always will still run.`);
      return;
    }
    await provisionNode(lab, node, c);
    saveMachine(name, { ...machine(name), provisioned: true });
  } finally {
    unlock(name);
  }
}

async function provisionNode(lab, node, c) {
  const name = node.name;
  const base = steps('base.sh');
  const role = steps(node.role === 'control-plane' ? 'control-plane.sh' : 'worker.sh');
  const total = base.length + role.length;
  out(`==> ${name}: Running provisioner: labgen-prepare (shell)...`);
  out(`    ${name}: Running: inline script`);
  let n = 0;
  const token = existsSync(join(cwd, 'secrets/bootstrap-token')) ? readFileSync(join(cwd, 'secrets/bootstrap-token'), 'utf8').trim() : 'abcdef.0123456789abcdef';
  for (const [script, list] of [['base', base], [node.role, role]]) {
    out(`==> ${name}: Running provisioner: labgen-${script} (shell)...`);
    out(`    ${name}: Running: inline script`);
    for (const s of list) {
      n++;
      out(`    ${name}: LABGEN-STEP node=${name} n=${n} total=${total} name=${s}`);
      await maybe(name, s);
      if (s === 'wait-api') {
        const limit = Number(process.env.FAKE_API_WAIT_MS ?? 60000);
        let waited = 0;
        while (!existsSync(join(stateDir(), 'api-up'))) {
          if (waited >= limit) {
            err(`    ${name}: labgen: wait-api on ${name}: the API server https://${lab.kubernetes.apiServerAddress}:6443 did not answer within ${limit} ms`);
            err(`    ${name}: LABGEN-FAIL node=${name} step=wait-api line=0`);
            failSsh();
          }
          await sleep(10); waited += 10;
        }
        out(`    ${name}: labgen: API server answers after ${Math.round(waited / 1000)}s`);
      }
      if (matches('FAKE_VAGRANT_FAIL', name, s)) {
        err(`    ${name}: labgen: ${s}: 'kubeadm' failed (exit 1); last lines of /var/log/labgen/${s}.log:`);
        err(`    ${name}: error execution phase preflight: couldn't validate the identity of the API Server (token ${token})`);
        err(`    ${name}: LABGEN-FAIL node=${name} step=${s} line=42`);
        failSsh();
      }
      await sleep(c.step);
      if (s === 'kubeadm-init' || s === 'kubeadm-join') {
        // provisioning keeps each kubeadm run's output on the node (templates/provision: /var/log/labgen/<step>.log).
        const d = join(guestRoot(name), 'var/log/labgen');
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, `${s}.log`), s === 'kubeadm-init' ? `[init] Using Kubernetes version: v${lab.kubernetes.minor}.0\n[bootstrap-token] Using token: ${token}\n` : `[preflight] Running pre-flight checks\nThis node has joined the cluster\n`);
      }
      if (s === 'kubeadm-init') {
        // What kubeadm init prints, secrets included: labgen's logs must not keep them.
        out(`    ${name}: [bootstrap-token] Using token: ${token}`);
        out(`    ${name}: -----BEGIN PRIVATE KEY-----`);
        out(`    ${name}: MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7fakefakefake`);
        out(`    ${name}: -----END PRIVATE KEY-----`);
        writeFileSync(join(stateDir(), 'api-up'), 'ok');
      }
      out(`    ${name}: labgen: ${s} done`);
    }
  }
  out(`    ${name}: LABGEN-DONE node=${name}`);
}

function failSsh() {
  err('The SSH command responded with a non-zero exit status. Vagrant');
  err('assumes that this means the command failed. The output for this command');
  err('should be in the log above. Please read the output to determine what');
  err('went wrong.');
  throw new Failed('provision');
}

function targets(lab, names) {
  if (names.length === 0) return lab.nodes;
  return names.map((n) => {
    const node = lab.nodes.find((x) => x.name === n);
    if (!node) { err(`The machine with the name '${n}' was not found configured for\nthis Vagrant environment.`); process.exit(1); }
    return node;
  });
}

async function main() {
  record('vagrant', argv);
  if (argv[0] === '--version' || argv[0] === '-v') { out(`Vagrant ${process.env.FAKE_VAGRANT_VERSION ?? '2.4.3'}`); return 0; }
  if (argv[0] === 'version') { out(`Installed Version: ${process.env.FAKE_VAGRANT_VERSION ?? '2.4.3'}`); return 0; }
  // Like vagrant's: boxes are per user, not per project.
  if (argv[0] === 'plugin' && argv[1] === 'list') { out(process.env.FAKE_VAGRANT_PLUGINS ?? 'vagrant-libvirt (0.12.2, global)'); return 0; }
  if (argv[0] === 'box' && argv[1] === 'list') {
    // FAKE_VAGRANT_BOXES: JSON [{name, provider, version}]; by default a host that already has the shipped labs' boxes.
    const boxes = process.env.FAKE_VAGRANT_BOXES ? JSON.parse(process.env.FAKE_VAGRANT_BOXES) : [
      { name: 'bento/rockylinux-9', provider: 'virtualbox', version: '202510.26.0' }, { name: 'rockylinux/9', provider: 'libvirt', version: '6.0.0' },
      { name: 'bento/ubuntu-24.04', provider: 'virtualbox', version: '202510.26.0' }, { name: 'cloud-image/ubuntu-24.04', provider: 'libvirt', version: '20251213.0.0' },
    ];
    // Plain `vagrant box list` (what labgen logs records): one `name (provider, version)` line per box.
    if (!argv.includes('--machine-readable')) { for (const b of boxes) out(`${b.name} (${b.provider}, ${b.version})`); return 0; }
    const t = Math.floor(Date.now() / 1000);
    for (const b of boxes) out(`${t},,box-name,${b.name}\n${t},,box-provider,${b.provider}\n${t},,box-architecture,amd64\n${t},,box-version,${b.version}`);
    return 0;
  }
  if (argv[0] === 'box' && argv[1] === 'add') {
    const at = (f) => (argv.indexOf(f) >= 0 ? argv[argv.indexOf(f) + 1] : undefined);
    if (process.env.FAKE_VAGRANT_BOX_ADD_FAIL) { err('An error occurred while downloading the remote file.\nThe requested URL returned error: 404'); return 1; }
    out(`==> box: Successfully added box '${argv[2]}' (v${at('--box-version') ?? 'latest'}) for '${at('--provider')}'!`);
    return 0;
  }
  const lab = readLab(cwd);
  if (!lab) { err('A Vagrant environment or target machine is required to run this\ncommand.'); return 1; }
  const cmd = argv[0];
  const flags = argv.filter((a) => a.startsWith('-'));
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (cmd === 'status') {
    await maybe('', 'status');
    if (matches('FAKE_VAGRANT_FAIL', '', 'status')) { err('There is a syntax error in the following Vagrantfile.'); return 1; }
    const t = Math.floor(Date.now() / 1000);
    for (const n of lab.nodes) {
      const m = machine(n.name);
      out(`${t},${n.name},metadata,provider,${lab.provider.name}`);
      out(`${t},${n.name},provider-name,${lab.provider.name}`);
      out(`${t},${n.name},state,${m.state}`);
      out(`${t},${n.name},state-human-short,${m.state.replace('_', ' ')}`);
    }
    out(`${t},,ui,info,Current machine states:%!(VAGRANT_COMMA)`);
    return 0;
  }
  if (cmd === 'up') {
    const list = targets(lab, names);
    const provision = flags.includes('--provision');
    const noProvision = flags.includes('--no-provision');
    const provider = chosenProvider(lab, flags);
    const parallel = flags.includes('--parallel') && lab.provider.name === 'libvirt';
    const results = [];
    if (parallel) {
      results.push(...await Promise.allSettled(list.map((n) => up(lab, n, provision, provider, noProvision))));
    } else {
      // VirtualBox does not declare parallel support: one machine after another, stopping at the first failure.
      for (const n of list) {
        const r = await Promise.allSettled([up(lab, n, provision, provider, noProvision)]);
        results.push(...r);
        if (r[0].status === 'rejected') break;
      }
    }
    const bad = results.find((r) => r.status === 'rejected');
    if (bad && !(bad.reason instanceof Failed)) throw bad.reason;
    return bad ? 1 : 0;
  }
  if (cmd === 'ssh') {
    const name = names[0];
    const ci = argv.indexOf('-c');
    const command = ci >= 0 ? argv[ci + 1] : '';
    const node = lab.nodes.find((n) => n.name === name);
    if (!node || machine(name).state !== 'running') { err('VM must be running to open SSH connection. Run `vagrant up`\nto start the virtual machine.'); return 1; }
    await maybe(name, 'ssh');
    if (/LABGEN-LOGS-/.test(command ?? '')) {
      // labgen logs' guest script, run for real by bash against stub guest commands (never the host's own ip, journalctl...).
      const stubs = join(dirname(fileURLToPath(import.meta.url)), '..', 'logs-guest');
      const r = spawnSync('bash', ['-c', command], { encoding: 'utf8', env: { PATH: `${stubs}:/usr/bin:/bin`, LABGEN_ROOT: guestRoot(name), FAKE_NODE: name, FAKE_LAB_DIR: cwd, FAKE_NODE_IP: node.ip } });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      return r.status ?? 1;
    }
    if (/admin\.conf/.test(command ?? '')) {
      // Real Vagrant 2.3.4 prints this on stdout before every `vagrant ssh` to a machine whose address ends in .1
      // (seen in the real-VM test): whatever labgen reads from ssh's stdout must not take it for the command's output.
      if (node.ip.endsWith('.1')) for (const l of ['You assigned a static IP ending in ".1" to this machine.', 'This is very often used by the router and can cause the', 'network to not work properly. If the network doesn\'t work', 'properly, try changing this IP.']) out(`==> ${name}: ${l}`);
      if (/LABGEN-KUBECONFIG-BEGIN/.test(command ?? '')) out('LABGEN-KUBECONFIG-BEGIN');
      if (node.role !== 'control-plane' || !existsSync(join(stateDir(), 'api-up'))) { err('cat: /etc/kubernetes/admin.conf: No such file or directory'); return 1; }
      out('apiVersion: v1');
      out('clusters:');
      out('- cluster:');
      out('    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkZBS0UK');
      out(`    server: https://${node.ip}:6443`);
      out(`  name: ${lab.name}`);
      out('users:');
      out('- name: kubernetes-admin');
      out('  user:');
      out('    client-certificate-data: RkFLRUNFUlRJRklDQVRFREFUQQ==');
      out('    client-key-data: RkFLRVNFQ1JFVEtFWURBVEFET05PVFBSSU5U');
      if (/LABGEN-KUBECONFIG-END/.test(command ?? '')) out('LABGEN-KUBECONFIG-END');
      return 0;
    }
    out(`fake ssh ${name}: ${command}`);
    return 0;
  }
  if (cmd === 'halt') {
    const list = targets(lab, names);
    const bad = [];
    // vagrant halt has no --parallel: the machines it is given, one after another.
    for (const n of list) {
      if (!lock(n.name)) { err(`An action 'halt' was attempted on the machine '${n.name}',\nbut another process is already executing an action on the machine.`); bad.push(n.name); continue; }
      try {
        const m = machine(n.name);
        if (m.state === 'not_created') { out(`==> ${n.name}: VM not created. Moving on...`); continue; }
        if (m.state !== 'running') continue;
        out(`==> ${n.name}: Attempting graceful shutdown of VM...`);
        await maybe(n.name, 'halt');
        if (matches('FAKE_VAGRANT_FAIL', n.name, 'halt')) { err(`The guest ${n.name} did not shut down: timed out waiting for the guest to halt`); bad.push(n.name); break; }
        await sleep(costs(n.name).boot / 2);
        saveMachine(n.name, { ...m, state: lab.provider.name === 'libvirt' ? 'shutoff' : 'poweroff' });
        if (n.role === 'control-plane') rmSync(join(stateDir(), 'api-up'), { force: true });
      } finally { unlock(n.name); }
    }
    return bad.length ? 1 : 0;
  }
  if (cmd === 'destroy') {
    const list = targets(lab, names);
    // FAKE_VAGRANT_FAIL=node:destroy-parallel: that machine fails a parallel destroy of several machines as
    // vagrant-libvirt 0.11.2 did on real VMs (test-vm), and stays; destroyed alone, it goes.
    const parallelRun = argv.includes('--parallel') && list.length > 1;
    const failedParallel = [];
    await Promise.all(list.map(async (n) => {
      if (!lock(n.name)) { err(`An action 'destroy' was attempted on the machine '${n.name}',\nbut another process is already executing an action on the machine.`); throw new Failed('lock'); }
      try {
        const m = machine(n.name);
        if (m.state === 'not_created') { out(`==> ${n.name}: VM not created. Moving on...`); return; }
        if (parallelRun && matches('FAKE_VAGRANT_FAIL', n.name, 'destroy-parallel')) {
          out(`==> ${n.name}: An error occurred. The error will be shown after all tasks complete.`);
          failedParallel.push(n.name);
          return;
        }
        out(`==> ${n.name}: Forcing shutdown of VM...`);
        await sleep(costs(n.name).boot / 2);
        out(`==> ${n.name}: Destroying VM and associated drives...`);
        await withHostLock(() => unregisterVm(lab, n, m.provider ?? lab.provider.name));
        saveMachine(n.name, { state: 'not_created', provisioned: false });
        if (n.role === 'control-plane') rmSync(join(stateDir(), 'api-up'), { force: true });
      } finally { unlock(n.name); }
    }));
    if (failedParallel.length) {
      err(`An error occurred while executing multiple actions in parallel.\nAny errors that occurred are shown below.\n\n${failedParallel.map((name) => `An unexpected error occurred when executing the action on the\n'${name}' machine. Please report this as a bug:\n\nconstant VagrantPlugins::ProviderLibvirt::Action::ProvisionerCleanup not defined`).join('\n\n')}`);
      return 1;
    }
    return 0;
  }
  if (cmd === 'snapshot') return snapshot(lab, argv.slice(1).filter((a) => a !== '--no-color' && a !== '--machine-readable'), argv.includes('--machine-readable'));
  err(`fake vagrant: unsupported command: ${argv.join(' ')}`);
  return 1;
}

// ---- vagrant snapshot, as Vagrant 2.3.4 (plugins/commands/snapshot/command/*.rb, templates/locales/en.yml) prints it
// with the VirtualBox provider (plugins/providers/virtualbox: restore = force halt, restore, start unless --no-start;
// names listed sorted) or vagrant-libvirt 0.11.2 (action/snapshot_*.rb: restore only reverts the domain to the state it
// was snapshotted in, running or shut off, and starts nothing; a machine that does not exist makes restore and delete
// crash, since its snapshot_list capability returns nil). A snapshot keeps the machine's whole fake state.

const SNAPSHOT_FLAGS = { save: ['-f', '--force'], restore: ['--provision', '--no-provision', '--no-start'], delete: [], list: [] };

/** Prints through Vagrant's machine-prefixed UI: human lines, or `t,target,ui,kind,message` with --machine-readable. */
function ui(machineReadable, target, kind, message) {
  if (!machineReadable) { out(message); return; }
  const t = Math.floor(Date.now() / 1000);
  out(`${t},${target},ui,${kind},${message.replace(/,/g, '%!(VAGRANT_COMMA)').replace(/\n/g, '\\n')}`);
}

function usage(sub, invalidOption) {
  err(invalidOption ? 'An invalid option was specified. The help for this command\nis available below.' : 'This command was not invoked properly. The help for this command is\navailable below.');
  err('');
  err(`Usage: vagrant snapshot ${sub} [options] ${sub === 'list' ? '[vm-name]' : '[vm-name] <name>'}`);
  return 1;
}

function notFound(snapshotName, name) {
  err(`The snapshot name \`${snapshotName}\` was not found for the\nvirtual machine \`${name}\`.`);
  return 1;
}

/** vagrant-libvirt 0.11.2 on a machine that was never created (seen with Debian's packages: restore and delete). */
function libvirtCrash(sub) {
  err(`/usr/share/rubygems-integration/all/gems/vagrant-2.3.4/plugins/commands/snapshot/command/${sub}.rb:51:in \`block in execute': undefined method \`include?' for nil:NilClass (NoMethodError)`);
  err('\tfrom /usr/share/rubygems-integration/all/gems/vagrant-2.3.4/lib/vagrant/plugin/v2/command.rb:243:in `block in with_target_vms\'');
  return 1;
}

function snapshotError(lab, name, what) {
  if (lab.provider.name === 'libvirt') {
    err(`${{ save: 'Cannot create snapshot(s)', restore: 'Cannot revert snapshot(s)', delete: 'Error while deleting snapshot' }[what]}: Call to virDomain${{ save: 'SnapshotCreateXML', restore: 'RevertToSnapshot', delete: 'SnapshotDelete' }[what]} failed: internal error: qemu unexpectedly closed the monitor.`);
  } else {
    err('There was an error while executing `VBoxManage`, a CLI used by Vagrant');
    err('for controlling VirtualBox. The command and stderr is shown below.');
    err(`Command: ["snapshot", "${name}-uuid", "${{ save: 'take', restore: 'restore', delete: 'delete' }[what]}"]`);
    err(`Stderr: VBoxManage: error: Could not ${what} the snapshot of machine '${name}' (VERR_DISK_FULL)`);
  }
}

function snapshotNames(lab, m) {
  const list = (m.snapshots ?? []).map((s) => s.name);
  return lab.provider.name === 'libvirt' ? list : [...list].sort();
}

/** The machine's fake state without its snapshots (what a snapshot keeps). */
function stateOf(m) { const { snapshots: _drop, ...rest } = m; return rest; }

async function snapshot(lab, args, machineReadable) {
  const sub = args[0];
  if (!sub || !(sub in SNAPSHOT_FLAGS) ) { err('Usage: vagrant snapshot <subcommand> [<args>]'); return 1; }
  const rest = args.slice(1);
  const dd = rest.indexOf('--');
  const opts = dd >= 0 ? rest.slice(0, dd) : rest.filter((a) => a.startsWith('-'));
  const pos = dd >= 0 ? rest.slice(dd + 1) : rest.filter((a) => !a.startsWith('-'));
  if (opts.some((o) => !SNAPSHOT_FLAGS[sub].includes(o))) return usage(sub, true);
  const force = opts.includes('-f') || opts.includes('--force');
  const start = !opts.includes('--no-start');
  const provision = opts.includes('--provision');
  if (sub === 'list') {
    for (const n of targets(lab, pos)) {
      const m = machine(n.name);
      if (machineReadable) out(`${Math.floor(Date.now() / 1000)},${n.name},metadata,provider,${lab.provider.name}`);
      if (m.state === 'not_created') { ui(machineReadable, n.name, 'info', `==> ${n.name}: VM not created. Moving on...`); continue; }
      const names = snapshotNames(lab, m);
      if (!names.length) {
        ui(machineReadable, n.name, 'output', `==> ${n.name}: No snapshots have been taken yet!`);
        ui(machineReadable, n.name, 'detail', ['You can take a snapshot using `vagrant snapshot save`. Note that', 'not all providers support this yet. Once a snapshot is taken, you',
          'can list them using this command, and use commands such as', '`vagrant snapshot restore` to go back to a certain snapshot.'].map((l) => `    ${n.name}: ${l}`).join('\n'));
        continue;
      }
      ui(machineReadable, n.name, 'output', `==> ${n.name}: `);
      for (const s of names) ui(machineReadable, n.name, 'detail', s);
    }
    return 0;
  }
  if (pos.length < 1 || pos.length > 2) return usage(sub, false);
  const snapshotName = pos[pos.length - 1];
  for (const n of targets(lab, pos.slice(0, -1))) {
    const name = n.name;
    const c = costs(name);
    const m = machine(name);
    if (sub === 'save' && m.state === 'not_created') { out(`Machine '${name}' has not been created yet, and therefore cannot save snapshots. Skipping...`); continue; }
    if (m.state === 'not_created') { if (lab.provider.name === 'libvirt') return libvirtCrash(sub); return notFound(snapshotName, name); }
    const has = snapshotNames(lab, m).includes(snapshotName);
    if (sub === 'save' && has && !force) { err('You must include the `--force` option to replace an existing snapshot.'); return 1; }
    if (sub !== 'save' && !has) return notFound(snapshotName, name);
    if (!lock(name)) {
      err(`An action 'snapshot_${sub}' was attempted on the machine '${name}',`);
      err('but another process is already executing an action on the machine.');
      return 1;
    }
    try {
      const others = (m.snapshots ?? []).filter((s) => s.name !== snapshotName);
      if (sub === 'save' || sub === 'delete') {
        if (has) {
          out(`==> ${name}: Deleting the snapshot '${snapshotName}'...`);
          await maybe(name, 'snapshot-delete');
          if (matches('FAKE_VAGRANT_FAIL', name, 'snapshot-delete')) { snapshotError(lab, name, 'delete'); return 1; }
          if (lab.provider.name !== 'libvirt') out('');
          out(`==> ${name}: Snapshot deleted!`);
          saveMachine(name, { ...m, snapshots: others });
        }
        if (sub === 'delete') continue;
        out(`==> ${name}: Snapshotting the machine as '${snapshotName}'...`);
        await maybe(name, 'snapshot-save');
        if (matches('FAKE_VAGRANT_FAIL', name, 'snapshot-save')) { snapshotError(lab, name, 'save'); return 1; }
        await sleep(c.snapshot);
        const api = n.role === 'control-plane' && existsSync(join(stateDir(), 'api-up'));
        saveMachine(name, { ...m, snapshots: [...others, { name: snapshotName, machine: stateOf(m), api }] });
        out(`==> ${name}: Snapshot saved! You can restore the snapshot at any time by`);
        out(`==> ${name}: using \`vagrant snapshot restore\`. You can delete it using`);
        out(`==> ${name}: \`vagrant snapshot delete\`.`);
        continue;
      }
      // restore
      const snap = m.snapshots.find((s) => s.name === snapshotName);
      const libvirt = lab.provider.name === 'libvirt';
      if (!libvirt && m.state === 'running') { out(`==> ${name}: Forcing shutdown of VM...`); await sleep(c.boot / 4); }
      out(`==> ${name}: Restoring the snapshot '${snapshotName}'...`);
      await maybe(name, 'snapshot-restore');
      if (matches('FAKE_VAGRANT_FAIL', name, 'snapshot-restore')) { snapshotError(lab, name, 'restore'); return 1; }
      await sleep(c.restore);
      if (!libvirt) out('');
      // VirtualBox: a snapshot of a running VM holds its saved state; libvirt: the domain is back as it was, running or not.
      let state = snap.machine.state === 'running' ? (libvirt ? 'running' : 'saved') : snap.machine.state;
      saveMachine(name, { ...snap.machine, state, provider: m.provider, snapshots: m.snapshots });
      if (!libvirt && start) {
        out(`==> ${name}: ${state === 'saved' ? 'Resuming suspended VM...' : 'Booting VM...'}`);
        if (!provision) out(`==> ${name}: Machine not provisioned because \`--no-provision\` is specified.`);
        out(`==> ${name}: Waiting for machine to boot. This may take a few minutes...`);
        await sleep(state === 'saved' ? c.restore : c.boot);
        out(`==> ${name}: Machine booted and ready!`);
        state = 'running';
        saveMachine(name, { ...machine(name), state });
      }
      if (n.role === 'control-plane') {
        if (state === 'running' && snap.machine.provisioned && (snap.api || !libvirt)) writeFileSync(join(stateDir(), 'api-up'), 'ok');
        else rmSync(join(stateDir(), 'api-up'), { force: true });
      }
    } finally { unlock(name); }
  }
  return 0;
}

main().then((code) => { release(); process.exitCode = code; }, (e) => { release(); err(String(e?.stack ?? e)); process.exitCode = 1; });
