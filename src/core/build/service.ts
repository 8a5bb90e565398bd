import type { Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import * as d from '../defaults';
import { selectorLabels, serviceLabels } from './labels';
import { API_PORT_NAME, METRICS_PORT_NAME } from './vllm-container';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

type Named<T> = T & { metadata: { name: string } };

/** ClusterIP Service with named ports for the API and for `/metrics` (both served by vLLM's one listener). */
export function buildService(service: ResolvedLlmInferenceService): Named<Service> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service) },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(service),
      ports: [
        { name: API_PORT_NAME, port: d.VLLM_PORT, targetPort: API_PORT_NAME, protocol: 'TCP' },
        { name: METRICS_PORT_NAME, port: d.METRICS_SERVICE_PORT, targetPort: API_PORT_NAME, protocol: 'TCP' },
      ],
    },
  };
}

/** A ServiceAccount of its own, with no API token mounted: the server never calls the Kubernetes API. */
export function buildServiceAccount(service: ResolvedLlmInferenceService): Named<ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service) },
    automountServiceAccountToken: false,
  };
}

/**
 * A PodDisruptionBudget that limits voluntary disruptions to one pod at a time and never blocks a drain:
 * `maxUnavailable` instead of a `minAvailable` that could equal the replica count, and unhealthy pods
 * always evictable (a pod stuck loading must not hold a node drain hostage).
 */
export function buildPodDisruptionBudget(service: ResolvedLlmInferenceService): Named<PodDisruptionBudget> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service) },
    spec: {
      maxUnavailable: d.DEFAULT_PDB_MAX_UNAVAILABLE,
      selector: { matchLabels: selectorLabels(service) },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
