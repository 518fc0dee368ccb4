// verify's captures and ping, end to end on the fake vagrant/kubectl (test/fakes/verify): the capture commands really
// run there (fake guest sudo and tcpdump, the node's /tmp/ moved into the test's state directory), so stopping by pid,
// waiting for "listening on", fetching and removing are exercised as verify sends them. No network is touched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { realClock } from '../../src/host/clock.js';
import { readLabDir } from '../../src/io/lab-dir.js';
import { packageRoot } from '../../src/lab/load.js';
import { Registry } from '../../src/registry.js';
import { defaultRegistries } from '../../src/registries.js';
import { createEngine } from '../../src/render/engine.js';
import { execaRunner } from '../../src/host/real-process.js';
import { hostVerifyDeps } from '../../src/verify/host-deps.js';
import type { RunReport } from '../../src/verify/report.js';
import { runVerify } from '../../src/verify/run-verify.js';
import { fakeProbe } from '../fakes/run-labgen.js';

const root = packageRoot();
const fakes = join(root, 'test', 'fakes', 'verify');
const fixtures = join(root, 'test', 'fixtures', 'pcap', 'flannel-vxlan');
const scratch = mkdtempSync(join(tmpdir(), 'labgen-verify-captures-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Ctx { ctx: CommandContext; out: string[]; err: string[] }
function context(env: NodeJS.ProcessEnv, over: Partial<CommandContext> = {}): Ctx {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { reg: defaultRegistries(), output: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, extraRenderers: [], env, ...over }, out, err };
}

let n = 0;
/** A rendered flannel lab that pretends to run (a kubeconfig), and a fresh state directory for the fakes. */
async function lab(over: Partial<CommandContext> = {}): Promise<{ dir: string; state: string; env: (extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv }> {
  const dir = join(scratch, `lab${++n}`);
  const state = join(scratch, `state${n}`);
  mkdirSync(state);
  const r = context({ PATH: `${fakes}:/usr/bin:/bin` }, over);
  assert.equal(await main(['render', 'flannel-4node', '--out', dir], r.ctx), 0, r.err.join('\n'));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n', { mode: 0o600 });
  return { dir, state, env: (extra = {}) => ({ PATH: `${fakes}:/usr/bin:/bin`, FAKE_STATE: state, FAKE_CAPTURES: fixtures, ...extra }) };
}

const runDirs = (dir: string) => (existsSync(join(dir, 'captures')) ? readdirSync(join(dir, 'captures')).sort() : []);
const report = (dir: string, run: string) => JSON.parse(readFileSync(join(dir, 'captures', run, 'verify.json'), 'utf8')) as RunReport & { pingResult: { transmitted: number; received: number; lossPercent: number; rtt?: { min: number; avg: number; max: number } } };
const events = (state: string) => (existsSync(join(state, 'events')) ? readFileSync(join(state, 'events'), 'utf8').trim().split('\n') : []);
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('another run\'s capture on the same node survives: verify stops its own tcpdumps by pid (never pkill -f) and removes only its own files', async () => {
  const l = await lab();
  // Another run's capture: a tcpdump whose command line matches the old pattern 'tcpdump .*labgen-capture', and its files.
  const remote = join(l.state, 'remote');
  const otherState = join(l.state, 'other');
  mkdirSync(otherState, { recursive: true });
  mkdirSync(remote, { recursive: true });
  const other = join(remote, 'labgen-capture-feedfacefeedface-B');
  for (const ext of ['pid', 'log']) writeFileSync(`${other}.${ext}`, 'theirs\n');
  const decoy = spawn(join(fakes, 'guest', 'tcpdump'), ['-i', 'enp0s8', '-w', `${other}.pcap`], { env: { PATH: '/usr/bin:/bin', FAKE_STATE: otherState, FAKE_CAPTURES: fixtures, FAKE_TCPDUMP_SECONDS: '60' }, stdio: 'ignore' });
  try {
    while (!existsSync(`${other}.pcap`)) await new Promise((res) => setTimeout(res, 20));
    const v = context(l.env());
    assert.equal(await main(['verify', l.dir, '--json'], v.ctx), 0, v.err.join('\n'));
    assert.equal(existsSync(join(l.state, 'pkill.log')), false, `no pattern kill was sent: ${existsSync(join(l.state, 'pkill.log')) ? readFileSync(join(l.state, 'pkill.log'), 'utf8') : ''}`);
    assert.ok(alive(decoy.pid!), 'the other run\'s tcpdump is still running');
    const ssh = readFileSync(join(l.state, 'ssh.log'), 'utf8');
    const token = /labgen-capture-([0-9a-f]{16})-A\.pcap/.exec(ssh)?.[1];
    assert.ok(token, 'the remote paths carry the run\'s token');
    assert.match(ssh, new RegExp(`sudo kill -INT "\\$pid"`), 'captures are stopped by the pid in their pid file');
    for (const p of ['A', 'B', 'C', 'D']) {
      assert.match(ssh, new RegExp(`cat /tmp/labgen-capture-${token}-${p}\\.pid`));
      const pid = Number(readFileSync(join(l.state, `pid-${p}`), 'utf8'));
      assert.equal(alive(pid), false, `this run's capture ${p} (pid ${pid}) was stopped`);
      assert.ok(events(l.state).includes(`stopped ${p}`), `capture ${p} got its SIGINT`);
    }
    // Only the other run's files are left on the "nodes".
    assert.deepEqual(readdirSync(remote).sort(), ['labgen-capture-feedfacefeedface-B.log', 'labgen-capture-feedfacefeedface-B.pcap', 'labgen-capture-feedfacefeedface-B.pid']);
    assert.deepEqual(readFileSync(join(l.dir, 'captures', runDirs(l.dir)[0]!, 'B.pcap')), readFileSync(join(fixtures, 'B.pcap')));
  } finally {
    decoy.kill('SIGKILL');
  }
});

test('the ping starts only after every tcpdump said "listening on" (no fixed sleep), however long they take', async () => {
  const l = await lab();
  const v = context(l.env({ FAKE_LISTEN_DELAY: '4' }));
  assert.equal(await main(['verify', l.dir, '--json'], v.ctx), 0, v.err.join('\n'));
  const ev = events(l.state);
  const ping = ev.indexOf('ping');
  assert.ok(ping >= 0, `the ping ran: ${ev.join(', ')}`);
  for (const p of ['A', 'B', 'C', 'D']) {
    const at = ev.indexOf(`listening ${p}`);
    assert.ok(at >= 0 && at < ping, `capture ${p} listened before the ping: ${ev.join(', ')}`);
  }
});

test('a tcpdump that fails to start: exit 1 naming the node and the point with tcpdump\'s own message; no ping, the other captures stopped', async () => {
  const l = await lab();
  const v = context(l.env({ FAKE_TCPDUMP_FAILS: 'C' }));
  assert.equal(await main(['verify', l.dir], v.ctx), 1, v.err.join('\n'));
  const err = v.err.join('\n');
  assert.match(err, /verify: start capture C \(tcpdump on enp0s8\) failed on worker2/);
  assert.match(err, /No such device exists/);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  assert.equal(events(l.state).includes('ping'), false, 'nothing was pinged');
  for (const p of ['A', 'B', 'D']) assert.equal(alive(Number(readFileSync(join(l.state, `pid-${p}`), 'utf8'))), false, `capture ${p} was stopped`);
  assert.ok(existsSync(join(l.state, 'deleted')), 'the workload is removed');
  assert.deepEqual(readdirSync(join(l.state, 'remote')), [], 'the run\'s remote files are removed');
});

test('a tcpdump that never says it listens: a bounded wait, then an error naming the node and the point', async () => {
  const l = await lab();
  const { lab: resolved } = readLabDir(l.dir, defaultRegistries());
  const runDir = join(scratch, `run-never-${n}`);
  const lines: string[] = [];
  const deps = hostVerifyDeps(execaRunner(l.env({ FAKE_NEVER_LISTENS: 'D' })), realClock, l.dir, runDir, (x) => lines.push(x));
  await assert.rejects(runVerify(resolved, createEngine().shared, deps, { pings: 2, keep: false, rolloutTimeoutSeconds: 10, captureSeconds: 60, listenTimeoutMs: 1000 }),
    (e: Error & { detail?: string }) => {
      assert.match(e.message, /verify: start capture D \(tcpdump on vethworker27\) failed on worker2/);
      assert.match(e.detail ?? '', /did not report "listening on vethworker27" within 1 s; still waiting: D/);
      return true;
    });
  assert.equal(events(l.state).includes('ping'), false, 'nothing was pinged');
  assert.equal(alive(Number(readFileSync(join(l.state, 'pid-D'), 'utf8'))), false, 'the silent capture was stopped');
});

test('the ping\'s own result is kept in verify.json and judged: sent, received, loss, rtt; lost replies fail the run', async () => {
  const l = await lab();
  const v = context(l.env());
  assert.equal(await main(['verify', l.dir, '--pings', '4'], v.ctx), 0, v.err.join('\n'));
  const good = report(l.dir, runDirs(l.dir)[0]!);
  assert.deepEqual(good.pingResult, { kind: 'icmp', transmitted: 4, received: 4, lossPercent: 0, rtt: { min: 0.9, avg: 0.92, max: 0.93 } });
  assert.equal(good.verdict.ping?.ok, true);
  assert.match(v.out.join('\n'), /Ping: 4 echo requests sent, 4 replies, 0% loss, rtt min\/avg\/max 0\.9\/0\.92\/0\.93 ms {2}\[as expected\]/);

  for (const [received, problem] of [['2', /2 of 4 echo requests unanswered \(50% loss\)/], ['0', /none of the 4 echo requests was answered/]] as const) {
    const w = context(l.env({ FAKE_PING_RECEIVED: received }));
    const before = runDirs(l.dir);
    assert.equal(await main(['verify', l.dir, '--pings', '4'], w.ctx), 1, w.err.join('\n'));
    const run = runDirs(l.dir).find((d) => !before.includes(d))!;
    const bad = report(l.dir, run);
    assert.equal(bad.pingResult.transmitted, 4, 'the summary is read even when ping exits 1');
    assert.equal(bad.pingResult.received, Number(received));
    assert.equal(bad.verdict.ok, false);
    assert.match(bad.verdict.ping!.problems.join('\n'), problem);
    assert.ok(bad.verdict.points.every((p) => p.ok), 'the captures themselves are fine: the ping alone fails the run');
    assert.match(w.out.join('\n'), /Ping: .*\[UNEXPECTED\]/);
  }
});

test('one unreadable capture keeps the others: its point fails naming the file, the run directory and verify.json stay', async () => {
  const l = await lab();
  const caps = join(scratch, `caps-${n}`);
  cpSync(fixtures, caps, { recursive: true });
  writeFileSync(join(caps, 'B.pcap'), 'this is not a capture file\n');
  const v = context(l.env({ FAKE_CAPTURES: caps }));
  assert.equal(await main(['verify', l.dir], v.ctx), 1, v.err.join('\n'));
  const [run] = runDirs(l.dir);
  assert.ok(run, 'the run directory is kept');
  const dir = join(l.dir, 'captures', run!);
  for (const p of ['A', 'C', 'D']) assert.deepEqual(readFileSync(join(dir, `${p}.pcap`)), readFileSync(join(fixtures, `${p}.pcap`)), `${p}.pcap is kept`);
  const rep = report(l.dir, run!);
  assert.match(rep.unreadable?.B ?? '', new RegExp(`capture ${join(dir, 'B.pcap').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} could not be read`));
  const b = rep.verdict.points.find((p) => p.point === 'B')!;
  assert.equal(b.ok, false);
  assert.match(b.problems[0]!, /B\.pcap could not be read/);
  assert.deepEqual(rep.verdict.points.filter((p) => p.ok).map((p) => p.point), ['A', 'C', 'D'], 'the other points are judged as usual');
  assert.match(v.out.join('\n'), /B: enp0s8 on worker1 {2}\[UNEXPECTED\]\n[^]*! capture .*B\.pcap could not be read/);
});

test('two runs in the same second get a directory each (created exclusively), neither overwrites the other', async () => {
  const l = await lab();
  const env = l.env();
  const fixed = Date.parse('2026-12-01T10:00:00Z');
  const host = { runner: execaRunner(env), clock: { now: () => fixed, sleep: realClock.sleep }, probe: fakeProbe(), onInterrupt: () => () => {} };
  for (let i = 0; i < 2; i++) {
    const v = context(env, { host });
    assert.equal(await main(['verify', l.dir, '--json'], v.ctx), 0, v.err.join('\n'));
  }
  const runs = runDirs(l.dir);
  assert.equal(runs.length, 2, `two run directories: ${runs.join(', ')}`);
  for (const r of runs) {
    assert.match(r, /^2026-12-01T10-00-00Z-[0-9a-f]{6}$/);
    assert.equal(report(l.dir, r).captures, join(l.dir, 'captures', r), 'each run\'s record names its own directory');
  }
});

test('a lab whose OS family names no package manager: exit 2 with the fix before anything runs, no stack trace', async () => {
  // The lab is rendered and read back with a registry whose el family names none (a family plugin that forgot it).
  const reg = defaultRegistries();
  const os = new Registry('OS family', reg.os.all().map((f) => (f.name === 'el' ? { ...f, packageManager: undefined } : f)));
  const l = await lab({ reg: { ...reg, os } });
  const v = context(l.env(), { reg: { ...reg, os } });
  assert.equal(await main(['verify', l.dir], v.ctx), 2, v.err.join('\n'));
  const err = v.err.join('\n');
  assert.match(err, /verify cannot install tcpdump on flannel-4node's nodes: OS family "el" names no package manager/);
  assert.match(err, /fix: the family's plugin \(src\/os\/el\/\) must set packageManager/);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(join(l.state, 'kubectl.log')), false, 'nothing was deployed');
  assert.deepEqual(runDirs(l.dir), [], 'no run directory is left');
});

test('verify runs as ordered actions through the action runner; after a failing action the clean-up action still runs', async () => {
  const { verifyActions } = await import('../../src/verify/actions.js');
  const order = ['deploy the test workload', 'wait for the test pods', 'pick two pods on different workers', 'find the capture interfaces', 'install tcpdump',
    'start the captures', 'ping', 'stop the captures', 'fetch and read the captures', 'read the kernel state', 'judge the captures', 'clean up'];
  assert.deepEqual(verifyActions().map((a) => [a.name, a.always === true]), order.map((x) => [x, x === 'clean up']));
  const l = await lab();
  const { lab: resolved } = readLabDir(l.dir, defaultRegistries());
  const runDir = join(scratch, `run-actions-${n}`);
  const deps = hostVerifyDeps(execaRunner(l.env({ FAKE_TCPDUMP_FAILS: 'C' })), realClock, l.dir, runDir, () => {});
  let records: readonly { name: string; depth: number; outcome: string; node?: string }[] = [];
  await assert.rejects(runVerify(resolved, createEngine().shared, deps, { pings: 2, keep: false, rolloutTimeoutSeconds: 10, captureSeconds: 60 }, (r) => { records = r; }),
    /verify: start capture C \(tcpdump on enp0s8\) failed on worker2/);
  // The actions up to the failing one ran in order, each timed; ping and the later ones never started; clean-up did.
  assert.deepEqual(records.filter((r) => r.depth === 0).map((r) => `${r.name}:${r.outcome}`), [...order.slice(0, 5).map((x) => `${x}:done`), 'start the captures:failed', 'clean up:done']);
  // The named steps inside them are on the same timeline, under their action (install tcpdump on both nodes).
  assert.deepEqual(records.filter((r) => r.depth === 1 && r.name === 'install tcpdump').map((r) => r.node), ['worker1', 'worker2']);
  assert.equal(events(l.state).includes('ping'), false, 'nothing was pinged');
  assert.ok(existsSync(join(l.state, 'deleted')), 'the clean-up removed the workload');
  assert.deepEqual(readdirSync(join(l.state, 'remote')), [], 'and this run\'s remote files');
});
