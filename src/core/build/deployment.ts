import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Affinity, PodSpec, Toleration, TopologySpreadConstraint, Volume } from 'kubernetes-types/core/v1';
import * as d from '../defaults';
import { selectorLabels, serviceLabels } from './labels';
import { vllmContainer } from './vllm-container';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** Options a scaler passes when it owns the replica count. */
export interface DeploymentBuildOptions {
  /**
   * Leave `spec.replicas` out so that applying the manifest does not fight the autoscaler.
   * @default false
   */
  readonly omitReplicas?: boolean;
}

function volumes(service: ResolvedLlmInferenceService): Volume[] {
  const cache: Volume = service.modelCache.kind === 'persistentVolumeClaim'
    ? {
      name: 'model-cache',
      persistentVolumeClaim: { claimName: service.modelCache.claimName, ...(service.modelCache.readOnly ? { readOnly: true } : {}) },
    }
    : { name: 'model-cache', emptyDir: { sizeLimit: service.modelCache.sizeLimit ?? d.DEFAULT_MODEL_CACHE_SIZE } };
  return [
    cache,
    { name: 'home', emptyDir: { sizeLimit: '4Gi' } },
    { name: 'tmp', emptyDir: { sizeLimit: '4Gi' } },
    { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: service.resources.sharedMemory } },
  ];
}

function tolerations(service: ResolvedLlmInferenceService): Toleration[] | undefined {
  return service.placement.tolerateGpuTaint
    ? [{ key: d.GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }]
    : undefined;
}

function affinity(service: ResolvedLlmInferenceService): Affinity | undefined {
  if (!service.placement.zones) return undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{
          matchExpressions: [{ key: d.ZONE_LABEL, operator: 'In', values: [...service.placement.zones] }],
        }],
      },
    },
  };
}

function topologySpread(service: ResolvedLlmInferenceService): TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: selectorLabels(service) };
  return [
    {
      topologyKey: d.ZONE_LABEL,
      maxSkew: 1,
      whenUnsatisfiable: service.placement.zoneSpread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector,
    },
    { topologyKey: d.HOSTNAME_LABEL, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/** The vLLM Deployment. */
export function buildDeployment(
  service: ResolvedLlmInferenceService,
  options: DeploymentBuildOptions = {},
): Deployment & { metadata: { name: string } } {
  const labels = serviceLabels(service);
  const podSpec: PodSpec = {
    serviceAccountName: service.name,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: service.drain.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: d.DEFAULT_RUN_AS_USER,
      runAsGroup: d.DEFAULT_RUN_AS_USER,
      fsGroup: d.DEFAULT_RUN_AS_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [vllmContainer(service)],
    volumes: volumes(service),
    tolerations: tolerations(service),
    nodeSelector: Object.keys(service.placement.nodeSelector).length > 0 ? { ...service.placement.nodeSelector } : undefined,
    affinity: affinity(service),
    topologySpreadConstraints: topologySpread(service),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, namespace: service.namespace, labels },
    spec: {
      ...(options.omitReplicas ? {} : { replicas: service.replicas }),
      selector: { matchLabels: selectorLabels(service) },
      // Add a replica before removing one: capacity never dips during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: dropUndefined(podSpec),
      },
    },
  };
}

function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
