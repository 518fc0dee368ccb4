// --json for scripts: a failing command prints exactly one JSON document on stdout with the error (code, message,
// problems with paths, node, step, log path); create's progress comes as JSON lines on stderr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeHost } from '../fakes/fake-bin.js';
import { runLabgen } from '../fakes/run-labgen.js';
import { runCli } from '../helpers/cli.js';
import { labFixture } from '../helpers/paths.js';

interface ErrorDoc { ok: false; error: { code: string; exitCode: number; message: string; problems?: { path: string; message: string }[]; node?: string; step?: string; log?: string; checks?: { name: string; status: string }[] }; [k: string]: unknown }

function one(stdout: string): ErrorDoc {
  const doc = JSON.parse(stdout) as ErrorDoc; // throws unless stdout is exactly one JSON document
  assert.equal(doc.ok, false);
  return doc;
}

test('validate --json on an invalid lab: one document with every problem and its path, exit 2', async () => {
  const r = await runCli(['validate', labFixture('invalid-many-schema-problems'), '--json']);
  assert.equal(r.code, 2);
  const d = one(r.stdout);
  assert.equal(d.error.code, 'invalid-input');
  assert.equal(d.error.exitCode, 2);
  assert.ok(d.error.problems!.length > 1 && d.error.problems!.every((p) => typeof p.path === 'string' && p.message));
  assert.equal(d.valid, false, 'validate keeps its own fields beside the error');
});

test('render --json with an unknown lab, and a usage error: one document each', async () => {
  const r = await runCli(['render', 'no-such-lab', '--json']);
  assert.equal(r.code, 2);
  assert.equal(one(r.stdout).error.code, 'usage');
  const u = await runCli(['render', 'flannel-4node', '--bogus', '--json']);
  assert.equal(u.code, 2);
  assert.equal(one(u.stdout).error.code, 'usage');
});

test('doctor --json with failed checks: one document with the checks and the error', async () => {
  const h = fakeHost(['kubectl', 'ip']);
  const r = await runLabgen(h, ['doctor', 'flannel-4node', '--json']);
  assert.equal(r.code, 1);
  const d = one(r.out);
  assert.equal(d.error.code, 'host-check-failed');
  assert.ok((d.checks as { name: string }[]).some((c) => c.name === 'vagrant'));
});

test('create --json: progress as JSON lines on stderr; a failure is one document naming the node, the step and the log', async () => {
  const h = fakeHost();
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', `${h.work}/lab`, '--json', '--skip-doctor'], { env: { FAKE_VAGRANT_FAIL: 'worker2:kubeadm-join' } });
  assert.equal(r.code, 1);
  const d = one(r.out);
  assert.equal(d.error.code, 'step-failed');
  assert.equal(d.error.node, 'worker2');
  assert.equal(d.error.step, 'kubeadm-join');
  assert.equal(d.error.log, `${h.work}/lab/logs/worker2.log`);
  const events = r.err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; node?: string; phase?: string; detail?: string });
  assert.equal(events[0]!.event, 'begin');
  assert.ok(events.some((e) => e.event === 'node' && e.node === 'master' && e.phase === 'provision' && /step \d+\/\d+ /.test(e.detail ?? '')));
  assert.ok(events.some((e) => e.event === 'node' && e.node === 'worker2' && e.phase === 'failed'));
  assert.equal(events.at(-1)!.event, 'end');
});

test('create --json that succeeds: the result document on stdout, JSON lines of both stages on stderr', async () => {
  const h = fakeHost();
  const r = await runLabgen(h, ['create', 'flannel-4node', '--out', `${h.work}/lab`, '--json', '--skip-doctor', '--poll-interval=50ms']);
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as { ready: boolean }).ready, true);
  const events = r.err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; node?: string; phase?: string });
  assert.ok(events.some((e) => e.node === 'cluster' && e.phase === 'ready'));
});
