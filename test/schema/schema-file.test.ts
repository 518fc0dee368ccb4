// The committed labs/lab.schema.json (for editors) must be exactly what validation uses: no drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/lab/load.js';
import { schemaText } from '../../scripts/write-schema.js';

test('labs/lab.schema.json equals the schema built from the registries (npm run schema refreshes it)', () => {
  const committed = readFileSync(join(packageRoot(), 'labs', 'lab.schema.json'), 'utf8');
  assert.equal(committed, schemaText(), 'labs/lab.schema.json is stale: run npm run schema');
  const schema = JSON.parse(committed) as { properties: { cni: { properties: { plugin: { enum: string[] } } } } };
  assert.deepEqual(schema.properties.cni.properties.plugin.enum, ['flannel', 'calico']);
});
