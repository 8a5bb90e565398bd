/**
 * An interactive clinical-notes assistant under HIPAA: PHI stays in two approved zones, replicas run on
 * on-demand L40S GPUs only (no spot reclaim can take a warm replica), the image is pinned by digest, and
 * the rules are enforced at synth and again at admission by both Gatekeeper and a
 * ValidatingAdmissionPolicy, with an audit Policy for every scale change; the PHI namespace's pods are
 * also checked where they are bound.
 */
import { App, Chart } from 'cdk8s';
import {
  ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, ScalingSignal, TokenAwareScaler,
} from 'tokenscale/cdk8s';

export const HIPAA_ZONES = ['us-east-1a', 'us-east-1b'];

export function buildHipaaApp(): App {
  const app = new App();
  new ComplianceEnvelope(app, 'compliance', {
    profile: 'hipaa',
    allowedZones: HIPAA_ZONES,
    enforcement: ['gatekeeper', 'vap'],
    monthlyBudgetUsd: 25_000,
    // Refuse, at bind time, any pod of the namespace placed on a node outside the zones.
    residencyNamespaces: ['phi-inference'],
  });

  const cluster = new Chart(app, 'cluster');
  const pool = new GpuNodePool(cluster, 'gpu-l40s-phi', {
    instanceFamilies: ['g6e'],
    zones: HIPAA_ZONES,
    gpuLimit: 6,
    capacity: { kind: 'onDemand' },
    nodeClass: { clusterName: 'clinical', role: 'KarpenterNodeRole-clinical', tags: { 'data-classification': 'phi' } },
  });
  new DcgmExporter(cluster, 'dcgm');

  const chart = new Chart(app, 'inference');
  const notes = new LlmInferenceService(chart, 'clinical-notes', {
    namespace: 'phi-inference',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    image: 'vllm/vllm-openai@sha256:3f5bc2d2a0e4c7f1b9d8e6a5c4b3a29180f7e6d5c4b3a2918f7e6d5c4b3a2918',
    maxModelLen: 16384,
    hfTokenSecret: { secretName: 'hf-token' },
    costLabels: { team: 'clinical-ai', feature: 'notes', costCenter: 'cc-7731' },
    labels: { 'tokenscale.io/data-classification': 'phi' },
    // Only the notes gateway may call the model.
    network: { allowedClients: [{ podLabels: { 'app.kubernetes.io/name': 'notes-gateway' } }] },
    nodePool: pool,
  });
  new TokenAwareScaler(chart, 'clinical-notes-scaler', {
    target: notes,
    signals: [ScalingSignal.queueDepth(3), ScalingSignal.timeToFirstToken(0.8)],
    minReplicas: 2,
    maxReplicas: 6,
  });
  return app;
}
