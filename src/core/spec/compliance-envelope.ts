/**
 * The spec of a compliance envelope: the bounds a set of inference services must stay within, stated
 * once and enforced at synth, at admission (Gatekeeper and/or ValidatingAdmissionPolicy) and through the
 * defaults of the constructs in its scope.
 */
import { DEFAULT_DRAIN_BUFFER_SECONDS, DEFAULT_GPU_HOURLY_PRICE_USD } from '../defaults';
import type { LlmInferenceServiceSpec } from './llm-inference-service';
import type { Waiver } from '../rules/evaluate';

/** Parameter presets. */
export type ComplianceProfile = 'baseline' | 'hipaa' | 'pci';

/** Where the rules are enforced after deploy. */
export type EnforcementPoint = 'gatekeeper' | 'vap';

/** The spec of a compliance envelope. Every field overrides the profile's value. */
export interface ComplianceEnvelopeSpec {
  /** Name used for the emitted policies. @default 'tokenscale' */
  readonly name?: string;
  /** @default 'baseline' */
  readonly profile?: ComplianceProfile;
  /** Zones pods and nodes may use (data residency). */
  readonly allowedZones: readonly string[];
  /** Reject pods and pools without a zone constraint. @default - false for baseline, true for hipaa and pci */
  readonly requireZoneConstraint?: boolean;
  /** Lowest replica minimum of any scaler or Deployment. @default 1 */
  readonly minReplicas?: number;
  /** Highest replica maximum. @default 20 */
  readonly maxReplicas?: number;
  /** Replicas interactive services keep across zones. @default 2 */
  readonly haMinReplicas?: number;
  /** Grace beyond preStop + shutdown timeout, in seconds. @default - 5 baseline, 10 hipaa and pci */
  readonly drainBufferSeconds?: number;
  /** Labels every inference Deployment carries. @default - cost center; plus data classification for hipaa and pci */
  readonly requiredLabels?: readonly string[];
  /** Images pinned by digest. @default - true for pci only */
  readonly requireDigestPinnedImages?: boolean;
  /** Monthly GPU budget per NodePool in USD; enables the gpu-budget rule. @default - no budget rule */
  readonly monthlyBudgetUsd?: number;
  /** Price of a GPU-hour for the budget rule. @default 1.006 */
  readonly gpuHourlyUsd?: number;
  /** @default ['vap'] */
  readonly enforcement?: readonly EnforcementPoint[];
  /** Gatekeeper enforcement action; VAP maps deny to Deny, warn to Warn, dryrun to Audit. @default 'deny' */
  readonly enforcementAction?: 'deny' | 'warn' | 'dryrun';
  /** Rules waived for named objects, each with a reason. @default - none */
  readonly waivers?: readonly Waiver[];
  /** Write an audit Policy for scale changes to `audit-policy.yaml`. @default true */
  readonly auditPolicy?: boolean;
  /**
   * Namespaces whose pods may only be bound to nodes in the allowed zones, checked at the moment each pod
   * is bound: a ValidatingAdmissionPolicy on `pods/binding` reads the zone label that Kubernetes 1.35 and
   * later copies from the node (PodTopologyLabels admission plugin). Needs `vap` in `enforcement`, as
   * Gatekeeper does not review that subresource. @default - none: placement is checked on the pod template only
   */
  readonly residencyNamespaces?: readonly string[];
}

/** An envelope with profile and defaults applied. */
export interface ResolvedComplianceEnvelope {
  readonly name: string;
  readonly profile: ComplianceProfile;
  readonly allowedZones: readonly string[];
  readonly requireZoneConstraint: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly haMinReplicas: number;
  readonly drainBufferSeconds: number;
  readonly requiredLabels: readonly string[];
  readonly requireDigestPinnedImages: boolean;
  /** @default - none: no budget rule */
  readonly monthlyBudgetUsd?: number;
  readonly gpuHourlyUsd: number;
  readonly enforcement: readonly EnforcementPoint[];
  readonly enforcementAction: 'deny' | 'warn' | 'dryrun';
  readonly waivers: readonly Waiver[];
  readonly auditPolicy: boolean;
  readonly residencyNamespaces: readonly string[];
}

