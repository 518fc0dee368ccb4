// Writes labs/lab.schema.json (the schema editors use) from the same registries validation uses, so the two never drift.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/lab/load.js';
import { buildLabSchema } from '../src/lab/schema.js';
import { defaultRegistries } from '../src/registries.js';

/** The schema file's text: stable JSON, two-space indented. */
export function schemaText(): string {
  return `${JSON.stringify(buildLabSchema(defaultRegistries()), null, 2)}\n`;
}

/** Writes the schema into labs/. */
export function main(): void {
  const path = join(packageRoot(), 'labs', 'lab.schema.json');
  writeFileSync(path, schemaText());
  console.log(`wrote ${path}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
