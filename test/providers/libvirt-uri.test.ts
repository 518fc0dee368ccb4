// provider.libvirt.uri: libvirt runs programs and reads files named in a URI, so only an allow-list is accepted,
// by the schema, by the rules, and again by doctor before `virsh -c` ever runs (a labgen.json edited by hand).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { parseLab } from '../../src/lab/parse.js';
import { LIBVIRT_URI_PATTERN, parseLibvirtUri } from '../../src/providers/libvirt/uri.js';
import { defaultRegistries } from '../../src/registries.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { fakeHost, repoRoot } from '../fakes/fake-bin.js';

const GOOD = ['qemu:///system', 'qemu:///session', 'qemu+unix:///system', 'qemu+ssh://kvm-host/system', 'qemu+ssh://user@kvm-host.lab.com:2222/system',
  'qemu+ssh://root@10.1.2.3/session?no_tty=1', 'qemu+tls://kvm.example.org/system?no_verify=1', 'qemu://kvm.example.org:16514/system', 'qemu+tcp://kvm-host:16509/system',
  'qemu:///system?mode=direct', 'qemu+ssh://u@h/system?mode=legacy&no_tty=1'];

/** Hostile URIs; `CANARY` is replaced by a script that would create a file. */
const BAD = [
  'qemu+ssh://localhost/system?command=CANARY', 'qemu+ssh://localhost/system?netcat=CANARY', 'qemu+ssh://localhost/system?socket=/tmp/x',
  'qemu+ssh://localhost/system?keyfile=/etc/shadow', 'qemu+ssh://localhost/system?sshopts=-oProxyCommand=CANARY', 'qemu+libssh2://localhost/system?known_hosts=/x',
  'qemu+libssh://localhost/system?known_hosts_verify=ignore', 'qemu+ssh://localhost/system?proxy=netcat', 'qemu+ext:///system?command=CANARY',
  'qemu+unix:///system?socket=/tmp/evil', 'qemu+tls://h/system?pkipath=/tmp', 'qemu+ssh://h/system?name=qemu:///system', 'qemu+ssh://h/system?%63ommand=CANARY',
  'qemu+ssh://h/system?no_tty=1;command=CANARY', 'qemu+ssh://h/system?no_tty=1&command=CANARY', 'qemu+ssh://h/system?mode=auto&mode=direct',
  'qemu+ssh://-oProxyCommand=CANARY/system', 'qemu+ssh://-x@h/system', 'qemu+ssh://h:0/system', 'qemu+ssh://h:65536/system', 'qemu+ssh://h/system?no_tty=2',
  '-c', '--help', 'qemu+ssh://h/other', 'xen:///system', 'qemu+SSH://h/system', 'qemu+ssh:///system', 'qemu+unix://h/system', 'qemu+tls://u@h/system',
  'qemu+ssh://u@h/system?no_verify=1', 'qemu:///system?', 'qemu:// /system', 'qemu+ssh://h/system#frag', 'qemu+ssh://a b/system', `qemu+ssh://h/system?${'mode=auto&'.repeat(50)}`,
  `qemu+ssh://${'a'.repeat(500)}/system`,
];

const reg = defaultRegistries();

function libvirtLab(uri: string): Record<string, unknown> {
  const lab = parse(readFileSync(join(repoRoot(), 'labs', 'libvirt-calico-vxlan.yaml'), 'utf8')) as Record<string, any>;
  lab.provider.libvirt.uri = uri;
  return lab;
}

describe('libvirt URI allow-list', () => {
  it('accepts the documented local and remote forms, in the parser and in the schema', () => {
    for (const u of GOOD) {
      const r = parseLibvirtUri(u);
      assert.ok(!('problem' in r), `${u}: ${'problem' in r ? r.problem : ''}`);
      assert.match(u, new RegExp(LIBVIRT_URI_PATTERN), u);
      assert.deepEqual(parseLab(stringify(libvirtLab(u)), reg).problems, [], u);
    }
    assert.deepEqual(parseLibvirtUri('qemu+ssh://user@kvm-host.lab.com:2222/system'), { transport: 'ssh', user: 'user', host: 'kvm-host.lab.com', port: 2222, path: 'system', params: {} });
  });

  it('refuses every other transport, parameter, host and user, naming provider.libvirt.uri with the fix', () => {
    for (const u of BAD.map((b) => b.replace('CANARY', '/tmp/x.sh'))) {
      assert.ok('problem' in parseLibvirtUri(u), `parser accepted ${u}`);
      const { lab, problems } = parseLab(stringify(libvirtLab(u)), reg);
      assert.equal(lab, undefined, `lab accepted ${u}`);
      const p = problems.find((x) => x.path === 'provider.libvirt.uri');
      assert.ok(p, `${u}: ${JSON.stringify(problems)}`);
      assert.match(p.fix ?? '', /qemu:\/\/\/system.*command=/s);
    }
    const r = parseLibvirtUri('qemu+ssh://localhost/system?command=/x');
    assert.match('problem' in r ? r.problem : '', /parameter "command" is refused: it runs a program/);
  });

  it('doctor and create refuse a lab file whose URI runs a program: exit 2, virsh never runs, the canary never exists', async () => {
    const h = fakeHost();
    const canary = join(h.root, 'canary');
    const script = join(h.root, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch '${canary}'\n`);
    chmodSync(script, 0o755);
    for (const uri of [`qemu+ssh://localhost/system?command=${script}`, `qemu+ext:///system?command=${script}`, `qemu+ssh://localhost/system?netcat=${script}`, `qemu+ssh://localhost/system?sshopts=-oProxyCommand=${script}`]) {
      const file = join(h.work, 'evil.yaml');
      writeFileSync(file, stringify(libvirtLab(uri)));
      for (const argv of [['doctor', file], ['create', file, '--out', join(h.work, 'out')], ['create', file, '--out', join(h.work, 'out'), '--skip-doctor']]) {
        const r = await runLabgen(h, argv);
        assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
        assert.match(r.err, /provider\.libvirt\.uri/);
        assert.deepEqual(h.calls().filter((c) => c.startsWith('virsh')), [], 'virsh ran');
        assert.equal(existsSync(join(h.work, 'out')), false, 'create wrote a lab directory');
      }
    }
    assert.equal(existsSync(canary), false);
  });

  it('doctor DIR re-checks the URI of a labgen.json edited after render: exit 2 before virsh runs', async () => {
    const h = fakeHost();
    const canary = join(h.root, 'canary');
    const script = join(h.root, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch '${canary}'\n`);
    chmodSync(script, 0o755);
    const dir = join(h.work, 'lab');
    const r0 = await runLabgen(h, ['render', 'libvirt-calico-vxlan', '--out', dir]);
    assert.equal(r0.code, 0, r0.err);
    const jsonPath = join(dir, 'labgen.json');
    const j = JSON.parse(readFileSync(jsonPath, "utf8")) as { lab: { provider: { options: { uri: string } } } };
    j.lab.provider.options.uri = `qemu+ssh://localhost/system?command=${script}`;
    writeFileSync(jsonPath, JSON.stringify(j));
    const r = await runLabgen(h, ['doctor', dir]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /uri/);
    assert.deepEqual(h.calls().filter((c) => c.startsWith('virsh')), []);
    assert.equal(existsSync(canary), false);
  });
});
