/**
 * Reads a fleet document from YAML text: YAML syntax, then the published JSON Schema (unknown keys, wrong
 * types), then the specs' own checks and the fleet's cross-checks. Every problem is reported at once with
 * the file, line and column of the offending node, the field path and the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { formatIssue, SpecIssue, TokenscaleError } from '../errors';
import { fleetIssues } from './fleet-issues';
import type { FleetSpec } from './fleet-spec';

/** Where the published schema lives, in the source tree and in the package. */
export const FLEET_SCHEMA_FILE = path.join(__dirname, '..', '..', '..', 'schema', 'fleet.schema.json');

/** The `$id` editors resolve through the yaml-language-server modeline. */
export const FLEET_SCHEMA_URL = 'https://tokenscale.io/schema/fleet.schema.json';

/** A problem of a fleet file at a place in it (1-based line and column). */
export interface LocatedIssue extends SpecIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A fleet file that cannot be used, with every problem and where it is. */
export class FleetFileError extends TokenscaleError {
  public readonly located: readonly LocatedIssue[];

  public constructor(located: readonly LocatedIssue[]) {
    super(located, located[0]?.file);
    this.name = 'FleetFileError';
    this.located = located;
    this.message = `${located[0].file}: ${located.length} problem${located.length === 1 ? '' : 's'}\n${located.map(formatLocatedIssue).join('\n')}`;
  }
}

/** `file:line:column: path is value, but problem: fix [code]`. */
export function formatLocatedIssue(issue: LocatedIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${formatIssue(issue)}`;
}

let compiled: ValidateFunction | undefined;

/** The fleet schema, compiled once. */
function fleetValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(fs.readFileSync(FLEET_SCHEMA_FILE, 'utf8'));
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

/** Parses and checks a fleet document; throws a FleetFileError with every problem. */
export function parseFleet(text: string, file = 'fleet.yaml'): FleetSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new FleetFileError(doc.errors.map((e) => ({
      ...at(e.pos[0]),
      code: 'yaml-syntax',
      path: '(document)',
      value: text.slice(e.pos[0]).split('\n')[0].slice(0, 40),
      problem: `it is not valid YAML (${e.message.split('\n')[0]})`,
      fix: 'fix the syntax at this position',
    })));
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  // The specs' own checks first: their messages suggest the nearest field and the fix in the domain's terms.
  const issues = [...fleetIssues(data as FleetSpec), ...schemaIssues(data)];
  const byPath = new Map<string, SpecIssue>();
  for (const issue of issues) if (!byPath.has(issue.path)) byPath.set(issue.path, issue);
  if (byPath.size > 0) {
    const located = [...byPath.values()].map((issue) => ({ ...at(nodeAt(doc, issue.path)?.range?.[0]), ...issue }));
    located.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new FleetFileError(located);
  }
  return data as FleetSpec;
}

/** Reads and checks a fleet file; a missing or unreadable file is a FleetFileError too. */
export function readFleetFile(file: string): FleetSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new FleetFileError([{ file, line: 1, column: 1, code: 'file-unreadable', path: '(file)', value: file, problem: `it cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, fix: 'pass the path of a fleet YAML file' }]);
  }
  return parseFleet(text, file);
}

/** JSON-pointer segments (`/services/0/name`) to a field path (`services[0].name`). */
function fieldPath(segments: readonly string[]): string {
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function schemaIssues(data: unknown): SpecIssue[] {
  const validate = fleetValidator();
  if (validate(data)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => schemaIssue(e))
    .map((issue) => (issue.code === 'field-unknown' || issue.code === 'field-missing' ? issue : { ...issue, value: valueAt(data, issue.path) }));
}

function valueAt(data: unknown, fieldPathText: string): unknown {
  let value = data;
  for (const segment of fieldPathText.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function schemaIssue(error: ErrorObject): SpecIssue {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { code: 'field-unknown', path: fieldPath([...segments, key]), value: key, problem: 'it is not a field of this spec', fix: 'remove it or correct its spelling (your editor completes fields from the schema)' };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return { code: 'field-missing', path: fieldPath([...segments, key]), value: undefined, problem: 'it is required', fix: `add ${key}` };
    }
    case 'type':
      return { code: 'type-invalid', path: fieldPath(segments), value: undefined, problem: `it must be of type ${String(params.type)}`, fix: `write a ${String(params.type)}` };
    case 'enum':
      return { code: 'value-unknown', path: fieldPath(segments), value: undefined, problem: `it must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, fix: 'use one of the listed values' };
    case 'const':
      return { code: 'value-invalid', path: fieldPath(segments), value: undefined, problem: `it must be ${JSON.stringify(params.allowedValue)}`, fix: `set it to ${String(params.allowedValue)}` };
    default:
      return { code: `schema-${error.keyword}`, path: fieldPath(segments), value: undefined, problem: `it ${error.message ?? 'does not match the schema'}`, fix: 'see schema/fleet.schema.json' };
  }
}

/** The YAML node of a field path (the key of the field), or of its deepest existing ancestor. */
export function nodeAt(doc: Document, fieldPathText: string): Node | undefined {
  const segments = fieldPathText.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '');
  let node: unknown = doc.contents;
  let i = 0;
  while (i < segments.length) {
    if (isSeq(node) && /^\d+$/.test(segments[i])) {
      const item = node.items[Number(segments[i])];
      if (item === undefined) break;
      node = item;
      i += 1;
      continue;
    }
    if (!isMap(node)) break;
    // Keys may contain dots (label keys): try the longest run of segments first.
    let matched = false;
    for (let j = segments.length; j > i; j--) {
      const key = segments.slice(i, j).join('.');
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      if (pair) {
        // A field is reported at its key; the walk goes on through its value.
        node = j === segments.length ? pair.key : pair.value;
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) break;
  }
  return node as Node | undefined;
}
