/**
 * `tokenscale check`: evaluates the compliance envelope's CEL rules, the same text admission runs, on any
 * Kubernetes YAML. Like conftest, without writing Rego. Exit 1 when a rule fails.
 */
import * as path from 'path';
import {
  boundRules, checkObjects, ComplianceEnvelopeSpec, ComplianceProfile, readFleetFile, RULES, validateComplianceEnvelope, Violation,
} from '../../core';
import { CliIo, EXIT, UsageError } from '../io';
import { loadManifests, LoadedObject, manifestFiles, SkippedDocument } from '../manifests';

/** Options of `tokenscale check`. */
export interface CheckOptions {
  /** A fleet file whose envelope is checked. @default - the envelope from the flags */
  readonly spec?: string;
  /** @default 'baseline' */
  readonly profile?: string;
  /** Allowed zones, comma-separated; required without a spec. @default - none */
  readonly zones?: string;
  /** @default - the profile's */
  readonly minReplicas?: string;
  /** @default - the profile's */
  readonly maxReplicas?: string;
  /** Monthly GPU budget per NodePool in USD. @default - no budget rule */
  readonly budgetUsd?: string;
  /** Labels every Deployment carries, comma-separated. @default - the profile's */
  readonly requiredLabels?: string;
  /** Require images pinned by digest. @default - the profile's */
  readonly requireDigest?: boolean;
  /** Namespaces whose bound pods must be in the allowed zones, comma-separated. @default - none */
  readonly residencyNamespaces?: string;
  /** @default 'text' */
  readonly format?: string;
}

/** One finding with its place. */
export interface Finding extends Violation {
  readonly file: string;
  readonly line: number;
  /** Why the finding is waived. @default - not waived */
  readonly waivedReason?: string;
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} is ${JSON.stringify(value)}, but it must be a number`);
  return n;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The envelope to check against: the fleet's, or one built from the flags. */
export function envelopeFromOptions(options: CheckOptions): ComplianceEnvelopeSpec {
  if (options.spec) {
    const fleet = readFleetFile(options.spec);
    if (!fleet.envelope) throw new UsageError(`${options.spec}: the fleet has no envelope to check against; add one, or pass --zones and --profile`);
    return fleet.envelope;
  }
  const zones = list(options.zones);
  if (!zones || zones.length === 0) throw new UsageError('check needs the allowed zones: pass --zones us-east-1a,us-east-1b, or --spec fleet.yaml');
  const spec: ComplianceEnvelopeSpec = {
    profile: (options.profile ?? 'baseline') as ComplianceProfile,
    allowedZones: zones,
    minReplicas: number('min-replicas', options.minReplicas),
    maxReplicas: number('max-replicas', options.maxReplicas),
    monthlyBudgetUsd: number('budget-usd', options.budgetUsd),
    requiredLabels: list(options.requiredLabels),
    requireDigestPinnedImages: options.requireDigest,
    residencyNamespaces: list(options.residencyNamespaces),
  };
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as ComplianceEnvelopeSpec;
}

/** Evaluates the rules on loaded objects; each finding keeps the file and line of its object. */
export function findings(objects: readonly LoadedObject[], envelope: ComplianceEnvelopeSpec): { violations: Finding[]; waived: Finding[] } {
  const resolved = validateComplianceEnvelope(envelope);
  const rules = boundRules(resolved);
  const violations: Finding[] = [];
  const waived: Finding[] = [];
  for (const { file, line, object } of objects) {
    const result = checkObjects([object], rules, resolved.waivers);
    violations.push(...result.violations.map((v) => ({ ...v, file, line })));
    waived.push(...result.waived.map((v) => ({ rule: v.rule, object: v.object, message: v.message, file, line, waivedReason: v.reason })));
  }
  return { violations, waived };
}

/** SARIF 2.1.0 for code-scanning UIs: one rule per compliance rule, one result per finding. */
export function toSarif(violations: readonly Finding[], waived: readonly Finding[], version: string): object {
  const result = (f: Finding) => ({
    ruleId: f.rule,
    ruleIndex: RULES.findIndex((r) => r.id === f.rule),
    level: 'error',
    message: { text: f.message },
    locations: [{
      physicalLocation: { artifactLocation: { uri: f.file.split(path.sep).join('/') }, region: { startLine: f.line } },
      logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }],
    }],
    ...(f.waivedReason ? { suppressions: [{ kind: 'external', justification: f.waivedReason }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'tokenscale',
          version,
          rules: RULES.map((r) => ({ id: r.id, name: r.kind, shortDescription: { text: r.description }, defaultConfiguration: { level: 'error' } })),
        },
      },
      results: [...violations, ...waived].map(result),
    }],
  };
}

function describeSkipped(skipped: readonly SkippedDocument[]): string {
  return skipped.map((s) => `${s.file}:${s.line}: skipped: ${s.reason}\n`).join('');
}

/** Runs `check` and returns its exit code. */
export function runCheck(paths: readonly string[], options: CheckOptions, io: CliIo, version: string): number {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format is ${JSON.stringify(format)}, but it must be text, json or sarif`);
  if (paths.length === 0) throw new UsageError('check needs files or directories of Kubernetes YAML, such as `tokenscale check dist/`');
  const envelope = envelopeFromOptions(options);
  const { objects, skipped } = loadManifests(manifestFiles(paths));
  const { violations, waived } = findings(objects, envelope);
  if (format === 'sarif') {
    io.out(`${JSON.stringify(toSarif(violations, waived, version), null, 2)}\n`);
    io.err(describeSkipped(skipped));
  } else if (format === 'json') {
    io.out(`${JSON.stringify({ checked: objects.length, violations, waived, skipped }, null, 2)}\n`);
  } else {
    io.err(describeSkipped(skipped));
    for (const v of violations) io.out(`${v.file}:${v.line}: [${v.rule}] ${v.message}\n`);
    for (const w of waived) io.out(`${w.file}:${w.line}: waived [${w.rule}] ${w.object}: ${w.waivedReason}\n`);
    const objectsWith = new Set(violations.map((v) => v.object)).size;
    const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    const tally = `${waived.length} waived, ${counted(skipped.length, 'document')} skipped`;
    io.out(violations.length === 0
      ? `${counted(objects.length, 'object')} checked: all comply (${tally})\n`
      : `${counted(objects.length, 'object')} checked: ${counted(violations.length, 'violation')} in ${counted(objectsWith, 'object')} (${tally})\n`);
  }
  return violations.length > 0 ? EXIT.violation : EXIT.ok;
}
