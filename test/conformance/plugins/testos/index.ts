// A fourth OS family, registered by the conformance test only (test/conformance/conformance.test.ts, through
// registriesOf): one folder, its base script from its own templates/ beside this file, as a shipped family's.
import { closedObject } from '../../../../src/lab/json-schema.js';
import type { OsFamily } from '../../../../src/os/types.js';
import { templatesBeside } from '../../../../src/render/templates-dir.js';
import { ubuntu } from '../../../../src/os/ubuntu/index.js';
import { testprov } from '../testprov/index.js';

/** The settings of an apt family (borrowed), its own name, boxes (one for testprov too), options, settings and base script. */
export const testos: OsFamily = {
  ...ubuntu,
  name: 'testos',
  description: 'an OS family registered by the conformance test only',
  templatesDir: templatesBeside(import.meta.url),
  baseTemplate: 'base.sh.hbs',
  boxes: Object.fromEntries([...Object.keys(ubuntu.boxes), testprov.name].map((p) => [p, { ...(ubuntu.boxes[p] ?? Object.values(ubuntu.boxes)[0]!), box: 'labgen-test/testos', version: '1.0.0' }])),
  optionsSchema: closedObject({ motd: { type: 'string', pattern: '^[a-z]{1,20}$', default: 'hello', description: 'a word' } }),
  resolveOptions: (o) => ({ motd: 'hello', ...(o ?? {}) }),
  envVars: (lab) => ({ TESTOS_MOTD: String(lab.os.options?.motd) }),
};
