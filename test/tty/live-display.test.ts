// The live display as a user sees it: labgen in a real pseudo-terminal (tmux) against the fake vagrant and kubectl,
// the screen read with capture-pane at several widths.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fakeHost, type FakeHost } from '../fakes/fake-bin.js';
import { requireTool } from '../helpers/tools.js';
import { TmuxPane } from './tmux.js';

// Slow enough that each phase is on screen for several captures.
const SLOW = JSON.stringify({ default: { import: 500, clone: 300, boot: 600, step: 60 } });
const ORDER = ['starting vagrant', 'importing box', 'booting', 'booted', 'provisioning', 'provisioned'];

function env(h: FakeHost, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...h.env({ FAKE_VAGRANT_MS: SLOW, FAKE_KUBECTL_READY_AFTER: '3', ...extra }), LANG: 'C.UTF-8' };
}

async function inTmux(t: TestContext, h: FakeHost, argv: string[], width: number, extra: NodeJS.ProcessEnv = {}): Promise<{ screens: string[]; code: number; all: string }> {
  mkdirSync(join(h.root, 'tmux'), { recursive: true });
  const pane = new TmuxPane(join(h.root, 'tmux'), argv, { env: env(h, extra), cwd: h.work, width, height: 60 });
  t.after(() => pane.close());
  const r = await pane.watch(100, 120_000);
  return { ...r, all: pane.history() };
}

/** The phase words a node's line showed, in the order the screens showed them (repeats collapsed). */
function phasesOf(screens: string[], node: string): string[] {
  const seen: string[] = [];
  const re = new RegExp(`^\\s+\\S ${node}\\s+(${[...ORDER].sort((a, b) => b.length - a.length).join('|')})\\b`, 'm');
  for (const s of screens) {
    const m = re.exec(s);
    if (m && seen.at(-1) !== m[1]) seen.push(m[1]!);
  }
  return seen;
}

test('create in a terminal: phases in the order they happen, timers that stop, the Ready wait with a spinner', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const { screens, code, all } = await inTmux(t, h, ['create', 'flannel-4node', '--out', dir, '--skip-doctor', '--poll-interval', '200ms'], 100);
  assert.equal(code, 0, all);
  for (const node of ['master', 'worker1']) {
    const seen = phasesOf(screens, node);
    const idx = seen.map((p) => ORDER.indexOf(p));
    assert.deepEqual(idx, [...idx].sort((a, b) => a - b), `${node}'s phases appear in the order they happen: ${seen.join(' > ')}`);
    assert.ok(seen.includes('booting') && seen.includes('provisioning') && seen.at(-1) === 'provisioned', `${node}: ${seen.join(' > ')}`);
  }
  assert.ok(phasesOf(screens, 'master').includes('importing box'), 'the control plane imports the box before booting');
  assert.doesNotMatch(all, /booting (starting|booted)/, 'no phase word glued to another');
  assert.doesNotMatch(all, /^\s+\S (master|worker\d)\s+ready\b/m, '"ready" is never used for provisioned');
  // The Ready wait: a spinner frame, the row, its elapsed time, and what is not Ready yet.
  assert.ok(screens.some((s) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting until the cluster is Ready .*\(\d+s\)$/m.test(s) && /^\s+[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] cluster\s+waiting for Ready .*\(\d+ not yet: .*\(\d+s\)$/m.test(s)),
    'a screen showed the Ready wait spinning with its elapsed time');
  assert.match(all, /^\s+✔ cluster\s+Ready\s+\(\d+s\)$/m);
  // A finished node's time stops: the final line of each node equals what "Times:" prints for it.
  for (const node of ['master', 'worker1', 'worker2', 'worker3']) {
    const final = new RegExp(`^\\s+✔ ${node}\\s+provisioned\\s+\\((\\S+)\\)$`, 'm').exec(all)?.[1];
    const times = new RegExp(`^\\s+${node}: (\\S+) \\(`, 'm').exec(all)?.[1];
    assert.ok(final && times, `${node}: final line and Times: line\n${all}`);
    assert.equal(final, times, `${node}: the display's final time equals the summary's`);
  }
  // Resuming: every node is up, nothing runs; "already up" carries no time (it used to show the time since 1970).
  const again = await inTmux(t, h, ['create', 'flannel-4node', '--out', dir, '--skip-doctor', '--poll-interval', '200ms'], 160);
  assert.equal(again.code, 0, again.all);
  for (const node of ['master', 'worker1', 'worker2', 'worker3']) assert.match(again.all, new RegExp(`^\\s+✔ ${node}\\s+already up \\(running, provisioned earlier\\)$`, 'm'));
  assert.doesNotMatch(again.all, /already up.*\(\d/);
  // Nothing above the spinner was erased by its redraws (ora miscounting a line that reaches the last columns).
  assert.match(again.all, /^Rendered flannel-4node /m);
  assert.match(all, /^Rendered flannel-4node /m);
});

test('a provisioning failure in a terminal names the node and the step, in plain words', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const h = fakeHost();
  const dir = join(h.work, 'lab');
  const { code, all } = await inTmux(t, h, ['create', 'flannel-4node', '--out', dir, '--skip-doctor'], 80, { FAKE_VAGRANT_FAIL: 'worker1:kubeadm-join' });
  assert.equal(code, 1, all);
  assert.match(all, /^\s+✖ worker1\s+FAILED at kubeadm-join\s+\(\d+s\)$/m);
  assert.match(all, /^labgen: kubeadm-join failed on worker1 \(full log: \S+\/logs\/worker1\.log\)$/m);
  assert.doesNotMatch(all, /at vagrant up/);
});

test('--help wraps between words at 80, 100 and 160 columns', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const h = fakeHost([]);
  const words = new Map<number, Set<string>>();
  for (const width of [80, 100, 160, 250]) {
    const { code, all } = await inTmux(t, h, ['create', '--help'], width);
    assert.equal(code, 0, all);
    const lines = all.split('\n').filter((l) => !l.startsWith('__LABGEN_EXIT='));
    assert.ok(lines.every((l) => l.length <= width));
    words.set(width, new Set(lines.join(' ').split(/\s+/).filter(Boolean)));
  }
  // A word cut at the margin leaves fragments ("th" + "e") that no other width shows: every width shows the same words.
  const wide = words.get(250)!;
  for (const width of [80, 100, 160]) {
    const w = words.get(width)!;
    assert.deepEqual([...w].filter((x) => !wide.has(x)), [], `words at ${width} columns that are not words`);
    assert.deepEqual([...wide].filter((x) => !w.has(x)), [], `words missing at ${width} columns`);
  }
});
