/** `tokenscale cost` and `tokenscale init`. */
import * as fs from 'fs';
import * as path from 'path';
import { cli, DEFAULT_FLEET, tempDir } from './run-cli';
import { buildFleetApp } from '../../src/cdk8s';
import { CDK8S_TEMPLATE } from '../../src/cli/templates';
import { parseFleet, readFleetFile } from '../../src/core';
import { typeErrors } from '../support/typecheck';

describe('tokenscale cost', () => {
  test('prints the cost envelope synth writes to cost-envelope.json, as text or JSON', async () => {
    const dir = tempDir();
    await cli('synth', '-f', DEFAULT_FLEET, '-o', path.join(dir, 'dist'));
    const json = await cli('cost', '-f', DEFAULT_FLEET, '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'cost-envelope.json'), 'utf8')));
    const text = await cli('cost', '--spec', DEFAULT_FLEET);
    expect(text.out).toMatch(/service llm\/llama-8b on gpu-l4: \$1,932 at 2 \.\. \$11,591 at 12 replicas/);
  });

  test('a fleet without pools has nothing to price: exit 2', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, 'apiVersion: tokenscale.io/v1alpha1\nkind: Fleet\nservices:\n  - name: chat\n    model: meta-llama/Llama-3.1-8B-Instruct\n');
    const run = await cli('cost', '-f', file);
    expect(run.code).toBe(2);
    expect(run.err).toContain('the fleet has no pools');
  });
});

describe('tokenscale init', () => {
  test('writes a starter fleet that is the default example, and refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'fleet.yaml');
    expect((await cli('init', '-o', file)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/tokenscale\/schema\/fleet\.schema\.json/);
    const objects = (spec: ReturnType<typeof parseFleet>) => buildFleetApp(spec).app.charts.map((c) => c.toJson());
    expect(objects(readFleetFile(file))).toEqual(objects(readFleetFile(DEFAULT_FLEET)));
    const again = await cli('init', '-o', file);
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists; pass --force');
    expect((await cli('init', '-o', file, '--force')).code).toBe(0);
  });

  test('the cdk8s starter type-checks against the package', async () => {
    const dir = path.join(__dirname, '..', '..', '.init-check');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    try {
      const file = path.join(dir, 'main.ts');
      expect((await cli('init', '--template', 'cdk8s', '-o', file)).code).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toBe(CDK8S_TEMPLATE);
      expect(typeErrors([file])).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
