/**
 * What both front ends do before emitting a service or its scaler: apply the envelope's defaults, take
 * placement from the GPU pool, build, and check the service against the pool. One place, so cdk8s and
 * Pulumi cannot drift apart.
 */
import { placeOnPool, servicePoolIssues } from '../cost/placement';
import { DEFAULT_MAX_REPLICAS } from '../defaults';
import { TokenscaleError } from '../errors';
import { DeploymentBuildOptions } from './deployment';
import { buildLlmInferenceService, LlmInferenceServiceObjects } from './llm-inference-service';
import { applyEnvelopeDefaults, ResolvedComplianceEnvelope } from '../spec/compliance-envelope';
import type { ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import type { LlmInferenceServiceSpec, ResolvedLlmInferenceService } from '../spec/llm-inference-service';
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
  const built = buildLlmInferenceService(context.pool ? placeOnPool(withEnvelope, context.pool) : withEnvelope, options);
  const issues = context.pool ? servicePoolIssues(built.spec, context.pool) : [];
  if (issues.length > 0) throw new TokenscaleError(issues, `LlmInferenceService ${JSON.stringify(spec.name)}`);
  return built;
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
