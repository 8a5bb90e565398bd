/**
 * What both front ends do before emitting a service or its scaler: apply the envelope's defaults, take
 * placement from the GPU pool, build, and check the service against the pool. One place, so cdk8s and
 * Pulumi cannot drift apart.
 */
import { placeOnPool, servicePoolIssues } from '../cost/placement';
import { DEFAULT_COLD_START_SECONDS, DEFAULT_DECODE_TOKENS_PER_SECOND, DEFAULT_MAX_REPLICAS } from '../defaults';
import { TokenscaleError } from '../errors';
import { DeploymentBuildOptions } from './deployment';
import { buildLlmInferenceService, LlmInferenceServiceObjects } from './llm-inference-service';
import { loadedDecodeTokensPerSecond, replicaProfileOnPool } from '../simulate/gpu-profiles';
import { applyEnvelopeDefaults, ResolvedComplianceEnvelope } from '../spec/compliance-envelope';
import type { ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import { LlmInferenceServiceSpec, resolveLlmInferenceService, ResolvedLlmInferenceService } from '../spec/llm-inference-service';
import { llmInferenceServiceIssues } from '../spec/llm-inference-service-issues';
import type { TokenAwareScalerSpec } from '../spec/token-aware-scaler';

/** The surroundings of a service. */
export interface ServiceContext {
  /** @default - no envelope */
  readonly envelope?: ResolvedComplianceEnvelope;
  /** @default - no pool */
  readonly pool?: ResolvedGpuNodePool;
}

/** Builds a service inside its envelope and on its pool; throws every problem, pool mismatches included. */
export function buildPlacedService(
  spec: LlmInferenceServiceSpec, context: ServiceContext, options: DeploymentBuildOptions = {},
): LlmInferenceServiceObjects {
  const withEnvelope = context.envelope ? applyEnvelopeDefaults(spec, context.envelope) : spec;
  const built = buildLlmInferenceService(context.pool ? placeServiceOnPool(withEnvelope, context.pool) : withEnvelope, options);
  const issues = context.pool ? servicePoolIssues(built.spec, context.pool) : [];
  if (issues.length > 0) throw new TokenscaleError(issues, `LlmInferenceService ${JSON.stringify(spec.name)}`);
  return built;
}

/** A service on its pool: placement from the pool (`placeOnPool`) and the drain sized for the pool's GPU (`drainSpeedOnPool`). */
export function placeServiceOnPool(spec: LlmInferenceServiceSpec, pool: ResolvedGpuNodePool): LlmInferenceServiceSpec {
  return drainSpeedOnPool(placeOnPool(spec, pool), pool);
}

/**
 * The drain's decode speed from the GPU the pool gives the service, when the spec sets none: one request's
 * speed on a loaded replica of the model's roofline profile (`loadedDecodeTokensPerSecond`, rounded down to
 * a tenth), where that is below DEFAULT_DECODE_TOKENS_PER_SECOND. An 8B BF16 model on an L4 decodes ~11
 * tokens/s per request at a full KV cache, so 1024 tokens need a 96 s shutdown timeout, not the default's 41 s.
 * The spec is returned as is when it sets the speed, is invalid (the build reports why), or has no profile.
 */
export function drainSpeedOnPool(spec: LlmInferenceServiceSpec, pool: ResolvedGpuNodePool): LlmInferenceServiceSpec {
  if (spec.drain?.decodeTokensPerSecond !== undefined || llmInferenceServiceIssues(spec).length > 0) return spec;
  const derived = replicaProfileOnPool(resolveLlmInferenceService(spec), pool, DEFAULT_COLD_START_SECONDS);
  if (!derived) return spec;
  const speed = Math.max(0.1, Math.floor(loadedDecodeTokensPerSecond(derived.profile) * 10) / 10);
  return speed < DEFAULT_DECODE_TOKENS_PER_SECOND ? { ...spec, drain: { ...spec.drain, decodeTokensPerSecond: speed } } : spec;
}

/**
 * Replica bounds a scaler takes from its envelope when it sets none: an interactive floor of at least the
 * envelope's HA minimum, and a ceiling within the envelope's maximum.
 */
export function scalerBoundsInEnvelope(
  spec: TokenAwareScalerSpec, target: ResolvedLlmInferenceService, envelope?: ResolvedComplianceEnvelope,
): Pick<TokenAwareScalerSpec, 'minReplicas' | 'maxReplicas'> {
  if (!envelope) return { minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  const minReplicas = spec.minReplicas ?? (target.workload === 'interactive' ? Math.max(target.replicas, envelope.haMinReplicas) : undefined);
  const maxReplicas = spec.maxReplicas ?? Math.max(minReplicas ?? target.replicas, Math.min(DEFAULT_MAX_REPLICAS, envelope.maxReplicas));
  return { minReplicas, maxReplicas };
}
