// Snapshot names a user gives labgen: they reach `vagrant snapshot` command lines, the hypervisors' snapshot stores and
// XML that one provider's Vagrant plugin builds with the name interpolated unescaped (see src/providers/*/index.ts
// snapshot). So only a short, plain name is accepted.
import { InvalidInputError } from '../errors.js';

/** The snapshot `create --snapshot` takes right after Ready, and the default NAME of save and restore. */
export const FRESH_SNAPSHOT = 'labgen-fresh';

/** 1-32 characters: letters, digits, `.`, `_`, `-`, starting with a letter or digit (never read as an option). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** What a valid name looks like, for help texts and errors. */
export const SNAPSHOT_NAME_RULE = '1-32 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** The name, or InvalidInputError (exit 2) naming the NAME argument and the fix; nothing has run yet when it throws. */
export function checkSnapshotName(name: unknown): string {
  const s = typeof name === 'string' ? name : String(name ?? '');
  if (NAME.test(s)) return s;
  const why = s === '' ? 'is empty'
    : s.length > 32 ? `is ${s.length} characters long (at most 32)`
      : /^[-.]/.test(s) ? 'starts with "-" or "." (it would be read as an option or hidden)'
        : 'holds characters outside letters, digits, ".", "_" and "-"';
  throw new InvalidInputError('the command line', [{
    path: 'NAME',
    message: `the snapshot name ${JSON.stringify(s)} ${why}`,
    fix: `use ${SNAPSHOT_NAME_RULE}, e.g. ${FRESH_SNAPSHOT} or before-upgrade`,
  }]);
}
