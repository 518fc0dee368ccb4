// The steps every lab command shares: find, parse, override, check, resolve. Throws InvalidInputError (exit 2).
import { InvalidInputError } from '../errors.js';
import { findLab, readLabText } from '../lab/load.js';
import { applyOverrides, type LabOverrides } from '../lab/overrides.js';
import { checkLab, parseLab } from '../lab/parse.js';
import { resolveLab } from '../lab/resolve.js';
import type { LabDefinition, ResolvedLab } from '../lab/types.js';
import type { Registries } from '../registries.js';

/** A lab ready to render. */
export interface PreparedLab { path: string; def: LabDefinition; lab: ResolvedLab; notices: string[] }

/** Loads a lab by name or path, applies overrides and resolves it; every problem is reported at once. */
export function prepareLab(ref: string, overrides: LabOverrides, reg: Registries): PreparedLab {
  const path = findLab(ref);
  const parsed = parseLab(readLabText(path), reg);
  if (!parsed.lab) throw new InvalidInputError(path, parsed.problems);
  const { def, notices } = applyOverrides(parsed.lab, overrides, reg);
  const checked = checkLab(def, reg);
  if (!checked.lab) {
    const flags = Object.entries(overrides).filter(([, v]) => v !== undefined).map(([k, v]) => `--${k} ${String(v)}`).join(' ');
    throw new InvalidInputError(`${path} with ${flags}`, checked.problems);
  }
  return { path, def, lab: resolveLab(checked.lab, reg), notices };
}
