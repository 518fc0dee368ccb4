// `labgen list` with odd entries in ./labs: each is one INVALID row with its reason, the rest are listed, no hang.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LabSummary } from '../../src/commands/list.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/render.js';

test('a directory named x.yaml, a dangling symlink, an undefined alias, a FIFO, a huge file: each INVALID with its reason', async (t) => {
  const dir = tempDir('labgen-list-');
  const labs = join(dir, 'labs');
  mkdirSync(labs);
  copyFileSync(join(ROOT, 'labs', 'flannel-4node.yaml'), join(labs, 'good-local.yaml'));
  mkdirSync(join(labs, 'adir.yaml'));
  symlinkSync(join(dir, 'missing.yaml'), join(labs, 'dangling.yaml'));
  writeFileSync(join(labs, 'alias.yaml'), 'name: *nowhere\n');
  writeFileSync(join(labs, 'huge.yaml'), `# ${'x'.repeat(300 * 1024)}\n`);
  writeFileSync(join(labs, '\u001b[2Jevil.yaml'), 'name: x\n');
  let fifo = true;
  try { execFileSync('mkfifo', [join(labs, 'pipe.yaml')]); } catch {
    if (process.env.CI === 'true') throw new Error('mkfifo is missing');
    fifo = false;
    t.diagnostic('no mkfifo here: the FIFO entry is not tested');
  }
  const before = process.cwd();
  process.chdir(dir);
  try {
    const json = await runCli(['list', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as LabSummary[];
    const by = new Map(rows.map((r) => [r.name, r]));
    assert.equal(by.get('good-local')?.valid, true);
    assert.equal(by.get('calico-4node')?.valid, true, 'the shipped labs are still listed');
    assert.match(by.get('adir')?.reason ?? '', /it is a directory, not a lab file/);
    assert.match(by.get('dangling')?.reason ?? '', /symbolic link to a file that does not exist/);
    assert.match(by.get('alias')?.reason ?? '', /line 1.*alias \*nowhere refers to no anchor/);
    assert.match(by.get('huge')?.reason ?? '', /at most 262,144 bytes/);
    if (fifo) assert.match(by.get('pipe')?.reason ?? '', /it is a FIFO \(named pipe\), not a lab file/);
    for (const n of ['adir', 'dangling', 'alias', 'huge']) assert.equal(by.get(n)?.valid, false, n);

    const text = await runCli(['list']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^adir\s.*INVALID: it is a directory, not a lab file; details: labgen validate /m);
    assert.match(text.stdout, /^alias\s.*INVALID \(1 problem\): \(document\) \(line 1\): YAML: alias \*nowhere/m);
    assert.match(text.stdout, /^good-local\s+4\s/m);
    // A file name that is an escape sequence is shown escaped, never sent to the terminal.
    assert.match(text.stdout, /\\u001b\[2Jevil/);
    assert.doesNotMatch(text.stdout, /\u001b/);
    assert.doesNotMatch(`${text.stderr}${json.stderr}`, /internal error|\n\s+at /);
  } finally { process.chdir(before); }
});
