// Hostile values in every string field of a lab: rejected by validation with the field named, or rendered inert.
// Inertness is proven with the real interpreters: vagrant/ruby load the Vagrantfile, bash parses and sources the
// scripts and env files, and a marker file the payloads try to create never appears.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseLab } from '../../src/lab/parse.js';
import { defaultRegistries } from '../../src/registries.js';
import { run, vagrantEnv } from '../helpers/exec.js';
import { renderToTemp, tempDir } from '../helpers/render.js';
import { requireTool } from '../helpers/tools.js';
import { evalVagrantfile } from '../helpers/vagrantfile.js';

const marker = join(tempDir('labgen-pwn-'), 'pwned');
const PAYLOADS = [`a'b`, `a"b`, `#{system("touch ${marker}")}`, `$(touch ${marker})`, `\`touch ${marker}\``, 'a\nb', 'a\\b', `x; touch ${marker}`];

/** A valid libvirt + Calico lab with every optional string field present, as plain data. */
function baseLab(): Record<string, any> {
  return {
    name: 'hostile', description: 'fine',
    os: { family: 'el', box: 'rockylinux/9', boxVersion: '4.0.0' },
    provider: { name: 'libvirt', libvirt: { uri: 'qemu:///system', storagePool: 'default', managementNetwork: { name: 'vagrant-libvirt', cidr: '192.168.121.0/24' } } },
    network: { hostOnly: { cidr: '10.0.0.0/24', hostAddress: '10.0.0.254', interface: 'vboxnet0' } },
    kubernetes: { version: '1.35', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', dnsDomain: 'cluster.local' },
    cni: { plugin: 'calico', version: 'v3.33.0', interface: 'auto', options: { poolCidr: '10.244.0.0/16' } },
    nodes: [
      { name: 'master', hostname: 'master.lab.com', role: 'control-plane', ip: '10.0.0.1' },
      { name: 'worker1', hostname: 'worker1.lab.com', role: 'worker', ip: '10.0.0.2' },
    ],
  };
}
const FIELDS = ['name', 'os.box', 'os.boxVersion', 'provider.libvirt.uri', 'provider.libvirt.storagePool', 'provider.libvirt.managementNetwork.name', 'provider.libvirt.managementNetwork.cidr',
  'network.hostOnly.cidr', 'network.hostOnly.hostAddress', 'network.hostOnly.interface', 'kubernetes.podCidr', 'kubernetes.serviceCidr', 'kubernetes.dnsDomain',
  'cni.version', 'cni.interface', 'cni.options.poolCidr', 'nodes[0].name', 'nodes[1].hostname', 'nodes[1].ip'];

function setPath(obj: Record<string, any>, path: string, value: string): void {
  const segs = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  let cur = obj;
  for (const s of segs.slice(0, -1)) cur = cur[s];
  cur[segs.at(-1)!] = value;
}

describe('hostile values', () => {
  const reg = defaultRegistries();
  it('the base lab is valid (so every rejection below is the field\'s own)', () => {
    assert.deepEqual(parseLab(stringify(baseLab()), reg).problems, []);
  });
  for (const field of FIELDS) {
    it(`${field}: every payload is rejected, naming the field`, () => {
      for (const p of PAYLOADS) {
        const lab = baseLab();
        setPath(lab, field, p);
        const { lab: ok, problems } = parseLab(stringify(lab), reg);
        assert.equal(ok, undefined, `${field} accepted ${JSON.stringify(p)}`);
        assert.ok(problems.some((x) => x.path === field), `${field} = ${JSON.stringify(p)}: problems name ${problems.map((x) => x.path).join(', ')}`);
      }
    });
  }
  it('unknown keys cannot smuggle values in either', () => {
    const lab = baseLab();
    lab.nodes[0][`$(touch ${marker})`] = 'x';
    const { problems } = parseLab(stringify(lab), reg);
    assert.ok(problems.some((p) => p.message === 'unknown key' && p.path.startsWith('nodes[0].')));
  });
  it('description: a newline is rejected; quotes, #{}, $(), backticks and \\ are allowed', () => {
    for (const p of PAYLOADS) {
      const lab = baseLab();
      lab.description = p;
      const { problems } = parseLab(stringify(lab), reg);
      if (p.includes('\n')) assert.ok(problems.some((x) => x.path === 'description'));
      else assert.deepEqual(problems, [], JSON.stringify(p));
    }
  });

  it('description with every payload renders inert: vagrant, ruby and bash load the files, the marker never appears', (t) => {
    if (!requireTool(t, 'vagrant') || !requireTool(t, 'ruby')) return;
    const description = PAYLOADS.filter((p) => !p.includes('\n')).join(' ');
    const lab = baseLab();
    lab.description = description;
    const file = join(tempDir(), 'hostile.yaml');
    writeFileSync(file, stringify(lab));
    for (const provider of ['libvirt', 'virtualbox']) {
      const { dir, files } = renderToTemp(file, { provider });
      // Where the description ends up: labgen.json only (JSON-encoded), never a script or the Vagrantfile.
      const carriers = files.filter((f) => f.content.includes('touch ')).map((f) => f.path);
      assert.deepEqual(carriers, ['labgen.json']);
      assert.equal((JSON.parse(files.find((f) => f.path === 'labgen.json')!.content) as { lab: { description: string } }).lab.description, description);
      const env = vagrantEnv({ VAGRANT_DEFAULT_PROVIDER: provider });
      const v = run('vagrant', ['validate', ...(provider === 'virtualbox' ? ['--ignore-provider'] : [])], { cwd: dir, env });
      assert.equal(v.code, 0, v.output);
      evalVagrantfile(dir);
      const scripts = ['provision', 'cni'].flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.sh')).map((f) => join(dir, d, f)));
      for (const s of scripts) assert.equal(run('bash', ['-n', s]).code, 0, s);
      const envFiles = ['provision/lab.env', ...readdirSync(join(dir, 'provision/nodes')).map((n) => `provision/nodes/${n}`)];
      const src = run('bash', ['-c', `set -eu; ${envFiles.map((f) => `. ${JSON.stringify(join(dir, f))}`).join('; ')}; printf '%s|' "$LAB_NAME" "$NODE_NAME"`]);
      assert.equal(src.code, 0, src.stderr);
      assert.equal(src.stdout, 'hostile|worker1|');
    }
    assert.equal(existsSync(marker), false, 'a payload ran');
  });
});
