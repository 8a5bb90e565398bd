/**
 * `tokenscale synth`: the YAML form of the default example gives the objects of its cdk8s app, written
 * atomically; bad fleet files exit 2 with file:line:column; envelope violations exit 1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { cli, DEFAULT_FLEET, tempDir } from './run-cli';
import { buildDefaultApp } from '../../examples/default/app';
import { synthesize } from '../../src/cdk8s';

const readDir = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [
  f,
  f.endsWith('.k8s.yaml') ? parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()) : fs.readFileSync(path.join(dir, f), 'utf8'),
]));

describe('tokenscale synth', () => {
  test('the YAML form of the default example gives objects deep-equal to the cdk8s synth of the same spec', async () => {
    const viaCli = tempDir();
    const viaCdk8s = tempDir();
    const run = await cli('synth', '-f', DEFAULT_FLEET, '-o', path.join(viaCli, 'dist'));
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('llm/llama-8b [interactive]');
    const expected = synthesize(buildDefaultApp(), { outdir: path.join(viaCdk8s, 'dist') });
    const files = readDir(path.join(viaCli, 'dist'));
    expect(Object.keys(files)).toEqual([...expected.files].sort());
    expect(files).toEqual(readDir(path.join(viaCdk8s, 'dist')));
    expect(Object.values(files).flat().length).toBeGreaterThan(20);
  });

  test('an invalid fleet exits 2 with every problem at file:line:column and writes nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, fs.readFileSync(DEFAULT_FLEET, 'utf8')
      .replace('gpusPerReplica: 1', 'gpusPerReplica: 0')
      .replace('maxModelLen: 8192', 'maxModelLength: 8192')
      .replace('nodePool: gpu-l4', 'nodePool: gpu-h100'));
    const run = await cli('synth', '-f', file, '-o', path.join(dir, 'dist'));
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${file}:28:5: \`services[0].gpusPerReplica\` is 0`);
    expect(run.err).toContain(`${file}:29:5: \`services[0].maxModelLength\` is 8192, but it is not a field of this spec: did you mean \`maxModelLen\`?`);
    expect(run.err).toContain(`${file}:40:5: \`services[0].nodePool\` is "gpu-h100", but no pool of the fleet has this name: use one of gpu-l4`);
    expect(run.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('a fleet that breaks its own envelope exits 1 and leaves the previous output in place', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous.yaml'), 'kept: true\n');
    const file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, fs.readFileSync(DEFAULT_FLEET, 'utf8').replace('profile: baseline', 'profile: pci'));
    const run = await cli('synth', '-f', file, '-o', out);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/\[images-pinned-by-digest\] Deployment llm\/llama-8b/);
    expect(fs.readdirSync(out)).toEqual(['previous.yaml']);
  });

  test('usage errors exit 2: no fleet file, unknown command, unknown flag', async () => {
    expect((await cli('synth')).code).toBe(2);
    expect((await cli('deploy')).code).toBe(2);
    expect((await cli('synth', '-f', DEFAULT_FLEET, '--frobnicate')).code).toBe(2);
    const missing = await cli('synth', '-f', '/nonexistent/fleet.yaml');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toContain('/nonexistent/fleet.yaml:1:1: `(file)` is "/nonexistent/fleet.yaml", but it cannot be read (ENOENT)');
  });

  test('--help of every command exits 0 and names its flags', async () => {
    for (const [command, flag] of [['synth', '--outdir'], ['check', '--format'], ['cost', '--file'], ['simulate', '--policies'], ['init', '--template']]) {
      const run = await cli(command, '--help');
      expect(run.code).toBe(0);
      expect(run.out).toContain(flag);
    }
  });
});
