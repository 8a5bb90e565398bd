import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { TokenscaleError } from '../errors';
import { buildDeployment, DeploymentBuildOptions } from './deployment';
import { buildMonitor } from './monitor';
import { buildNetworkPolicy } from './network-policy';
import { buildPodDisruptionBudget, buildService, buildServiceAccount } from './service';
import type { PodMonitor, ServiceMonitor } from '../k8s/monitoring';
import type { KubeObject } from '../k8s/object';
import { LlmInferenceServiceSpec, ResolvedLlmInferenceService, resolveLlmInferenceService } from '../spec/llm-inference-service';
import { llmInferenceServiceIssues } from '../spec/llm-inference-service-issues';

type Named<T> = T & { metadata: { name: string } };

/** Every object of one inference service, by role. */
export interface LlmInferenceServiceObjects {
  readonly spec: ResolvedLlmInferenceService;
  readonly deployment: Named<Deployment>;
  readonly service: Named<Service>;
  readonly serviceAccount: Named<ServiceAccount>;
  readonly podDisruptionBudget: Named<PodDisruptionBudget>;
  readonly networkPolicy: Named<NetworkPolicy>;
  /** @default - none when monitoring is `none` */
  readonly monitor?: ServiceMonitor | PodMonitor;
}

/** Validates a spec and throws a TokenscaleError with every problem; returns the resolved spec. */
export function validateLlmInferenceService(spec: LlmInferenceServiceSpec, path = 'service'): ResolvedLlmInferenceService {
  const issues = llmInferenceServiceIssues(spec, path);
  if (issues.length > 0) {
    throw new TokenscaleError(issues, `LlmInferenceService ${JSON.stringify((spec as { name?: unknown })?.name ?? '')}`);
  }
  return resolveLlmInferenceService(spec);
}

/** Builds every object of an inference service from a valid spec. */
export function buildLlmInferenceService(spec: LlmInferenceServiceSpec, options: DeploymentBuildOptions = {}): LlmInferenceServiceObjects {
  const resolved = validateLlmInferenceService(spec);
  return {
    spec: resolved,
    deployment: buildDeployment(resolved, options),
    service: buildService(resolved),
    serviceAccount: buildServiceAccount(resolved),
    podDisruptionBudget: buildPodDisruptionBudget(resolved),
    networkPolicy: buildNetworkPolicy(resolved),
    monitor: buildMonitor(resolved),
  };
}

/** The objects in apply order: identity and policy before the workload, the workload before its monitor. */
export function llmInferenceServiceObjectList(objects: LlmInferenceServiceObjects): KubeObject[] {
  const list: unknown[] = [
    objects.serviceAccount,
    objects.networkPolicy,
    objects.service,
    objects.podDisruptionBudget,
    objects.deployment,
  ];
  if (objects.monitor) list.push(objects.monitor);
  return list as KubeObject[];
}
