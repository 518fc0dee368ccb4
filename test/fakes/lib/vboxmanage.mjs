// A fake `VBoxManage` for labgen's tests: `--version` prints FAKE_VBOX_VERSION (default 7.1.4r165100).
import { record } from './common.mjs';

const argv = process.argv.slice(2);
record('VBoxManage', argv);
if (argv[0] === '--version' || argv[0] === '-v') process.stdout.write(`${process.env.FAKE_VBOX_VERSION ?? '7.1.4r165100'}\n`);
else if (argv[0] === 'list' && argv[1] === 'hostonlyifs') process.stdout.write('');
else { process.stderr.write(`fake VBoxManage: unsupported: ${argv.join(' ')}\n`); process.exitCode = 1; }
