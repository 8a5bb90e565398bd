import { Testing } from 'cdk8s';
import { buildDefaultApp } from '../../examples/default/app';
import { TokenscaleError } from 'tokenscale';
import { LlmInferenceService, ScalingSignal, TokenAwareScaler } from 'tokenscale/cdk8s';

describe('TokenAwareScaler (cdk8s)', () => {
  test('emits the ScaledObject and takes spec.replicas out of the target Deployment', () => {
    const chart = Testing.chart();
    const llama = new LlmInferenceService(chart, 'llama', { model: 'm/x' });
    const scaler = new TokenAwareScaler(chart, 'scaler', { target: llama, signals: [ScalingSignal.kvCacheUsage(0.75)] });
    const objects = Testing.synth(chart);
    expect(objects.find((o) => o.kind === 'Deployment').spec.replicas).toBeUndefined();
    const so = objects.find((o) => o.kind === 'ScaledObject');
    expect(so).toEqual(scaler.objects[0]);
    expect(objects.filter((o) => ['PrometheusRule', 'ConfigMap'].includes(o.kind))).toEqual(scaler.objects.slice(1));
    expect(so.spec.triggers[0].metadata.threshold).toBe('0.75');
  });

  test('signal factories return spec data', () => {
    expect(ScalingSignal.timeToFirstToken(0.5, { quantile: 0.99 })).toEqual({ kind: 'timeToFirstToken', targetSeconds: 0.5, quantile: 0.99 });
    expect(ScalingSignal.queueDepth()).toEqual({ kind: 'queueDepth', targetPerReplica: undefined });
  });

  test('fails when the target pins replicas', () => {
    const chart = Testing.chart();
    const llama = new LlmInferenceService(chart, 'llama', { model: 'm/x', replicas: 3 });
    expect(() => new TokenAwareScaler(chart, 'scaler', { target: llama })).toThrow(/`service.replicas` is 3.*\[replicas-pinned\]/);
  });

  test('fails when a second scaler targets the same service', () => {
    const chart = Testing.chart();
    const llama = new LlmInferenceService(chart, 'llama', { model: 'm/x' });
    new TokenAwareScaler(chart, 'a', { target: llama });
    let caught: unknown;
    try {
      new TokenAwareScaler(chart, 'b', { target: llama, engine: 'hpa' });
    } catch (err) {
      caught = err;
    }
    expect((caught as TokenscaleError).codes).toEqual(['target-already-scaled']);
  });

  test.each(['keda', 'hpa'] as const)('the default example synthesizes with the %s engine', (engine) => {
    const objects = buildDefaultApp({ engine }).charts.flatMap((c) => c.toJson());
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toContain(engine === 'keda' ? 'ScaledObject' : 'HorizontalPodAutoscaler');
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'llama-8b').spec.replicas).toBeUndefined();
  });
});
