/**
 * The default example's specs, shared by its cdk8s app and its Pulumi twin: the same spec gives the
 * same objects through both front ends.
 */
import type { ComplianceEnvelopeSpec, GpuNodePoolSpec, LlmInferenceServiceSpec, TokenAwareScalerSpec } from 'tokenscale';

export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export const ENVELOPE: ComplianceEnvelopeSpec = { profile: 'baseline', allowedZones: ZONES, monthlyBudgetUsd: 30_000 };

export const POOL: GpuNodePoolSpec = {
  name: 'gpu-l4',
  instanceFamilies: ['g6'],
  zones: ZONES,
  gpuLimit: 12,
  nodeClass: { clusterName: 'prod', role: 'KarpenterNodeRole-prod', tags: { 'cost-center': 'cc-4102' } },
};

export const SERVICE: LlmInferenceServiceSpec = {
  name: 'llama-8b',
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  servedModelName: 'llama-3.1-8b-instruct',
  gpusPerReplica: 1,
  maxModelLen: 8192,
  hfTokenSecret: { secretName: 'hf-token', key: 'token' },
  costLabels: { team: 'assistant', feature: 'chat', costCenter: 'cc-4102' },
  monitoring: { labels: { release: 'kube-prometheus-stack' } },
};

/**
 * Queue depth reacts to overload, KV-cache use leads it (it fills before requests queue). Chosen with the
 * simulator on the shared Azure trace (README, "Simulation"): a TTFT target of 1 s is below what an L4
 * delivers on its ~1.2k-token prompts at any replica count, and pinned the service at its maximum.
 */
export const SCALER: TokenAwareScalerSpec = {
  signals: [{ kind: 'queueDepth', targetPerReplica: 5 }, { kind: 'kvCacheUsage', target: 0.75 }],
  minReplicas: 2,
  maxReplicas: 12,
};

export const DCGM_MONITOR_LABELS = { release: 'kube-prometheus-stack' };
