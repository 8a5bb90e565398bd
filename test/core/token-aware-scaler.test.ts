import { REFERENCE_METRICS } from '../fixtures/reference-metrics';
import { promqlErrors, promqlMetricNames } from '../support/promql';
import {
  buildTokenAwareScaler, isBuiltInTriggerName, resolveLlmInferenceService, signalQuery, TokenAwareScalerSpec, tokenAwareScalerIssues, TokenscaleError,
} from 'tokenscale';

const service = resolveLlmInferenceService({ name: 'llama', namespace: 'llm', model: 'meta-llama/Llama-3.1-8B-Instruct', servedModelName: 'llama-8b' });
const batch = resolveLlmInferenceService({ name: 'summarize', model: 'm/x', workload: 'batch' });

function issues(spec: Record<string, unknown>, target = service) {
  return tokenAwareScalerIssues(spec as TokenAwareScalerSpec, target);
}

describe('TokenAwareScaler spec validation', () => {
  test('accepts the default spec', () => {
    expect(issues({})).toEqual([]);
  });

  it.each([
    ['min above max', { minReplicas: 5, maxReplicas: 3 }, 'replica-range-invalid', 'scaler.minReplicas'],
    ['an interactive service scales to zero', { minReplicas: 0 }, 'min-replicas-invalid', 'scaler.minReplicas'],
    ['scheduled windows in HPA mode', { engine: 'hpa', scheduled: [{ start: '0 8 * * 1-5', end: '0 18 * * 1-5', timezone: 'UTC', desiredReplicas: 3 }] }, 'schedule-needs-keda', 'scaler.scheduled'],
    ['signals are empty', { signals: [] }, 'signals-empty', 'scaler.signals'],
    ['a queue target is 0', { signals: [{ kind: 'queueDepth', targetPerReplica: 0 }] }, 'target-invalid', 'scaler.signals[0].targetPerReplica'],
    ['a KV target is above 1', { signals: [{ kind: 'kvCacheUsage', target: 1.5 }] }, 'kv-target-invalid', 'scaler.signals[0].target'],
    ['a TTFT target is not above the smallest bucket', { signals: [{ kind: 'timeToFirstToken', targetSeconds: 0.001 }] }, 'ttft-target-invalid', 'scaler.signals[0].targetSeconds'],
    ['a quantile is 1', { signals: [{ kind: 'timeToFirstToken', targetSeconds: 1, quantile: 1 }] }, 'quantile-invalid', 'scaler.signals[0].quantile'],
    ['a cron expression does not parse', { scheduled: [{ start: '61 8 * * *', end: '0 18 * * *', timezone: 'UTC', desiredReplicas: 3 }] }, 'cron-invalid', 'scaler.scheduled[0].start'],
    ['a time zone is unknown', { scheduled: [{ start: '0 8 * * *', end: '0 18 * * *', timezone: 'Mars/Olympus', desiredReplicas: 3 }] }, 'timezone-invalid', 'scaler.scheduled[0].timezone'],
    ['scale-down stabilization is shorter than the cold start', { behavior: { scaleDown: { stabilizationWindowSeconds: 120 } } }, 'scale-down-faster-than-cold-start', 'scaler.behavior.scaleDown.stabilizationWindowSeconds'],
    ['a signal kind is unknown', { signals: [{ kind: 'cpu' }] }, 'signal-kind-invalid', 'scaler.signals[0].kind'],
    ['a signal repeats', { signals: [{ kind: 'queueDepth' }, { kind: 'queueDepth', targetPerReplica: 3 }] }, 'signal-duplicate', 'scaler.signals[1]'],
    ['a custom query takes the trigger name of a vLLM signal', { signals: [{ kind: 'queueDepth' }, { kind: 'prometheusQuery', name: 'queue', query: 'sum(jobs)', targetPerReplica: 5 }] }, 'signal-name-reserved', 'scaler.signals[1].name'],
    ['a custom query takes the in-flight trigger name', { signals: [{ kind: 'prometheusQuery', name: 'in-flight', query: 'sum(jobs)', targetPerReplica: 5 }] }, 'signal-name-reserved', 'scaler.signals[0].name'],
    ['a custom query takes a scheduled window\'s trigger name', { signals: [{ kind: 'prometheusQuery', name: 'schedule-0', query: 'sum(jobs)', targetPerReplica: 5 }] }, 'signal-name-reserved', 'scaler.signals[0].name'],
    ['a policy period is out of the API range', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 3600 }] } } }, 'policy-period-invalid', 'scaler.behavior.scaleUp.policies[0].periodSeconds'],
  ])('fails when %s', (_what, spec, code, path) => {
    expect(issues(spec).map((i) => [i.code, i.path])).toContainEqual([code, path]);
  });

  test('every trigger tokenscale names itself is reserved from custom queries', () => {
    const own = [
      signalQuery(service, { kind: 'queueDepth' }), signalQuery(service, { kind: 'kvCacheUsage' }),
      signalQuery(service, { kind: 'timeToFirstToken', targetSeconds: 1 }), signalQuery(service, { kind: 'generationThroughput', tokensPerSecondPerReplica: 500 }),
    ].map((q) => q.name);
    const resting = buildTokenAwareScaler({
      minReplicas: 0,
      signals: [{ kind: 'prometheusQuery', name: 'jobs', query: 'sum(jobs)', targetPerReplica: 5 }],
      scheduled: [{ start: '0 8 * * *', end: '0 9 * * *', timezone: 'UTC', desiredReplicas: 1 }],
    }, batch);
    const emitted = resting.scaledObject!.spec.triggers.map((t) => t.name!).filter((n) => n !== 'jobs');
    expect(emitted).toEqual(['in-flight', 'schedule-0']);
    for (const name of [...own, ...emitted]) expect(isBuiltInTriggerName(name)).toBe(true);
    expect(isBuiltInTriggerName('jobs')).toBe(false);
  });

  test('fails when the target pins its replicas', () => {
    const pinned = resolveLlmInferenceService({ name: 'llama', model: 'm/x', replicas: 3 });
    expect(issues({}, pinned)).toEqual([expect.objectContaining({ code: 'replicas-pinned', path: 'service.replicas', value: 3 })]);
  });

  test('allows scale-to-zero only for batch services on KEDA with a signal that exists at zero', () => {
    expect(issues({ minReplicas: 0 }, batch).map((i) => i.code)).toEqual(['scale-from-zero-blind']);
    expect(issues({ minReplicas: 0, signals: [{ kind: 'prometheusQuery', name: 'jobs', query: 'sum(job_queue_depth)', targetPerReplica: 20 }] }, batch)).toEqual([]);
    expect(issues({ minReplicas: 0, engine: 'hpa', signals: [{ kind: 'prometheusQuery', name: 'jobs', query: 'sum(job_queue_depth)', targetPerReplica: 20 }] }, batch).map((i) => i.code))
      .toEqual(['min-replicas-invalid', 'signal-needs-keda']);
  });

  test('throws all problems together, naming the target', () => {
    expect(() => buildTokenAwareScaler({ minReplicas: 0, maxReplicas: 0 }, service)).toThrow(TokenscaleError);
    try {
      buildTokenAwareScaler({ minReplicas: 0, maxReplicas: 0 }, service);
    } catch (err) {
      expect((err as TokenscaleError).codes).toEqual(['min-replicas-invalid', 'max-replicas-invalid']);
      expect((err as Error).message).toMatch(/^TokenAwareScaler for "llama": validation failed/);
    }
  });
});

