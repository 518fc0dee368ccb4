// The files labgen adds to every rendered lab: the topology picture and the README that embeds it.
import type { ResolvedLab } from '../lab/types.js';
import type { RenderedFile } from '../render/types.js';
import { labReadme } from './lab-readme.js';
import { layoutLab } from './layout.js';
import { toSvg } from './svg.js';

/** File name of the picture in a lab directory. */
export const TOPOLOGY_SVG = 'topology.svg';

/** ExtraRenderer for render/create: topology.svg and README.md. */
export function graphFiles(lab: ResolvedLab, labgen = 'labgen'): RenderedFile[] {
  return [
    { path: TOPOLOGY_SVG, content: toSvg(layoutLab(lab)), mode: 0o644 },
    { path: 'README.md', content: labReadme(lab, TOPOLOGY_SVG, labgen), mode: 0o644 },
  ];
}
