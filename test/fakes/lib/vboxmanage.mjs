// A fake `VBoxManage` for labgen's tests: `--version` prints FAKE_VBOX_VERSION (default 7.1.4r165100); `list vms`,
// `list hostonlyifs` and `showvminfo <uuid|name> --machinereadable` answer from the fake hypervisor (common.mjs) that
// the fake vagrant fills, in VirtualBox 7's formats.
import { hypervisor, record } from './common.mjs';

const argv = process.argv.slice(2);
record('VBoxManage', argv);
const out = (s) => process.stdout.write(`${s}\n`);
const vms = () => hypervisor().vms.filter((v) => v.provider === 'virtualbox');
if (argv[0] === '--version' || argv[0] === '-v') out(process.env.FAKE_VBOX_VERSION ?? '7.1.4r165100');
else if (argv[0] === 'list' && argv[1] === 'vms') { for (const v of vms()) out(`"${v.name}" {${v.uuid}}`); }
else if (argv[0] === 'list' && argv[1] === 'hostonlyifs') {
  out(hypervisor().hostOnly.map((i) => [`Name:            ${i.name}`, 'GUID:            786f6276-656e-4074-8000-0a0027000000', 'DHCP:            Disabled', `IPAddress:       ${i.ip}`, `NetworkMask:     ${i.netmask}`, 'IPV6Address:', 'IPV6NetworkMaskPrefixLength: 0', 'HardwareAddress: 0a:00:27:00:00:00', 'MediumType:      Ethernet', 'Wireless:        No', 'Status:          Up', `VBoxNetworkName: HostInterfaceNetworking-${i.name}`].join('\n')).join('\n\n'));
} else if (argv[0] === 'showvminfo' && argv[2] === '--machinereadable') {
  const v = vms().find((x) => x.uuid === argv[1] || x.name === argv[1]);
  if (!v) { process.stderr.write(`VBoxManage: error: Could not find a registered machine named '${argv[1]}'\n`); process.exitCode = 1; }
  else out([`name="${v.name}"`, `UUID="${v.uuid}"`, 'VMState="running"', 'nic1="nat"', 'nic2="hostonly"', `hostonlyadapter2="${v.network}"`].join('\n'));
} else { process.stderr.write(`fake VBoxManage: unsupported: ${argv.join(' ')}\n`); process.exitCode = 1; }
