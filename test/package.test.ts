/**
 * The package as npm publishes it: compiled, packed, unpacked into a consumer's node_modules, then imported
 * through its three entry points by a strict TypeScript program with Node 16 module resolution (which reads
 * the `exports` map and its `types`), run, and its command started.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

const CONSUMER = `import { App, Chart } from 'cdk8s';
import { LlmInferenceService, ScalingSignal, TokenAwareScaler } from 'tokenscale/cdk8s';
import { resolveLlmInferenceService } from 'tokenscale';
import { GpuNodePool } from 'tokenscale/pulumi';

const app = new App();
const chart = new Chart(app, 'inference');
const llama = new LlmInferenceService(chart, 'llama-8b', {
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  hfTokenSecret: { secretName: 'hf-token' },
});
new TokenAwareScaler(chart, 'llama-8b-scaler', { target: llama, signals: [ScalingSignal.queueDepth(5)], minReplicas: 2, maxReplicas: 4 });
const gpus: number = resolveLlmInferenceService({ name: 'x', model: 'meta-llama/Llama-3.1-8B-Instruct' }).gpusPerReplica;
console.log(JSON.stringify({ kinds: app.synthYaml().match(/^kind: .*$/gm), gpus, pool: typeof GpuNodePool }));
`;

describe('the published package', () => {
  let consumer: string;
  let files: string[];

  beforeAll(() => {
    execFileSync(process.execPath, [tsc, '--build'], { cwd: root });
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-consumer-'));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' }));
    files = packed.files.map((f: { path: string }) => f.path);
    const installed = path.join(consumer, 'node_modules', 'tokenscale');
    fs.mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['xzf', path.join(consumer, packed.filename), '-C', installed, '--strip-components=1']);
    // The consumer's other dependencies are this checkout's, linked rather than installed (no registry here).
    for (const name of fs.readdirSync(path.join(root, 'node_modules'))) {
      if (name !== 'tokenscale' && name !== '.bin') fs.symlinkSync(path.join(root, 'node_modules', name), path.join(consumer, 'node_modules', name));
    }
  }, 300_000);

  afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

  test('holds the compiled library, its types, the command and the fleet schema, and no sources, tests or build scripts', () => {
    for (const entry of ['core', 'cdk8s', 'pulumi']) {
      expect(files).toContain(`lib/${entry}/index.js`);
      expect(files).toContain(`lib/${entry}/index.d.ts`);
    }
    expect(files).toEqual(expect.arrayContaining(['lib/cli/main.js', 'schema/fleet.schema.json', 'README.md', 'LICENSE', 'API.md']));
    const unwanted = files.filter((f) => /^(src|test|bench|build-tools|\.ci|\.projen|projenrc)\//.test(f) || f.endsWith('.tsbuildinfo'));
    expect(unwanted).toEqual([]);
  });

  test('a strict Node 16 TypeScript program compiles against its entry points and synthesizes', () => {
    fs.writeFileSync(path.join(consumer, 'app.ts'), CONSUMER);
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, outDir: 'out', types: [] },
      files: ['app.ts'],
    }));
    execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    const printed = JSON.parse(execFileSync(process.execPath, [path.join(consumer, 'out', 'app.js')], { cwd: consumer, encoding: 'utf8' }));
    expect(printed.kinds).toEqual(expect.arrayContaining(['kind: Deployment', 'kind: ScaledObject', 'kind: PrometheusRule']));
    expect(printed.gpus).toBe(1);
    expect(printed.pool).toBe('function');
  }, 120_000);

  test('its bin starts the command, which writes a fleet file and synthesizes it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'tokenscale', 'package.json'), 'utf8'));
    const bin = path.join(consumer, 'node_modules', 'tokenscale', pkg.bin.tokenscale);
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { cwd: consumer, encoding: 'utf8' });
    run('init', '-o', 'fleet.yaml');
    run('synth', '-f', 'fleet.yaml', '-o', 'dist');
    expect(fs.readdirSync(path.join(consumer, 'dist'))).toEqual(expect.arrayContaining(['inference.k8s.yaml', 'cost-envelope.json']));
  }, 120_000);
});
