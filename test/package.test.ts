/**
 * The package as npm publishes it: compiled, packed, unpacked into a consumer's node_modules; the README's
 * example and the other entry points compiled against it as a strict program with Node 16 module resolution
 * (which reads the `exports` map and its `types`) and run; and its command started.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

// The README's example as a consumer writes it, and the other two entry points beside it.
const README_EXAMPLE = path.join(root, 'examples', 'readme', 'main.ts');
const ENTRY_POINTS = `import { resolveLlmInferenceService } from 'tokenscale';
import { GpuNodePool } from 'tokenscale/pulumi';

const gpus: number = resolveLlmInferenceService({ name: 'x', model: 'meta-llama/Llama-3.1-8B-Instruct' }).gpusPerReplica;
console.log(JSON.stringify({ gpus, pool: typeof GpuNodePool }));
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

  test('the README example and the other entry points compile as a strict Node 16 program, and run', () => {
    fs.copyFileSync(README_EXAMPLE, path.join(consumer, 'readme.ts'));
    fs.writeFileSync(path.join(consumer, 'entries.ts'), ENTRY_POINTS);
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, outDir: 'out', types: [] },
      files: ['readme.ts', 'entries.ts'],
    }));
    execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    execFileSync(process.execPath, [path.join(consumer, 'out', 'readme.js')], { cwd: consumer });
    const manifest = fs.readFileSync(path.join(consumer, 'dist', 'inference.k8s.yaml'), 'utf8');
    expect(manifest.match(/^kind: .*$/gm)).toEqual(expect.arrayContaining(['kind: Deployment', 'kind: ScaledObject', 'kind: PrometheusRule']));
    const printed = JSON.parse(execFileSync(process.execPath, [path.join(consumer, 'out', 'entries.js')], { cwd: consumer, encoding: 'utf8' }));
    expect(printed).toEqual({ gpus: 1, pool: 'function' });
  }, 120_000);

  test('its bin starts the command, which writes a fleet file and synthesizes it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'tokenscale', 'package.json'), 'utf8'));
    const bin = path.join(consumer, 'node_modules', 'tokenscale', pkg.bin.tokenscale);
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { cwd: consumer, encoding: 'utf8' });
    run('init', '-o', 'fleet.yaml');
    run('synth', '-f', 'fleet.yaml', '-o', 'from-fleet');
    expect(fs.readdirSync(path.join(consumer, 'from-fleet'))).toEqual(expect.arrayContaining(['inference.k8s.yaml', 'cost-envelope.json']));
  }, 120_000);
});
