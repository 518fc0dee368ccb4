// A fake `virsh` for labgen's tests: `-c URI uri|version|domcapabilities|net-list|net-dumpxml`.
// Told by env vars: FAKE_VIRSH_DOWN=1 (connection fails), FAKE_VIRSH_NO_KVM=1, FAKE_VIRSH_NETWORKS=[{"name","cidr"}].
// Also `list --all --name` and `dumpxml <domain>`, and the networks, from the fake hypervisor the fake vagrant fills.
import { hypervisor, record } from './common.mjs';

const argv = process.argv.slice(2);
record('virsh', argv);
const c = argv.indexOf('-c');
const uri = c >= 0 ? argv[c + 1] : 'qemu:///system';
const rest = argv.filter((_, i) => i !== c && i !== c + 1);
const hv = hypervisor();
const nets = [...JSON.parse(process.env.FAKE_VIRSH_NETWORKS ?? '[{"name":"default","cidr":"192.168.122.0/24"}]'), ...hv.networks];
const domains = hv.vms.filter((v) => v.provider === 'libvirt');
const out = (s) => process.stdout.write(`${s}\n`);
function main() {
  if (process.env.FAKE_VIRSH_DOWN) {
    process.stderr.write(`error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n`);
    return 1;
  }
  switch (rest[0]) {
    case 'uri': out(uri); return 0;
    case '--version': out('10.0.0'); return 0;
    case 'version': out('Compiled against library: libvirt 10.0.0\nUsing library: libvirt 10.0.0\nUsing API: QEMU 10.0.0\nRunning hypervisor: QEMU 8.2.2'); return 0;
    case 'domcapabilities':
      if (process.env.FAKE_VIRSH_NO_KVM) { process.stderr.write("error: failed to get emulator capabilities\nerror: invalid argument: KVM is not supported by '/usr/bin/qemu-system-x86_64' on this host\n"); return 1; }
      out('<domainCapabilities><domain>kvm</domain></domainCapabilities>'); return 0;
    case 'list': for (const d of domains) out(d.name); out(''); return 0;
    case 'dumpxml': {
      const d = domains.find((x) => x.name === rest[1]);
      if (!d) { process.stderr.write(`error: failed to get domain '${rest[1]}'\n`); return 1; }
      out(`<domain type='kvm'>\n  <name>${d.name}</name>\n  <uuid>${d.uuid}</uuid>\n  <devices>\n    <interface type='network'>\n      <source network='vagrant-libvirt'/>\n    </interface>\n    <interface type='network'>\n      <source network='${d.network}'/>\n    </interface>\n  </devices>\n</domain>`);
      return 0;
    }
    case 'net-list': for (const n of nets) out(n.name); out(''); return 0;
    case 'net-dumpxml': {
      const n = nets.find((x) => x.name === rest[1]);
      if (!n) { process.stderr.write(`error: failed to get network '${rest[1]}'\n`); return 1; }
      const [addr, prefix] = n.cidr.split('/');
      const a = addr.split('.').map(Number); a[3] += 1;
      out(`<network>\n  <name>${n.name}</name>\n  <ip address='${a.join('.')}' prefix='${prefix}'>\n  </ip>\n</network>`);
      return 0;
    }
    default: process.stderr.write(`fake virsh: unsupported: ${argv.join(' ')}\n`); return 1;
  }
}
process.exitCode = main();
