/**
 * fast-check arbitraries: valid fleets (by construction: pools big enough, envelopes their services comply
 * with) and mutations that make them invalid (wrong types, out-of-range numbers, missing fields, unknown
 * keys, hostile strings).
 */
import fc from 'fast-check';
import type { ComplianceEnvelopeSpec, FleetServiceSpec, FleetSpec, GpuNodePoolSpec, ScalingSignal, TokenAwareScalerSpec } from 'tokenscale';

/**
 * Runs per property: 300 generated fleets (RUNS x 3) per cdk8s property in npm test and 50 through Pulumi
 * under mocks (~0.5 s each); `npm run test:props` sets RUNS to 1,000: 3,000 and 1,000.
 */
export const RUNS = Number(process.env.TOKENSCALE_PROPERTY_RUNS ?? 100);
export const PULUMI_RUNS = process.env.TOKENSCALE_PROPERTY_RUNS ? RUNS : 50;
export const SEED = Number(process.env.TOKENSCALE_PROPERTY_SEED ?? 20261122);

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const MODELS = ['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.2-3B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3'];
const DIGEST_IMAGE = `vllm/vllm-openai@sha256:${'c'.repeat(64)}`;

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);

const signal: fc.Arbitrary<ScalingSignal> = fc.oneof(
  fc.record({ kind: fc.constant('queueDepth' as const), targetPerReplica: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('kvCacheUsage' as const), target: fc.double({ min: 0.3, max: 0.95, noNaN: true }).map((x) => Math.round(x * 100) / 100) }),
  fc.record({ kind: fc.constant('timeToFirstToken' as const), targetSeconds: fc.double({ min: 0.1, max: 5, noNaN: true }).map((x) => Math.round(x * 10) / 10 || 0.1) }),
  fc.record({ kind: fc.constant('generationThroughput' as const), tokensPerSecondPerReplica: fc.integer({ min: 50, max: 5000 }) }),
);

interface ServiceDraft {
  readonly spec: FleetServiceSpec;
  readonly maxReplicas: number;
}

function serviceDraft(index: number, profile: ComplianceEnvelopeSpec['profile'] | undefined, engine: 'keda' | 'hpa'): fc.Arbitrary<ServiceDraft> {
  return fc.record({
    suffix: dnsLabel,
    namespace: fc.constantFrom('llm', 'default', 'team-a'),
    model: fc.constantFrom(...MODELS),
    workload: fc.constantFrom('interactive' as const, 'batch' as const),
    // Without a maxModelLen an 8B model reserves KV cache for its full 128k context and fits no 24 GB GPU.
    maxModelLen: fc.constantFrom(2048, 4096, 8192),
    team: fc.option(dnsLabel, { nil: undefined }),
    maxOutputTokens: fc.option(fc.integer({ min: 64, max: 4096 }), { nil: undefined }),
    capOutputTokens: fc.boolean(),
    scaled: fc.boolean(),
    signals: fc.uniqueArray(signal, { minLength: 1, maxLength: 3, selector: (s) => s.kind }),
    floor: fc.integer({ min: 2, max: 4 }),
    span: fc.integer({ min: 0, max: 6 }),
    extraLabel: fc.option(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}[a-z0-9]$/), dnsLabel), { nil: undefined }),
  }).map((d) => {
    const min = d.workload === 'interactive' ? d.floor : d.floor - 1;
    const scaler: TokenAwareScalerSpec | undefined = d.scaled
      ? { engine, signals: d.signals, minReplicas: min, maxReplicas: min + d.span }
      : undefined;
    const spec: FleetServiceSpec = {
      name: `s${index}-${d.suffix}`.slice(0, 40).replace(/-+$/, ''),
      namespace: d.namespace,
      model: d.model,
      workload: d.workload,
      maxModelLen: d.maxModelLen,
      ...(scaler ? { scaler } : { replicas: min }),
      ...(d.maxOutputTokens ? { drain: { maxOutputTokens: d.maxOutputTokens, ...(d.capOutputTokens ? { capOutputTokens: true } : {}) } } : {}),
      costLabels: { costCenter: 'cc-1', ...(d.team ? { team: d.team } : {}) },
      ...(profile === 'pci' ? { image: DIGEST_IMAGE } : {}),
      labels: {
        ...(profile === 'hipaa' || profile === 'pci' ? { 'tokenscale.io/data-classification': 'phi' } : {}),
        ...(d.extraLabel ? { [`example.com/${d.extraLabel[0]}`.slice(0, 63)]: d.extraLabel[1] } : {}),
      },
      nodePool: 'gpu',
    };
    return { spec, maxReplicas: scaler ? min + d.span : min };
  });
}

