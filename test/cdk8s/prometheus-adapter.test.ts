import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { buildDefaultApp } from '../../examples/default/app';
import { promqlErrors } from '../support/promql';
import { TokenscaleError } from 'tokenscale';
import { LlmInferenceService, PrometheusAdapter, synthesize, TokenAwareScaler } from 'tokenscale/cdk8s';

describe('PrometheusAdapter (cdk8s)', () => {
  test('serves the External metrics of every hpa scaler registered into it', () => {
    const objects = buildDefaultApp({ engine: 'hpa' }).charts.flatMap((c) => c.toJson());
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    const config = parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-adapter-config').data['config.yaml']);
    const served = config.externalRules.map((r: any) => r.name.as);
    expect(served).toEqual(hpa.spec.metrics.map((m: any) => m.external.metric.name));
    for (const rule of config.externalRules) {
      expect(promqlErrors(rule.metricsQuery)).toEqual([]);
      expect(promqlErrors(rule.seriesQuery)).toEqual([]);
      expect(rule.resources).toEqual({ namespaced: false });
    }
  });

  test('claims only the External metrics API, with a pinned image', () => {
    const objects = buildDefaultApp({ engine: 'hpa' }).charts.flatMap((c) => c.toJson());
    expect(objects.filter((o) => o.kind === 'APIService').map((o) => o.metadata.name)).toEqual(['v1beta1.external.metrics.k8s.io']);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'prometheus-adapter');
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0');
    expect(deployment.spec.template.spec.containers[0].args).toContain('--prometheus-url=http://prometheus-operated.monitoring.svc:9090');
  });

  test('fails validation when a KEDA scaler shares the cluster (both claim external.metrics.k8s.io)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new PrometheusAdapter(chart, 'adapter');
    new TokenAwareScaler(chart, 'scaler', { target: new LlmInferenceService(chart, 'llama', { model: 'm/x' }) });
    expect(() => synthesize(app, { outdir: path.join(os.tmpdir(), 'tokenscale-never-written') })).toThrow(/c\/adapter: KEDA scalers \(c\/scaler\) and a Prometheus Adapter both claim/);
  });

  test('fails when an hpa scaler has no adapter', () => {
    const chart = Testing.chart();
    const llama = new LlmInferenceService(chart, 'llama', { model: 'm/x' });
    let caught: unknown;
    try {
      new TokenAwareScaler(chart, 'scaler', { target: llama, engine: 'hpa' });
    } catch (err) {
      caught = err;
    }
    expect((caught as TokenscaleError).codes).toEqual(['adapter-missing']);
  });

  test('fails when an hpa scaler has a custom query signal', () => {
    const chart = Testing.chart();
    const llama = new LlmInferenceService(chart, 'llama', { model: 'm/x' });
    const adapter = new PrometheusAdapter(chart, 'adapter');
    expect(() => new TokenAwareScaler(chart, 'scaler', {
      target: llama, engine: 'hpa', adapter, signals: [{ kind: 'prometheusQuery', name: 'jobs', query: 'sum(jobs)', targetPerReplica: 1 }],
    })).toThrow(/\[signal-needs-keda\]/);
  });
});
