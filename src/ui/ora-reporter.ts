// Progress on a terminal: one ora spinner whose text holds a live line per node, each with its own spinner frame
// while it works and a mark when it is done, with elapsed times.
import ora, { type Ora } from 'ora';
import { escapeTerminal } from './escape.js';
import { formatDuration, statusLine, type NodeStatus, type Reporter } from './reporter.js';

const SYMBOL: Partial<Record<NodeStatus['phase'], string>> = { done: '✔', skipped: '✔', ready: '✔', stopped: '✔', saved: '✔', restored: '✔', deleted: '✔', failed: '✖', interrupted: '■', waiting: '·' };
/** Frames of the per-node spinners (ora's default "dots"), advanced from the clock so every node spins on its own. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/** Text shortened with `…` to at most max characters. */
function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A reporter drawing on the given terminal stream; lines persist above the spinner through note(). */
export function oraReporter(stream: NodeJS.WriteStream, now: () => number): Reporter {
  let spinner: Ora | undefined;
  let title = '';
  let t0 = now();
  let timer: NodeJS.Timeout | undefined;
  let ended: number | undefined;
  const nodes = new Map<string, NodeStatus>();
  const text = () => {
    const width = Math.max(0, ...[...nodes.keys()].map((n) => n.length));
    const frame = FRAMES[Math.floor(now() / FRAME_MS) % FRAMES.length];
    // Lines never wrap: ora erases the previous frame by counting the lines it thinks it drew, and it counts two
    // characters more than each line has (ora 8's updateLineCount measures `--${text}--`). A line that reaches the last
    // columns is counted twice and every redraw then erases one line of the output above the spinner.
    const columns = stream.columns ?? 80;
    const lines = [...nodes.values()].map((s) => `  ${SYMBOL[s.phase] ?? frame} ${statusLine(s, now(), width, Math.max(20, columns - 4 - 3))}`);
    const time = ` (${formatDuration((ended ?? now()) - t0)})`;
    return [`${fit(escapeTerminal(title), columns - 2 - 3 - time.length)}${time}`, ...lines].join('\n');
  };
  return {
    begin(t, names) {
      title = t; t0 = now(); ended = undefined; nodes.clear();
      for (const n of names) nodes.set(n, { name: n, phase: 'waiting', detail: '', since: t0, started: t0 });
      spinner = ora({ text: text(), stream, discardStdin: false, hideCursor: true }).start();
      timer = setInterval(() => { if (spinner) spinner.text = text(); }, FRAME_MS);
      timer.unref();
    },
    node(s) { nodes.set(s.name, s); if (spinner) spinner.text = text(); },
    note(line) {
      const l = escapeTerminal(line);
      if (spinner?.isSpinning) { spinner.clear(); stream.write(`${l}\n`); spinner.render(); } else stream.write(`${l}\n`);
    },
    end(summary, ok) {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (!spinner) return;
      ended = now();
      spinner.text = text();
      if (ok) spinner.succeed(`${text()}\n${escapeTerminal(summary)}`); else spinner.fail(`${text()}\n${escapeTerminal(summary)}`);
      spinner = undefined;
    },
  };
}
