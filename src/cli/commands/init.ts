/** `tokenscale init`: writes a starter fleet.yaml or cdk8s main.ts; never overwrites without --force. */
import * as fs from 'fs';
import { CliIo, EXIT, UsageError } from '../io';
import { CDK8S_TEMPLATE, FLEET_TEMPLATE } from '../templates';

/** Options of `tokenscale init`. */
export interface InitOptions {
  /** `fleet` (YAML) or `cdk8s` (TypeScript). @default 'fleet' */
  readonly template?: string;
  /** File to write. @default - fleet.yaml or main.ts */
  readonly output?: string;
  /** Overwrite an existing file. @default false */
  readonly force?: boolean;
}

/** Runs `init` and returns its exit code. */
export function runInit(options: InitOptions, io: CliIo): number {
  const template = options.template ?? 'fleet';
  if (template !== 'fleet' && template !== 'cdk8s') throw new UsageError(`--template is ${JSON.stringify(template)}, but it must be fleet or cdk8s`);
  const file = options.output ?? (template === 'fleet' ? 'fleet.yaml' : 'main.ts');
  if (fs.existsSync(file) && !options.force) throw new UsageError(`${file} exists; pass --force to overwrite it, or -o another path`);
  fs.writeFileSync(file, template === 'fleet' ? FLEET_TEMPLATE : CDK8S_TEMPLATE);
  io.out(template === 'fleet'
    ? `Wrote ${file}. Next: tokenscale synth -f ${file} -o dist/\n`
    : `Wrote ${file}. Next: npx ts-node ${file} (needs cdk8s and constructs installed)\n`);
  return EXIT.ok;
}
