/** `tokenscale synth -f fleet.yaml -o dist/`: the fleet's manifests, written atomically. */
import { buildFleetApp, synthesize } from '../../cdk8s';
import { readFleetFile } from '../../core';
import { CliIo, EXIT } from '../io';

/** Options of `tokenscale synth`. */
export interface SynthOptions {
  /** The fleet file. */
  readonly file: string;
  /** @default 'dist' */
  readonly outdir?: string;
}

/** Runs `synth` and returns its exit code (violations of the envelope throw ValidationFailedError). */
export function runSynth(options: SynthOptions, io: CliIo): number {
  const fleet = readFleetFile(options.file);
  const { app } = buildFleetApp(fleet);
  const result = synthesize(app, { outdir: options.outdir ?? 'dist' });
  io.out(`${result.summaryText}\n`);
  return EXIT.ok;
}
