/**
 * `tokenscale check`: exit 1 on each of the envelope's failing fixtures, 0 on the default example's output;
 * non-Kubernetes documents are reported and skipped; unreadable paths exit 2; text, JSON and SARIF output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { cli, DEFAULT_FLEET, tempDir } from './run-cli';
import { buildDefaultApp } from '../../examples/default/app';
import { synthesize } from '../../src/cdk8s';
import { RULES } from '../../src/core';
import { boundPod, FIXTURE_ENVELOPE, RULE_FIXTURES } from '../fixtures/rule-fixtures';

const zones = FIXTURE_ENVELOPE.allowedZones;
const envelopeFlags = ['--profile', 'pci', '--zones', FIXTURE_ENVELOPE.allowedZones.join(','), '--budget-usd', String(FIXTURE_ENVELOPE.monthlyBudgetUsd),
  '--residency-namespaces', FIXTURE_ENVELOPE.residencyNamespaces!.join(',')];
const writeObjects = (dir: string, name: string, objects: unknown[]) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
};

describe('tokenscale check', () => {
  let dist: string;
  beforeAll(() => {
    dist = path.join(tempDir(), 'dist');
    synthesize(buildDefaultApp(), { outdir: dist });
  });

  it.each(RULE_FIXTURES.map(([rule, make, object], i) => [i, rule, make, object] as const))(
    'fixture %i: exits 1 on the failing fixture of %s, naming the object, file and line',
    async (i, rule, make, object) => {
      const file = writeObjects(tempDir(), `fixture-${i}.yaml`, make());
      const run = await cli('check', file, ...envelopeFlags);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: \\[${rule}\\] ${object.split('/')[0]} `, 'm'));
    },
  );

  test("exits 0 on the default example's output, checked against the fleet's own envelope; skipped documents are reported", async () => {
    const run = await cli('check', dist, '--spec', DEFAULT_FLEET);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/29 objects checked: all comply \(0 waived, 2 documents skipped\)/);
    expect(run.err).toContain('cost-envelope.json:1: skipped: not a Kubernetes object');
  });

  test('the default output breaks the pci profile in eu-central-1, in text, JSON and SARIF', async () => {
    const text = await cli('check', dist, ...envelopeFlags);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/inference\.k8s\.yaml:\d+: \[allowed-zones\] Deployment llm\/llama-8b/);

    const json = await cli('check', dist, ...envelopeFlags, '--format', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report.checked).toBe(29);
    expect(report.violations.map((v: { rule: string }) => v.rule)).toEqual(expect.arrayContaining(['allowed-zones', 'images-pinned-by-digest', 'required-labels']));

    const sarif = await cli('check', dist, ...envelopeFlags, '-o', 'sarif');
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.out);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(run.results.length).toBe(report.violations.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\.k8s\.yaml$/);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    }
  });

  test('files that are not Kubernetes objects are skipped, not fatal; an unreadable path exits 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.yaml'), 'just: a mapping\n---\n- a\n- list\n');
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'key: [unclosed\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# not scanned in a directory\n');
    const run = await cli('check', dir, '--zones', 'us-east-1a');
    expect(run.code).toBe(0);
    expect(run.out).toContain('0 objects checked: all comply (0 waived, 3 documents skipped)');
    expect(run.err).toMatch(/broken\.yaml:\d+: skipped: not valid YAML/);
    expect(run.err).toMatch(/notes\.yaml:1: skipped: not a Kubernetes object/);

    const missing = await cli('check', path.join(dir, 'nope'), '--zones', 'us-east-1a');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope: cannot read it \(ENOENT\)/);
  });

  test('audits where pods run: a List from kubectl, each item at its own line, only in the residency namespaces', async () => {
    const pods = [boundPod('eu-central-1a'), boundPod('us-east-1a'), { ...boundPod('us-east-1a'), metadata: { ...boundPod('us-east-1a').metadata, namespace: 'web' } }];
    const file = path.join(tempDir(), 'pods.yaml');
    fs.writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: pods }));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const secondItem = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.startsWith('  - '))[1][1];
    const run = await cli('check', file, '--zones', zones.join(','), '--residency-namespaces', 'llm');
    expect(run.code).toBe(1);
    expect(run.out).toBe(`${file}:${secondItem}: [bound-in-allowed-zones] Pod llm/chat-5d8f7c9b6-x2kqp: the pod is bound to node `
      + 'ip-10-0-3-17.ec2.internal in zone us-east-1a, outside the allowed zones eu-central-1a, eu-central-1b: keep the pod on nodes of the allowed '
      + 'zones (node affinity on topology.kubernetes.io/zone) and check the zone label of the node\n'
      + '3 objects checked: 1 violation in 1 object (0 waived, 0 documents skipped)\n');
    expect((await cli('check', file, '--zones', zones.join(','))).code).toBe(0);
  });

  test('usage errors exit 2: no zones, no paths, a bad number, a bad profile', async () => {
    expect((await cli('check', dist)).err).toMatch(/needs the allowed zones/);
    expect((await cli('check', '--zones', 'a')).code).toBe(2);
    const bad = await cli('check', dist, '--zones', 'a', '--max-replicas', 'many');
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toContain('--max-replicas is "many", but it must be a number');
    expect((await cli('check', dist, '--zones', 'a', '--profile', 'sox')).code).toBe(2);
  });
});
