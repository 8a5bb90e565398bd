/**
 * Fleet files: YAML syntax, the published schema and the specs' own checks, every problem at once with
 * file:line:column, the field path and the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { FLEET_SCHEMA_FILE, FleetFileError, LocatedIssue, parseFleet } from 'tokenscale';

const DEFAULT_FLEET = fs.readFileSync(path.join(__dirname, '../../examples/default/fleet.yaml'), 'utf8');

function problems(text: string): LocatedIssue[] {
  try {
    parseFleet(text, 'fleet.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(FleetFileError);
    return [...(err as FleetFileError).located];
  }
  throw new Error('the fleet was accepted');
}

const at = (issue: LocatedIssue) => [`${issue.line}:${issue.column}`, issue.path, issue.code];

describe('parseFleet', () => {
  test('the default example parses', () => {
    const fleet = parseFleet(DEFAULT_FLEET, 'fleet.yaml');
    expect(fleet.services.map((s) => s.name)).toEqual(['llama-8b']);
  });

  test('every example fleet file validates against the published JSON Schema', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(FLEET_SCHEMA_FILE, 'utf8')));
    const examples = path.join(__dirname, '../../examples');
    const files = fs.readdirSync(examples, { recursive: true }).map(String).filter((f) => f.endsWith('fleet.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const file of files) {
      const text = fs.readFileSync(path.join(examples, file), 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schema\/fleet\.schema\.json$/);
      expect([file, validate(parse(text)), validate.errors]).toEqual([file, true, null]);
    }
  });

  test('unknown keys, wrong types, duplicate names and unknown pools are reported together, each at its line', () => {
    const text = [
      'apiVersion: tokenscale.io/v1alpha1',
      'kind: Fleet',
      'pools:',
      '  - name: gpu',
      '    zones: [us-east-1a]',
      '    gpuLimit: many',
      '    nodeClass: { clusterName: prod, role: r }',
      'services:',
      '  - name: chat',
      '    model: meta-llama/Llama-3.1-8B-Instruct',
      '    gpuPerReplica: 1',
      '    nodePool: gpu',
      '  - name: chat',
      '    model: meta-llama/Llama-3.1-8B-Instruct',
      '    nodePool: h100',
      'extra: true',
    ].join('\n');
    const found = problems(text);
    expect(found.map(at)).toEqual([
      ['6:5', 'pools[0].gpuLimit', expect.any(String)],
      ['11:5', 'services[0].gpuPerReplica', 'field-unknown'],
      ['13:5', 'services[1].name', 'service-duplicate'],
      ['15:5', 'services[1].nodePool', 'pool-unknown'],
      ['16:1', 'extra', 'field-unknown'],
    ]);
    expect(found[1].fix).toBe('did you mean `gpusPerReplica`?');
    expect(found.every((f) => f.file === 'fleet.yaml')).toBe(true);
  });

  test('schema errors inside a discriminated union name the branch field', () => {
    const text = DEFAULT_FLEET.replace('targetPerReplica: 5', 'targetPerReplica: five');
    const found = problems(text);
    expect(found.map(at)).toEqual([['44:11', 'services[0].scaler.signals[0].targetPerReplica', expect.any(String)]]);
    expect(found[0].value).toBe('five');
  });

  test('node-class tags that are not a map of strings are refused, not emitted (found by the property sweep)', () => {
    const found = problems(DEFAULT_FLEET.replace('      tags:\n        cost-center: cc-4102', '      tags: [1, 2]'));
    expect(found.map((f) => [f.path, f.code])).toContainEqual(['pools[0].nodeClass.tags', 'tags-invalid']);
  });

  test('YAML syntax errors and duplicate keys give their position', () => {
    expect(problems('apiVersion: tokenscale.io/v1alpha1\nkind: Fleet\nservices: [\n').map((p) => p.code)).toContain('yaml-syntax');
    const dup = problems('apiVersion: tokenscale.io/v1alpha1\nkind: Fleet\nkind: Fleet\nservices: []\n');
    expect(dup.map(at)).toEqual([['3:1', '(document)', 'yaml-syntax']]);
    expect(dup[0].problem).toMatch(/unique/);
  });

  test('a document that is not a fleet is told what a fleet is', () => {
    const found = problems('- just\n- a list\n');
    expect(found[0]).toMatchObject({ line: 1, column: 1, code: 'fleet-invalid' });
    expect(problems('apiVersion: v1\nkind: ConfigMap\nservices: []\n').map((p) => p.path)).toEqual(['apiVersion', 'kind']);
  });

  test('the message lists every problem as file:line:column', () => {
    expect(() => parseFleet('apiVersion: x\nkind: Fleet\nservices: []\n', 'team/fleet.yaml'))
      .toThrow(/^team\/fleet\.yaml: 1 problem\nteam\/fleet\.yaml:1:1: `apiVersion` is "x", but this version of tokenscale reads one fleet version/);
  });
});
