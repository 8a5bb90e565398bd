/**
 * Starter files `tokenscale init` writes: a fleet file and a cdk8s app, both the default example (one
 * interactive Llama-3.1-8B service on L4 GPUs, scaled on queue depth and KV-cache use, in a baseline envelope).
 */

/** A starter fleet.yaml; the modeline gives editors completion from the installed package's schema. */
export const FLEET_TEMPLATE = `# yaml-language-server: $schema=./node_modules/tokenscale/schema/fleet.schema.json
# A tokenscale fleet: \`npx tokenscale synth -f fleet.yaml -o dist/\` writes its manifests,
# \`npx tokenscale cost -f fleet.yaml\` prices it, \`npx tokenscale simulate -f fleet.yaml\` replays a trace on it.
apiVersion: tokenscale.io/v1alpha1
kind: Fleet
envelope:
  profile: baseline              # baseline | hipaa | pci
  allowedZones: [us-east-1a, us-east-1b, us-east-1c]
  monthlyBudgetUsd: 30000        # per NodePool, enforced at synth and admission
pools:
  - name: gpu-l4
    instanceFamilies: [g6]       # NVIDIA L4
    zones: [us-east-1a, us-east-1b, us-east-1c]
    gpuLimit: 12
    nodeClass:
      clusterName: prod
      role: KarpenterNodeRole-prod
      tags:
        cost-center: cc-4102
dcgmExporter:
  monitorLabels:
    release: kube-prometheus-stack
services:
  - name: llama-8b
    namespace: llm
    model: meta-llama/Llama-3.1-8B-Instruct
    servedModelName: llama-3.1-8b-instruct
    gpusPerReplica: 1
    maxModelLen: 8192
    hfTokenSecret:
      secretName: hf-token
      key: token
    costLabels:
      team: assistant
      feature: chat
      costCenter: cc-4102
    monitoring:
      labels:
        release: kube-prometheus-stack
    nodePool: gpu-l4
    scaler:
      signals:
        - kind: queueDepth
          targetPerReplica: 5
        - kind: kvCacheUsage       # leads the queue: the KV cache fills before requests wait
          target: 0.75
      minReplicas: 2
      maxReplicas: 12
`;

/** A starter cdk8s app (main.ts): \`npx ts-node main.ts\` synthesizes it into dist/. */
export const CDK8S_TEMPLATE = `import { App, Chart } from 'cdk8s';
import {
  ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, ScalingSignal, synthesize, TokenAwareScaler,
} from 'tokenscale/cdk8s';

const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const app = new App();
// The envelope governs every construct created after it in the app.
new ComplianceEnvelope(app, 'compliance', { profile: 'baseline', allowedZones: zones, monthlyBudgetUsd: 30_000 });

const cluster = new Chart(app, 'cluster');
const pool = new GpuNodePool(cluster, 'gpu-l4', {
  instanceFamilies: ['g6'],
  zones,
  gpuLimit: 12,
  nodeClass: { clusterName: 'prod', role: 'KarpenterNodeRole-prod', tags: { 'cost-center': 'cc-4102' } },
});
new DcgmExporter(cluster, 'dcgm', { monitorLabels: { release: 'kube-prometheus-stack' } });

const inference = new Chart(app, 'inference');
const llama = new LlmInferenceService(inference, 'llama-8b', {
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  servedModelName: 'llama-3.1-8b-instruct',
  gpusPerReplica: 1,
  maxModelLen: 8192,
  hfTokenSecret: { secretName: 'hf-token', key: 'token' },
  costLabels: { team: 'assistant', feature: 'chat', costCenter: 'cc-4102' },
  monitoring: { labels: { release: 'kube-prometheus-stack' } },
  nodePool: pool,
});
new TokenAwareScaler(inference, 'llama-8b-scaler', {
  target: llama,
  signals: [ScalingSignal.queueDepth(5), ScalingSignal.kvCacheUsage(0.75)],
  minReplicas: 2,
  maxReplicas: 12,
});

console.log(synthesize(app, { outdir: 'dist' }).summaryText);
`;
