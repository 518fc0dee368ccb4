// The graph module's public face, for the graph command, render/create and verify.
export type { CapturePoint, CapturePointName, GraphOverlay, Layout, PodSlice, TextBox } from './types.js';
export { layoutLab, MAX_NODES_PER_ROW } from './layout.js';
export { toSvg, escapeXml } from './svg.js';
export { toMermaid, escapeMermaid } from './mermaid.js';
export { checkOverlay } from './overlay.js';
export { graphFiles, TOPOLOGY_SVG } from './files.js';
export { labReadme } from './lab-readme.js';

import type { ResolvedLab } from '../lab/types.js';
import { layoutLab } from './layout.js';
import { toSvg } from './svg.js';
import type { GraphOverlay } from './types.js';

/** One call for verify: the SVG of a lab with what a run saw. */
export function labSvg(lab: ResolvedLab, overlay?: GraphOverlay): string { return toSvg(layoutLab(lab, overlay)); }
