/**
 * Generates `schema/fleet.schema.json`, the JSON Schema of a fleet document, from the TypeScript type
 * `FleetSpec` with ts-json-schema-generator: the YAML spec and the TypeScript API share one source of
 * truth. Interfaces are closed (`additionalProperties: false`), so editors flag misspelt keys. `--check`
 * fails when the committed schema is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'schema', 'fleet.schema.json');

export function renderFleetSchema(): string {
  const schema = createGenerator({
    path: path.join(ROOT, 'src/core/fleet/fleet-spec.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    type: 'FleetSpec',
    additionalProperties: false,
    skipTypeCheck: true,
    jsDoc: 'extended',
    sortProps: true,
    expose: 'export',
    discriminatorType: 'json-schema',
  }).createSchema('FleetSpec');
  describeComputedDefaults(schema);
  const published = {
    $id: 'https://tokenscale.io/schema/fleet.schema.json',
    title: 'tokenscale fleet',
    description: 'A fleet of LLM inference services, their scalers, GPU pools and compliance envelope (kind: Fleet).',
    ...schema,
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}

/**
 * `@default - prose` tags describe a computed default, not a value: they move into the description, so an
 * editor never offers the prose as a value. Literal defaults (`@default 'keda'`, `@default 5`) stay.
 */
function describeComputedDefaults(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(describeComputedDefaults);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const value = record.default;
  if (typeof value === 'string' && (value.startsWith('- ') || value.startsWith('{'))) {
    delete record.default;
    const prose = value.startsWith('- ') ? value.slice(2) : value;
    record.description = `${record.description ? `${String(record.description)} ` : ''}Default: ${prose}.`.replace(/\.\.$/, '.');
  }
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'default') describeComputedDefaults(child);
  }
}

function main(): void {
  const text = renderFleetSchema();
  if (process.argv.includes('--check')) {
    if (!fs.existsSync(OUT) || fs.readFileSync(OUT, 'utf8') !== text) {
      console.error('schema/fleet.schema.json is stale: run `npm run docgen` and commit it.');
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
}

if (require.main === module) main();
