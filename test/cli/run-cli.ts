/** Runs the `tokenscale` command in-process and captures what it prints. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/program';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, interactive: false });
  return { code, out, err };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'tokenscale-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const DEFAULT_FLEET = path.join(__dirname, '../../examples/default/fleet.yaml');
