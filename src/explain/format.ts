// Pure: the explanation as text lines, hop by hop, each fact followed by the command that said it.
import type { Explanation } from './explain.js';

/** Text lines of an explanation (verify and demo print the same). */
export function formatExplanation(e: Explanation): string[] {
  const out: string[] = [`How the packet travels (${e.scenario}), from the kernel's own state:`];
  e.hops.forEach((h, i) => {
    out.push('', `${i + 1}. ${h.title} - ${h.where}`);
    for (const f of h.facts) out.push(`     ${f.text}`, `       [${f.from}]`);
    if (h.point) out.push(`   ${h.point} captured: ${h.seen ?? 'no capture'}`);
    for (const p of h.problems) out.push(`   ! ${p}`);
  });
  if (e.path.length) out.push('', `Devices on the path: ${e.path.map((d) => `${d.device}${d.mtu ? `(${d.mtu})` : ''}`).join(' -> ')}`);
  if (e.missing.length) {
    out.push('', 'State that could not be read (not guessed):');
    for (const m of e.missing) out.push(`   ? ${m.where}: ${m.command}: ${m.error}`);
  }
  return out;
}