/** A fleet that is valid and complies with its own envelope. */
export const validFleet: fc.Arbitrary<FleetSpec> = fc.record({
  withEnvelope: fc.boolean(),
  profile: fc.constantFrom('baseline' as const, 'hipaa' as const, 'pci' as const),
  zones: fc.subarray(ZONES, { minLength: 1 }),
  engine: fc.constantFrom('keda' as const, 'hpa' as const),
  families: fc.subarray(['g5', 'g6', 'g6e'], { minLength: 1 }),
  spareGpus: fc.integer({ min: 0, max: 4 }),
  capacity: fc.constantFrom('onDemand', 'burst'),
  enforcement: fc.subarray(['gatekeeper', 'vap'] as const, { minLength: 1 }),
  bindTimeResidency: fc.boolean(),
  count: fc.integer({ min: 1, max: 3 }),
}).chain((f) => {
  const profile = f.withEnvelope ? f.profile : undefined;
  return fc.tuple(...Array.from({ length: f.count }, (_, i) => serviceDraft(i, profile, f.engine))).map((drafts) => {
    // Spot burst needs room above the on-demand floor, which holds every replica.
    const gpuLimit = drafts.reduce((s, d) => s + d.maxReplicas, 0) + f.spareGpus + (f.capacity === 'burst' ? 1 : 0);
    const pool: GpuNodePoolSpec = {
      name: 'gpu',
      instanceFamilies: f.families,
      zones: f.zones,
      gpuLimit,
      capacity: f.capacity === 'onDemand' ? { kind: 'onDemand' } : { kind: 'onDemandFloorSpotBurst', onDemandGpus: gpuLimit - 1 },
      // Spot prices below every family's on-demand one.
      ...(f.capacity === 'burst' ? {
        spotPriceOverrides: Object.fromEntries([
          ['g5.xlarge', 0.4], ['g5.2xlarge', 0.5], ['g5.4xlarge', 0.65], ['g6.xlarge', 0.35], ['g6.2xlarge', 0.4], ['g6.4xlarge', 0.55],
          ['g6e.xlarge', 0.75], ['g6e.2xlarge', 0.9], ['g6e.4xlarge', 1.2],
        ]),
      } : {}),
      nodeClass: { clusterName: 'prod', role: 'KarpenterNodeRole-prod' },
    };
    // The bind-time check covers the services' namespaces when a VAP can run it.
    const residency = f.bindTimeResidency && f.enforcement.includes('vap') ? { residencyNamespaces: [...new Set(drafts.map((d) => d.spec.namespace!))] } : {};
    const envelope: ComplianceEnvelopeSpec | undefined = f.withEnvelope
      ? { profile: f.profile, allowedZones: f.zones, monthlyBudgetUsd: gpuLimit * 3000, enforcement: f.enforcement, ...residency }
      : undefined;
    return {
      apiVersion: 'tokenscale.io/v1alpha1' as const,
      kind: 'Fleet' as const,
      ...(envelope ? { envelope } : {}),
      pools: [pool],
      services: drafts.map((d) => d.spec),
    };
  });
});

const HOSTILE_STRINGS = [
  '', ' ', 'UPPER', 'a'.repeat(300), '../../etc/passwd', 'name\nwith-newline', '${jndi:ldap://x}', '<script>alert(1)</script>', 'ünïcödé',
  'has space', '-leading-dash', 'trailing.', 'a/b', '\u0000', '🙂', 'DROP TABLE;', '0', 'null',
];

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(-1, 0, 0.5, 1e9, -1e9, Number.NaN, Infinity, 2 ** 53),
  fc.constantFrom(null, true, false, [], {}, [1, 2], { nested: { x: 1 } }),
);

