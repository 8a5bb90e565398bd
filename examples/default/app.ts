/**
 * The default example: an interactive Llama-3.1-8B-Instruct service on one GPU per replica, with a
 * Hugging Face token from a Secret and cost-attribution labels, scaled on queue depth and KV-cache use, on a
 * Karpenter pool of L4 GPU nodes with the DCGM exporter, inside a baseline compliance envelope.
 */
import { App, Chart } from 'cdk8s';
import { DCGM_MONITOR_LABELS, ENVELOPE, POOL, SCALER, SERVICE } from './spec';
import { ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, PrometheusAdapter, TokenAwareScaler } from 'tokenscale/cdk8s';

/** Options of the default example. */
export interface DefaultAppOptions {
  /** Autoscaler engine. @default 'keda' */
  readonly engine?: 'keda' | 'hpa';
}

export function buildDefaultApp(options: DefaultAppOptions = {}): App {
  const app = new App();
  // The envelope governs every construct created after it in the app.
  new ComplianceEnvelope(app, 'compliance', ENVELOPE);
  const cluster = new Chart(app, 'cluster');
  const pool = new GpuNodePool(cluster, POOL.name, POOL);
  new DcgmExporter(cluster, 'dcgm', { monitorLabels: DCGM_MONITOR_LABELS });

  const chart = new Chart(app, 'inference');
  const llama = new LlmInferenceService(chart, SERVICE.name, { ...SERVICE, nodePool: pool });
  const engine = options.engine ?? 'keda';
  new TokenAwareScaler(chart, `${SERVICE.name}-scaler`, {
    ...SCALER,
    target: llama,
    engine,
    adapter: engine === 'hpa' ? new PrometheusAdapter(cluster, 'prometheus-adapter') : undefined,
  });
  return app;
}
