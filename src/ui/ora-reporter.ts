// Progress on a terminal: one ora spinner whose text holds a live line per node, each with its own spinner frame
// while it works and a mark when it is done, with elapsed times.
import ora, { type Ora } from 'ora';
import { statusLine, type NodeStatus, type Reporter } from './reporter.js';

const SYMBOL: Partial<Record<NodeStatus['phase'], string>> = { done: '✔', skipped: '✔', stopped: '✔', failed: '✖', interrupted: '■', waiting: '·' };
/** Frames of the per-node spinners (ora's default "dots"), advanced from the clock so every node spins on its own. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/** A reporter drawing on the given terminal stream; lines persist above the spinner through note(). */
export function oraReporter(stream: NodeJS.WriteStream, now: () => number): Reporter {
  let spinner: Ora | undefined;
  let title = '';
  let t0 = now();
  let timer: NodeJS.Timeout | undefined;
  const nodes = new Map<string, NodeStatus>();
  const text = () => {
    const width = Math.max(0, ...[...nodes.keys()].map((n) => n.length));
    const frame = FRAMES[Math.floor(now() / FRAME_MS) % FRAMES.length];
    const lines = [...nodes.values()].map((s) => `  ${SYMBOL[s.phase] ?? frame} ${statusLine(s, now(), width)}`);
    return [`${title} (${Math.round((now() - t0) / 1000)}s)`, ...lines].join('\n');
  };
  return {
    begin(t, names) {
      title = t; t0 = now(); nodes.clear();
      for (const n of names) nodes.set(n, { name: n, phase: 'waiting', detail: '', since: t0, started: t0 });
      spinner = ora({ text: text(), stream, discardStdin: false, hideCursor: true }).start();
      timer = setInterval(() => { if (spinner) spinner.text = text(); }, FRAME_MS);
      timer.unref();
    },
    node(s) { nodes.set(s.name, s); if (spinner) spinner.text = text(); },
    note(line) {
      if (spinner?.isSpinning) { spinner.clear(); stream.write(`${line}\n`); spinner.render(); } else stream.write(`${line}\n`);
    },
    end(summary, ok) {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (!spinner) return;
      spinner.text = text();
      if (ok) spinner.succeed(`${text()}\n${summary}`); else spinner.fail(`${text()}\n${summary}`);
      spinner = undefined;
    },
  };
}