describe('TokenAwareScaler default configuration', () => {
  const built = buildTokenAwareScaler({}, service);
  const so = built.scaledObject!;

  test('KEDA, queue depth 5 and KV cache 75% per replica, 2..8 replicas, polling every 15 s', () => {
    expect(built.horizontalPodAutoscaler).toBeUndefined();
    expect(so.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 8, pollingInterval: 15, cooldownPeriod: 300 });
    expect(so.spec.triggers).toEqual([{
      type: 'prometheus',
      name: 'queue',
      metricType: 'AverageValue',
      metadata: {
        serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
        query: 'sum(vllm:num_requests_waiting{namespace="llm",model_name="llama-8b"})',
        threshold: '5',
        activationThreshold: '0',
        ignoreNullValues: 'false',
      },
    }, {
      type: 'prometheus',
      name: 'kv-cache',
      metricType: 'AverageValue',
      metadata: {
        serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
        query: 'sum(vllm:kv_cache_usage_perc{namespace="llm",model_name="llama-8b"})',
        threshold: '0.75',
        activationThreshold: '0',
        ignoreNullValues: 'false',
      },
    }]);
  });

  test('fast up (4 pods or 100% per minute), slow down (10 min window, 1 pod per 2 min)', () => {
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    });
  });

  test('holds capacity on a metrics outage', () => {
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'currentReplicasIfHigher' });
  });
});

