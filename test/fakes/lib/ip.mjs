// A fake `ip` for labgen's tests: `-j addr show` / `-j route show` print FAKE_IP_ADDR / FAKE_IP_ROUTE (JSON).
import { record } from './common.mjs';

const argv = process.argv.slice(2);
record('ip', argv);
const addr = process.env.FAKE_IP_ADDR ?? JSON.stringify([
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  { ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.0.2.2', prefixlen: 24 }] },
]);
const route = process.env.FAKE_IP_ROUTE ?? JSON.stringify([{ dst: 'default', gateway: '192.0.2.1', dev: 'eth0' }, { dst: '192.0.2.0/24', dev: 'eth0' }]);
if (argv[0] === '-j' && argv[1]?.startsWith('a')) process.stdout.write(`${addr}\n`);
else if (argv[0] === '-j' && argv[1]?.startsWith('r')) process.stdout.write(`${route}\n`);
else { process.stderr.write(`fake ip: unsupported: ${argv.join(' ')}\n`); process.exitCode = 1; }
