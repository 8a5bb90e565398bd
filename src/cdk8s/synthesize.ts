import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  CostEnvelope, costEnvelope, formatCostEnvelope, formatSummary, GPU_PRICE_SOURCE, KubeObject, summarize, SynthSummary, toYamlStream,
  writeDirectoryAtomically,
} from '../core';
import { ComplianceEnvelope } from './compliance-envelope';
import { GpuNodePool } from './gpu-node-pool';

/** Options of `synthesize`. */
export interface SynthesizeOptions {
  /**
   * Directory the manifests are written to; replaced atomically.
   * @default 'dist'
   */
  readonly outdir?: string;
  /** Extra files to write next to the manifests (relative path to content). @default - none */
  readonly extraFiles?: ReadonlyMap<string, string>;
}

/** What `synthesize` produced. */
export interface SynthesizeResult {
  /** Every object of every chart, in chart order. */
  readonly objects: KubeObject[];
  /** Files written, relative to the output directory. */
  readonly files: string[];
  readonly summary: SynthSummary;
  /** Monthly cost of the services on GPU pools and the pools' caps. @default - none without pools */
  readonly costEnvelope?: CostEnvelope;
  /** Warnings that do not stop synthesis (a drain longer than the spot notice). */
  readonly warnings: string[];
  /** The summary as text, for printing. */
  readonly summaryText: string;
}

/** Construct validations failed (envelope violations, pool capacity, engine conflicts); nothing was written. */
export class ValidationFailedError extends Error {
  /** Each failed validation, prefixed with its construct path. */
  public readonly errors: readonly string[];

  public constructor(errors: readonly string[]) {
    super(`Validation failed with the following errors:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ValidationFailedError';
    this.errors = errors;
  }
}

/** Monthly cost of the services on the app's GPU pools and the pools' caps. @returns undefined without pools */
export function appCostEnvelope(app: App): CostEnvelope | undefined {
  const pools = app.node.findAll().filter((c): c is GpuNodePool => c instanceof GpuNodePool);
  if (pools.length === 0) return undefined;
  return costEnvelope(pools.map((p) => ({ pool: p.spec, services: p.pooledServices })), `${GPU_PRICE_SOURCE.region} on-demand list prices of ${GPU_PRICE_SOURCE.date}`);
}

/**
 * Synthesizes every chart of a cdk8s app in memory, then writes one `<chart>.k8s.yaml` per chart to the
 * output directory atomically: it is replaced whole or not at all. Construct validations run first, and
 * all their errors are reported together.
 */
export function synthesize(app: App, options: SynthesizeOptions = {}): SynthesizeResult {
  const errors = app.node.findAll().flatMap((c: IConstruct) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) {
    throw new ValidationFailedError(errors);
  }
  const files = new Map<string, string>();
  const objects: KubeObject[] = [];
  for (const chart of app.charts) {
    const chartObjects = chart.toJson() as KubeObject[];
    objects.push(...chartObjects);
    files.set(`${chart.node.id}.k8s.yaml`, toYamlStream(chartObjects));
  }
  const pools = app.node.findAll().filter((c): c is GpuNodePool => c instanceof GpuNodePool);
  const envelope = appCostEnvelope(app);
  const warnings = pools.flatMap((p) => p.capacity().warnings);
  if (envelope) files.set('cost-envelope.json', `${JSON.stringify(envelope, null, 2)}\n`);
  const envelopes = app.node.findAll().filter((c): c is ComplianceEnvelope => c instanceof ComplianceEnvelope);
  const audit = envelopes.find((e) => e.auditPolicy)?.auditPolicy;
  if (audit) files.set('audit-policy.yaml', audit);
  const envelopeLines = envelopes.map((e) => {
    const waived = e.check().waived;
    return `Compliance envelope ${e.node.path}: profile ${e.spec.profile}, zones ${e.spec.allowedZones.join(', ')}, enforced at synth + ${e.spec.enforcement.join(' + ')}`
      + ` (${e.spec.enforcementAction})${waived.map((w) => `\n  waived [${w.rule}] ${w.object}: ${w.reason}`).join('')}`;
  });
  for (const [name, content] of options.extraFiles ?? []) files.set(name, content);
  writeDirectoryAtomically(options.outdir ?? 'dist', files);
  const summary = summarize(objects);
  const names = [...files.keys()];
  const text = [
    formatSummary(summary, names.map((f) => `${options.outdir ?? 'dist'}/${f}`)),
    ...(envelope ? [formatCostEnvelope(envelope)] : []),
    ...envelopeLines,
    ...(warnings.length > 0 ? [`Warnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}`] : []),
  ];
  return { objects, files: names, summary, costEnvelope: envelope, warnings, summaryText: text.join('\n') };
}
