import { REFERENCE_METRICS } from '../fixtures/reference-metrics';
import { promqlErrors, promqlMetricNames } from '../support/promql';
import { anyOf, buildTokenAwareScaler, dashboardQueries, resolveLlmInferenceService, scalerTtftSloSeconds, tokenAwareScalerIssues } from 'tokenscale';

const service = resolveLlmInferenceService({ name: 'llama', namespace: 'llm', model: 'm/x', servedModelName: 'llama-8b', gpusPerReplica: 2 });

describe('scaler alerts and dashboard', () => {
  const built = buildTokenAwareScaler({ signals: [{ kind: 'timeToFirstToken', targetSeconds: 1.0 }], maxReplicas: 6 }, service);
  const rules = (built.prometheusRule!.spec as any).groups[0].rules as Array<{ alert: string; expr: string; annotations: Record<string, string> }>;

  test('ships the seven scaling alerts, each with a runbook description', () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'LlmQueueGrowingAtMaxReplicas', 'LlmTtftSloBurn', 'LlmIdleGpus', 'LlmReplicasNotArriving', 'LlmScalingFlapping', 'LlmScalerMetricsAbsent',
      'LlmDrainWindowRanOut',
    ]);
    for (const r of rules) expect(r.annotations.description.length).toBeGreaterThan(40);
  });

  test('the SLO-burn alert takes its threshold from the TTFT signal', () => {
    expect(rules[1].expr.endsWith('> 1')).toBe(true);
    expect(rules[0].expr).toContain('>= 6');
  });

  test('every alert and panel query parses and references only documented series', () => {
    const queries = [...rules.map((r) => r.expr), ...dashboardQueries(built.spec, 1.006).map(([, q]) => q)];
    const dashboard = JSON.parse(Object.values(built.dashboard!.data!)[0]);
    expect(dashboard.panels.map((p: any) => p.targets[0].expr)).toEqual(dashboardQueries(built.spec, 1.006).map(([, q]) => q));
    for (const q of queries) {
      expect(promqlErrors(q)).toEqual([]);
      for (const name of promqlMetricNames(q)) expect(REFERENCE_METRICS).toContain(name);
    }
  });

  test('the cost panel multiplies replicas, GPUs per replica and the GPU-hour price', () => {
    const cost = dashboardQueries(built.spec, 2.5).find(([t]) => t === 'Estimated $/hour')![1];
    expect(cost).toBe('count(vllm:num_requests_running{namespace="llm",model_name="llama-8b"}) * 2 * 2.5');
  });

  test('a panel counts the replicas draining, from the deletion timestamps the drain alert reads', () => {
    const draining = dashboardQueries(built.spec, 1.006).find(([t]) => t === 'Replicas draining')![1];
    expect(draining).toBe('count(kube_pod_deletion_timestamp{namespace="llm",pod=~"llama-[a-z0-9]+-[a-z0-9]+"}) or vector(0)');
    expect(rules.find((r) => r.alert === 'LlmDrainWindowRanOut')!.expr).toContain(draining.slice('count('.length, draining.indexOf(') or')));
  });

  test('a panel counts the replicas per zone, from the zone label every series carries', () => {
    const byZone = dashboardQueries(built.spec, 1.006).find(([t]) => t === 'Replicas by zone')![1];
    expect(byZone).toBe('count by (zone) (vllm:num_requests_running{namespace="llm",model_name="llama-8b"})');
  });

  test('the dashboard is discoverable by the Grafana sidecar', () => {
    expect(built.dashboard!.metadata.labels!.grafana_dashboard).toBe('1');
  });

  test('a service placed in zones gets an alert for a replica outside them, fed by the zone its series carry', () => {
    const placed = resolveLlmInferenceService({
      name: 'llama', namespace: 'llm', model: 'm/x', servedModelName: 'llama-8b', placement: { zones: ['eu-central-1a', 'eu-central-1b'] },
    });
    const placedRules = (buildTokenAwareScaler({}, placed).prometheusRule!.spec as any).groups[0].rules as typeof rules;
    const alert = placedRules.find((r) => r.alert === 'LlmServingOutsideZones')!;
    expect(alert.expr).toBe(
      'count by (zone) (vllm:num_requests_running{namespace="llm",model_name="llama-8b",zone!="",zone!~"eu-central-1a|eu-central-1b"}) > 0');
    expect(promqlErrors(alert.expr)).toEqual([]);
    expect((alert as any).labels.severity).toBe('critical');
    // Without zones there is nothing to compare with, so no alert.
    expect(rules.map((r) => r.alert)).not.toContain('LlmServingOutsideZones');
  });

  test('zone names reach the alert regex with their metacharacters escaped', () => {
    expect(anyOf(['us-east-1a', 'a.b', 'x|y'])).toBe('us-east-1a|a\\.b|x\\|y');
    expect(new RegExp(`^(?:${anyOf(['a.b'])})$`).test('aXb')).toBe(false);
  });

  test('a replica still there within a scrape of the moment vLLM cuts its drain raises the drain alert', () => {
    // Grace 71 s = preStop 15 + shutdown timeout 41 + buffer 15: vLLM aborts 15 s before the deletion timestamp
    // (the SIGKILL), and kube-state-metrics is scraped every 30 s, so a pod seen 45 s or less before it ran out.
    const alert = rules.find((r) => r.alert === 'LlmDrainWindowRanOut')!;
    const deletion = 'kube_pod_deletion_timestamp{namespace="llm",pod=~"llama-[a-z0-9]+-[a-z0-9]+"}';
    expect(service.drain).toMatchObject({ preStopSeconds: 15, shutdownTimeoutSeconds: 41, terminationGracePeriodSeconds: 71 });
    expect(alert.expr).toBe(`max by (namespace, pod) (max_over_time((timestamp(${deletion}) - ${deletion})[15m:30s])) > -45`);
    expect(promqlErrors(alert.expr)).toEqual([]);
    expect((alert as any).labels.severity).toBe('warning');
    expect(alert.annotations.description).toContain('drain.capOutputTokens');
    // A longer grace period than the drain needs moves the cut earlier before the kill.
    const patient = resolveLlmInferenceService({ name: 'llama', namespace: 'llm', model: 'm/x', drain: { terminationGracePeriodSeconds: 120 } });
    const patientRules = (buildTokenAwareScaler({}, patient).prometheusRule!.spec as any).groups[0].rules as typeof rules;
    expect(patientRules.find((r) => r.alert === 'LlmDrainWindowRanOut')!.expr.endsWith('> -94')).toBe(true);
  });

  test('the drain alert selects the Deployment\'s pods, not those of a service whose name extends it', () => {
    const alert = rules.find((r) => r.alert === 'LlmDrainWindowRanOut')!;
    const podRegex = new RegExp(`^(?:${/pod=~"([^"]+)"/.exec(alert.expr)![1]})$`);
    expect(podRegex.test('llama-7d9f8b6c5d-x2x4z')).toBe(true);
    expect(podRegex.test('llama-big-7d9f8b6c5d-x2x4z')).toBe(false);
    expect(podRegex.test('llama-7d9f8b6c5d')).toBe(false);
  });

  test('a completion SLO adds a burn alert on the end-to-end latency histogram, read over twice the SLO', () => {
    const batch = buildTokenAwareScaler({ observability: { completionSloSeconds: 1200 } }, service);
    const alerts = (batch.prometheusRule!.spec as any).groups[0].rules as typeof rules;
    const alert = alerts.find((r) => r.alert === 'LlmCompletionSloBurn')!;
    expect(alert.expr).toBe('histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket'
      + '{namespace="llm",model_name="llama-8b"}[2400s]))) > 1200');
    expect(promqlErrors(alert.expr)).toEqual([]);
    for (const name of promqlMetricNames(alert.expr)) expect(REFERENCE_METRICS).toContain(name);
    // A short SLO still reads 15 minutes of answers; without one there is no such alert.
    const short = buildTokenAwareScaler({ observability: { completionSloSeconds: 30 } }, service);
    expect(((short.prometheusRule!.spec as any).groups[0].rules as typeof rules).find((r) => r.alert === 'LlmCompletionSloBurn')!.expr).toContain('[900s]');
    expect(rules.map((r) => r.alert)).not.toContain('LlmCompletionSloBurn');
  });

  test('a completion SLO past the largest finite end-to-end bucket, or not positive, is refused with its field', () => {
    for (const completionSloSeconds of [0, -5, 7681, Number.NaN]) {
      const issues = tokenAwareScalerIssues({ observability: { completionSloSeconds } }, service);
      expect(issues).toEqual([expect.objectContaining({ code: 'slo-invalid', path: 'scaler.observability.completionSloSeconds' })]);
    }
    expect(tokenAwareScalerIssues({ observability: { completionSloSeconds: 7680 } }, service)).toEqual([]);
  });

  test('the TTFT SLO comes from observability, else the TTFT signal, else 2.5 s', () => {
    expect(scalerTtftSloSeconds(built.spec)).toBe(1.0);
    expect(scalerTtftSloSeconds({ ...built.spec, observability: { ttftSloSeconds: 3 } })).toBe(3);
    expect(scalerTtftSloSeconds(buildTokenAwareScaler({}, service).spec)).toBe(2.5);
  });

  test('alerts and dashboard can be turned off', () => {
    const bare = buildTokenAwareScaler({ observability: { alerts: false, dashboard: false } }, service);
    expect(bare.prometheusRule).toBeUndefined();
    expect(bare.dashboard).toBeUndefined();
  });
});