describe('TokenAwareScaler objects', () => {
  const all = {
    signals: [
      { kind: 'queueDepth', targetPerReplica: 3 },
      { kind: 'kvCacheUsage', target: 0.7 },
      { kind: 'timeToFirstToken', targetSeconds: 1.0, quantile: 0.9, windowSeconds: 180 },
      { kind: 'generationThroughput', tokensPerSecondPerReplica: 1500 },
    ],
  } as TokenAwareScalerSpec;

  test('every emitted query parses with the PromQL grammar and uses only documented series', () => {
    for (const engine of ['keda', 'hpa'] as const) {
      const built = buildTokenAwareScaler({ ...all, engine }, service);
      for (const q of built.queries) {
        expect(promqlErrors(q.query)).toEqual([]);
        for (const name of promqlMetricNames(q.query)) expect(REFERENCE_METRICS).toContain(name);
      }
    }
  });

  test('the TTFT query scales by the ratio of observed to target latency, over existing buckets', () => {
    const ttft = buildTokenAwareScaler(all, service).queries.find((q) => q.name === 'ttft')!;
    const replicas = 'count(vllm:num_requests_running{namespace="llm",model_name="llama-8b"})';
    expect(ttft.query).toBe(
      '(histogram_quantile(0.9, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="llm",model_name="llama-8b"}[180s])))'
      + ` * ${replicas} >= 0) or on() (0 * ${replicas})`,
    );
    expect(ttft.targetPerReplica).toBe(1);
  });

  test('HPA mode: External AverageValue metrics with the same behaviour', () => {
    const built = buildTokenAwareScaler({ ...all, engine: 'hpa' }, service);
    const hpa = built.horizontalPodAutoscaler!;
    expect(built.scaledObject).toBeUndefined();
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama' });
    expect(hpa.spec!.metrics!.map((m) => [m.external!.metric.name, m.external!.target.averageValue])).toEqual([
      ['tokenscale_llama_queue', '3'], ['tokenscale_llama_kv_cache', '0.7'], ['tokenscale_llama_ttft', '1'], ['tokenscale_llama_generation', '1500'],
    ]);
    expect(hpa.spec!.behavior!.scaleDown!.stabilizationWindowSeconds).toBe(600);
  });

  test('scheduled windows become cron triggers; authentication a TriggerAuthentication', () => {
    const built = buildTokenAwareScaler({
      scheduled: [{ start: '0 8 * * 1-5', end: '0 18 * * 1-5', timezone: 'Europe/Berlin', desiredReplicas: 4 }],
      prometheus: { serverAddress: 'https://prom.example.com', authentication: { mode: 'bearer', secretName: 'prom-token' } },
    }, service);
    expect(built.scaledObject!.spec.triggers[2]).toEqual({
      type: 'cron', name: 'schedule-0', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '4' },
    });
    expect(built.scaledObject!.spec.triggers[0]).toMatchObject({ authenticationRef: { name: 'llama-prometheus', kind: 'TriggerAuthentication' }, metadata: { authModes: 'bearer' } });
    expect(built.triggerAuthentication!.spec.secretTargetRef).toEqual([{ parameter: 'bearerToken', name: 'prom-token', key: 'bearerToken' }]);
  });

  test('batch services read an empty answer as no load', () => {
    const built = buildTokenAwareScaler({ minReplicas: 0, signals: [{ kind: 'prometheusQuery', name: 'jobs', query: 'sum(job_queue_depth)', targetPerReplica: 20, activationThreshold: 1 }] }, batch);
    expect(built.scaledObject!.spec.triggers[0].metadata).toMatchObject({ ignoreNullValues: 'true', activationThreshold: '1', threshold: '20' });
    expect(built.scaledObject!.spec.minReplicaCount).toBe(0);
  });
});
