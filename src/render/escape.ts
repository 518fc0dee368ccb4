// Context-aware escaping: every lab value reaches Ruby, shell or YAML through one of these, never raw.

/** A Ruby single-quoted string literal: only `\` and `'` are special inside, so `#{...}` stays text. */
export function rubyString(value: string): string {
  assertNoControl(value, 'Ruby string');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A POSIX shell word in single quotes: nothing inside is expanded (`$(...)`, backticks, globs). */
export function shellWord(value: string): string {
  assertNoControl(value, 'shell word');
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML); never a bare scalar that YAML could re-type. */
export function yamlScalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A number for any context; throws on anything that is not a finite number. */
export function numberLiteral(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return String(value);
}

function assertNoControl(value: string, where: string): void {
  // The schema already rejects these; this is the second line of defence at the point of use.
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${typeof value}`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Error(`${where}: control characters are not allowed: ${JSON.stringify(value)}`);
}
