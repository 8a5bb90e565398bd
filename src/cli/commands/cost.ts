/** `tokenscale cost -f fleet.yaml`: the monthly cost range of a fleet's services and the caps of its pools. */
import { appCostEnvelope, buildFleetApp } from '../../cdk8s';
import { formatCostEnvelope, readFleetFile } from '../../core';
import { CliIo, EXIT, UsageError } from '../io';

/** Options of `tokenscale cost`. */
export interface CostOptions {
  /** The fleet file. */
  readonly file: string;
  /** @default 'text' */
  readonly format?: string;
}

/** Runs `cost` and returns its exit code. */
export function runCost(options: CostOptions, io: CliIo): number {
  const format = options.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format is ${JSON.stringify(format)}, but it must be text or json`);
  const { app } = buildFleetApp(readFleetFile(options.file));
  const envelope = appCostEnvelope(app);
  if (!envelope) throw new UsageError(`${options.file}: the fleet has no pools, so it has no GPU prices to cost; add pools and place services on them`);
  io.out(format === 'json' ? `${JSON.stringify(envelope, null, 2)}\n` : `${formatCostEnvelope(envelope)}\n`);
  return EXIT.ok;
}