type ProfilePreset = Omit<ResolvedComplianceEnvelope, 'name' | 'profile' | 'allowedZones' | 'monthlyBudgetUsd' | 'enforcement' | 'enforcementAction' | 'waivers' | 'auditPolicy' | 'residencyNamespaces'>;

/** Baseline: availability and drain for every interactive service; residency checked where stated. */
const BASELINE: ProfilePreset = {
  requireZoneConstraint: false,
  minReplicas: 1,
  maxReplicas: 20,
  haMinReplicas: 2,
  drainBufferSeconds: 5,
  requiredLabels: ['tokenscale.io/cost-center'],
  requireDigestPinnedImages: false,
  gpuHourlyUsd: DEFAULT_GPU_HOURLY_PRICE_USD,
};

/** HIPAA: data stays in approved zones (every pod and pool must say where), data classification labelled, longer drain margin. */
const HIPAA: ProfilePreset = {
  ...BASELINE,
  requireZoneConstraint: true,
  drainBufferSeconds: 10,
  requiredLabels: ['tokenscale.io/cost-center', 'tokenscale.io/data-classification'],
};

/** Profile presets, rule by rule. PCI DSS is HIPAA plus immutable images (pinned by digest). */
export const PROFILES: Readonly<Record<ComplianceProfile, ProfilePreset>> = {
  baseline: BASELINE,
  hipaa: HIPAA,
  pci: { ...HIPAA, requireDigestPinnedImages: true },
};

export function resolveComplianceEnvelope(spec: ComplianceEnvelopeSpec): ResolvedComplianceEnvelope {
  const profile = spec.profile ?? 'baseline';
  const preset = PROFILES[profile];
  return {
    name: spec.name ?? 'tokenscale',
    profile,
    allowedZones: [...spec.allowedZones],
    requireZoneConstraint: spec.requireZoneConstraint ?? preset.requireZoneConstraint,
    minReplicas: spec.minReplicas ?? preset.minReplicas,
    maxReplicas: spec.maxReplicas ?? preset.maxReplicas,
    haMinReplicas: spec.haMinReplicas ?? preset.haMinReplicas,
    drainBufferSeconds: spec.drainBufferSeconds ?? preset.drainBufferSeconds,
    requiredLabels: [...(spec.requiredLabels ?? preset.requiredLabels)],
    requireDigestPinnedImages: spec.requireDigestPinnedImages ?? preset.requireDigestPinnedImages,
    monthlyBudgetUsd: spec.monthlyBudgetUsd,
    gpuHourlyUsd: spec.gpuHourlyUsd ?? preset.gpuHourlyUsd,
    enforcement: [...(spec.enforcement ?? ['vap'])],
    enforcementAction: spec.enforcementAction ?? 'deny',
    waivers: [...(spec.waivers ?? [])],
    auditPolicy: spec.auditPolicy ?? true,
    residencyNamespaces: [...(spec.residencyNamespaces ?? [])],
  };
}

/** Defaults an envelope gives the services in its scope; explicit values are kept (and checked at synth). */
export function applyEnvelopeDefaults(spec: LlmInferenceServiceSpec, env: ResolvedComplianceEnvelope): LlmInferenceServiceSpec {
  const interactive = (spec.workload ?? 'interactive') === 'interactive';
  return {
    ...spec,
    placement: {
      ...spec.placement,
      zones: spec.placement?.zones ?? env.allowedZones,
      zoneSpread: spec.placement?.zoneSpread ?? (interactive ? 'required' : undefined),
    },
    drain: { ...spec.drain, bufferSeconds: spec.drain?.bufferSeconds ?? Math.max(DEFAULT_DRAIN_BUFFER_SECONDS, env.drainBufferSeconds) },
  };
}
