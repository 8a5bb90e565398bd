/**
 * The default example: an interactive Llama-3.1-8B-Instruct service on one GPU per replica, with a
 * Hugging Face token from a Secret and cost-attribution labels, scaled on queue depth and TTFT, on a
 * Karpenter pool of L4 GPU nodes with the DCGM exporter.
 */
import { App, Chart } from 'cdk8s';
import { ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, PrometheusAdapter, ScalingSignal, TokenAwareScaler } from 'tokenscale/cdk8s';

/** Options of the default example. */
export interface DefaultAppOptions {
  /** Autoscaler engine. @default 'keda' */
  readonly engine?: 'keda' | 'hpa';
}

export function buildDefaultApp(options: DefaultAppOptions = {}): App {
  const app = new App();
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  // The envelope governs every construct created after it in the app.
  new ComplianceEnvelope(app, 'compliance', { profile: 'baseline', allowedZones: zones, monthlyBudgetUsd: 30_000 });
  const cluster = new Chart(app, 'cluster');
  const pool = new GpuNodePool(cluster, 'gpu-l4', {
    instanceFamilies: ['g6'],
    zones,
    gpuLimit: 8,
    nodeClass: { clusterName: 'prod', role: 'KarpenterNodeRole-prod', tags: { 'cost-center': 'cc-4102' } },
  });
  new DcgmExporter(cluster, 'dcgm', { monitorLabels: { release: 'kube-prometheus-stack' } });

  const chart = new Chart(app, 'inference');
  const llama = new LlmInferenceService(chart, 'llama-8b', {
    namespace: 'llm',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    servedModelName: 'llama-3.1-8b-instruct',
    gpusPerReplica: 1,
    maxModelLen: 8192,
    nodePool: pool,
    hfTokenSecret: { secretName: 'hf-token', key: 'token' },
    costLabels: { team: 'assistant', feature: 'chat', costCenter: 'cc-4102' },
    monitoring: { labels: { release: 'kube-prometheus-stack' } },
  });
  const engine = options.engine ?? 'keda';
  new TokenAwareScaler(chart, 'llama-8b-scaler', {
    target: llama,
    engine,
    adapter: engine === 'hpa' ? new PrometheusAdapter(cluster, 'prometheus-adapter') : undefined,
    signals: [ScalingSignal.queueDepth(5), ScalingSignal.timeToFirstToken(1.0)],
    minReplicas: 2,
    maxReplicas: 6,
  });
  return app;
}