/** Paths of fields worth corrupting, relative to the fleet. */
const FIELDS: ReadonlyArray<readonly (string | number)[]> = [
  ['services', 0, 'name'], ['services', 0, 'namespace'], ['services', 0, 'model'], ['services', 0, 'gpusPerReplica'],
  ['services', 0, 'maxModelLen'], ['services', 0, 'replicas'], ['services', 0, 'workload'], ['services', 0, 'costLabels'],
  ['services', 0, 'costLabels', 'team'], ['services', 0, 'labels'], ['services', 0, 'drain'], ['services', 0, 'drain', 'maxOutputTokens'],
  ['services', 0, 'placement'], ['services', 0, 'image'], ['services', 0, 'nodePool'], ['services', 0, 'scaler'],
  ['services', 0, 'scaler', 'minReplicas'], ['services', 0, 'scaler', 'maxReplicas'], ['services', 0, 'scaler', 'signals'],
  ['services', 0, 'scaler', 'signals', 0], ['services', 0, 'scaler', 'signals', 0, 'kind'], ['services', 0, 'scaler', 'behavior'],
  ['services', 0, 'hfTokenSecret'], ['services', 0, 'modelCache'], ['services', 0, 'monitoring'], ['services', 0, 'network'],
  ['pools', 0, 'name'], ['pools', 0, 'gpuLimit'], ['pools', 0, 'zones'], ['pools', 0, 'instanceFamilies'], ['pools', 0, 'capacity'],
  ['pools', 0, 'nodeClass'], ['pools', 0, 'nodeClass', 'clusterName'], ['envelope'], ['envelope', 'allowedZones'], ['envelope', 'profile'],
  ['envelope', 'maxReplicas'], ['envelope', 'waivers'], ['envelope', 'enforcement'], ['envelope', 'requiredLabels'], ['services'], ['pools'],
  ['apiVersion'], ['kind'], ['services', 0, 'resources'], ['services', 0, 'modelProfile'], ['services', 0, 'extraEngineArgs'],
  ['services', 0, 'scaler', 'scheduled'], ['services', 0, 'scaler', 'prometheus'], ['services', 0, 'scaler', 'observability'],
  ['services', 0, 'scaler', 'engine'], ['services', 0, 'scaler', 'fallbackReplicas'], ['services', 0, 'startupBudgetSeconds'],
  ['pools', 0, 'priceOverrides'], ['pools', 0, 'labels'], ['pools', 0, 'expireAfter'], ['pools', 0, 'nodeClass', 'amiAlias'],
  ['pools', 0, 'nodeClass', 'tags'], ['dcgmExporter'], ['prometheusAdapter'], ['services', 0, 'tensorParallelSize'],
  ['envelope', 'residencyNamespaces'], ['envelope', 'residencyNamespaces', 0], ['pools', 0, 'spotPriceOverrides'],
  ['pools', 0, 'spotPriceOverrides', 'g6.xlarge'],
];

/** One way to break a fleet. */
export type Mutation =
  | { readonly op: 'set'; readonly path: readonly (string | number)[]; readonly value: unknown }
  | { readonly op: 'delete'; readonly path: readonly (string | number)[] }
  | { readonly op: 'unknownKey'; readonly path: readonly (string | number)[]; readonly key: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...FIELDS), value: wrongValue }),
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...FIELDS) }),
  fc.record({
    op: fc.constant('unknownKey' as const),
    path: fc.constantFrom<readonly (string | number)[]>([], ['services', 0], ['services', 0, 'scaler'], ['pools', 0], ['envelope'], ['services', 0, 'drain']),
    key: fc.constantFrom('gpuPerReplica', 'replica', 'foo', '__proto__', 'constructor', 'maxReplica'),
  }),
);

/** Applies a mutation to a deep copy of the fleet. */
export function mutate(fleet: FleetSpec, m: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(fleet)) as Record<string, unknown>;
  const parentPath = m.op === 'unknownKey' ? m.path : m.path.slice(0, -1);
  let parent: any = copy;
  for (const key of parentPath) {
    if (parent === null || typeof parent !== 'object' || !(key in parent)) return copy;
    parent = parent[key];
  }
  if (parent === null || typeof parent !== 'object') return copy;
  if (m.op === 'unknownKey') Object.defineProperty(parent, m.key, { value: 1, enumerable: true, configurable: true, writable: true });
  else if (m.op === 'delete' && Array.isArray(parent)) parent.splice(Number(m.path[m.path.length - 1]), 1);
  else if (m.op === 'delete') delete parent[m.path[m.path.length - 1]];
  else parent[m.path[m.path.length - 1]] = m.value;
  return copy;
}
