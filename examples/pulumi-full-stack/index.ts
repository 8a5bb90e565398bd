/**
 * A full stack with Pulumi: cluster add-ons, a GPU pool with its IAM role and interruption queue, the
 * DCGM exporter, a HIPAA envelope, and an interactive service with its scaler.
 */
import * as k8s from '@pulumi/kubernetes';
import {
  ClusterAddons, ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, TokenAwareScaler,
} from 'tokenscale/pulumi';

export function fullStack() {
  const provider = new k8s.Provider('eks', {});
  const zones = ['eu-central-1a', 'eu-central-1b'];
  const pool = new GpuNodePool('gpu-l4', {
    instanceFamilies: ['g6'],
    zones,
    gpuLimit: 12,
    capacity: { kind: 'onDemandFloorSpotBurst', onDemandGpus: 4 },
    nodeClass: { clusterName: 'prod-eu', tags: { 'cost-center': 'cc-4102' } },
    provider,
  });
  const addons = new ClusterAddons('addons', { clusterName: 'prod-eu', interruptionQueueName: pool.interruptionQueueName, gatekeeper: true, provider });
  const envelope = new ComplianceEnvelope('hipaa', {
    profile: 'hipaa', allowedZones: zones, enforcement: ['gatekeeper', 'vap'], monthlyBudgetUsd: 40_000, provider,
  }, { dependsOn: addons.ready });
  new DcgmExporter('dcgm', { provider }, { dependsOn: addons.ready });
  const llama = new LlmInferenceService('llama-8b', {
    namespace: 'llm',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    maxModelLen: 8192,
    hfTokenSecret: { secretName: 'hf-token' },
    costLabels: { team: 'assistant', costCenter: 'cc-4102' },
    labels: { 'tokenscale.io/data-classification': 'phi' },
    nodePool: pool,
    envelope,
    autoscaled: true,
    provider,
  }, { dependsOn: addons.ready });
  const scaler = new TokenAwareScaler('llama-8b-scaler', { target: llama, minReplicas: 2, maxReplicas: 8 }, { dependsOn: addons.ready });
  return { pool, addons, envelope, llama, scaler };
}
