/** The `tokenscale` binary as a process: exit codes reach the shell, and user errors print no stack trace. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { DEFAULT_FLEET } from './run-cli';

const ROOT = path.join(__dirname, '..', '..');

function tokenscale(...args: string[]) {
  return spawnTokenscale([], args);
}

function spawnTokenscale(preload: string[], args: string[]) {
  return spawnSync(process.execPath, [...preload, '-r', 'ts-node/register', path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test/tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
  });
}

describe('the tokenscale binary', () => {
  test('a user error exits 2 with the message and no stack trace', () => {
    const run = tokenscale('cost', '-f', path.join(ROOT, 'no-such-fleet.yaml'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no-such-fleet.yaml:1:1: `(file)` is');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  }, 60_000);

  test('without the cdk8s peer dependency it says what to install and exits 2', () => {
    const result = spawnTokenscale(['-r', path.join(__dirname, 'hide-cdk8s.js')], ['--version']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: the tokenscale command needs cdk8s, a peer dependency: npm install --save-dev cdk8s constructs\n');
  }, 60_000);

  test('cost of the default fleet exits 0 and prints the envelope', () => {
    const run = tokenscale('cost', '-f', DEFAULT_FLEET);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Cost envelope \(USD\/month at 730 h/);
  }, 60_000);
});
