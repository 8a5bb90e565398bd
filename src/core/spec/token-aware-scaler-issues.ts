/**
 * Validation of a TokenAwareScalerSpec against its target service. Every problem is reported with its
 * field path, the value and the fix.
 */
import { CronExpressionParser } from 'cron-parser';
import * as d from '../defaults';
import { SpecIssue } from '../errors';
import { checkBoolean, checkChoice, checkInteger, checkKnownKeys, checkList, checkNumber, checkObject, isPlainObject } from './checks';
import type { ResolvedLlmInferenceService } from './llm-inference-service';
import type { ScalingBehaviorSpec, ScalingRulesSpec, ScalingSignal, ScheduledCapacitySpec, TokenAwareScalerSpec } from './token-aware-scaler';
import { E2E_LATENCY_LARGEST_BUCKET_SECONDS, TTFT_BUCKETS_SECONDS } from '../metrics/vllm';
import { isBuiltInTriggerName } from '../promql/scaling-queries';

const SPEC_KEYS = [
  'engine', 'signals', 'minReplicas', 'maxReplicas', 'behavior', 'scheduled', 'fallbackReplicas',
  'coldStartSeconds', 'pollingIntervalSeconds', 'prometheus', 'observability',
] as const;

/** Returns every problem of a scaler spec for the given target (empty when valid). */
export function tokenAwareScalerIssues(spec: TokenAwareScalerSpec, target: ResolvedLlmInferenceService, path = 'scaler'): SpecIssue[] {
  const p = (field: string) => `${path}.${field}`;
  if (!isPlainObject(spec)) return checkObject(path, spec ?? null, 'spec-invalid', 'use { signals, minReplicas, maxReplicas }');
  const issues: SpecIssue[] = [...checkKnownKeys(path, spec, SPEC_KEYS)];
  issues.push(...checkChoice(p('engine'), spec.engine, ['keda', 'hpa'], 'engine-invalid'));
  const engine = spec.engine ?? 'keda';

  if (target.replicasExplicit) {
    issues.push({
      code: 'replicas-pinned',
      path: 'service.replicas',
      value: target.replicas,
      problem: 'the service pins its replica count while a scaler owns it; every apply would fight the autoscaler',
      fix: 'remove replicas from the service and set minReplicas/maxReplicas on the scaler',
    });
  }
  const interactive = target.workload === 'interactive';
  const minAllowed = interactive ? 1 : engine === 'keda' ? 0 : 1;
  issues.push(...checkInteger(p('minReplicas'), spec.minReplicas, {
    min: minAllowed,
    code: 'min-replicas-invalid',
    why: interactive
      ? 'interactive services never scale to zero: the first request after would wait minutes for a model load'
      : engine === 'hpa' ? 'the HPA cannot scale to zero (the HPAScaleToZero gate is alpha)' : 'it must be an integer >= 0',
    fix: interactive ? "set minReplicas >= 1, or use workload: 'batch' with the keda engine" : `set minReplicas >= ${minAllowed}`,
  }));
  issues.push(...checkInteger(p('maxReplicas'), spec.maxReplicas, { min: 1, max: 1000, code: 'max-replicas-invalid', fix: 'set maxReplicas to the most replicas your budget allows' }));
  const min = spec.minReplicas ?? target.replicas;
  const max = spec.maxReplicas ?? Math.max(d.DEFAULT_MAX_REPLICAS, min);
  if (Number.isInteger(min) && Number.isInteger(max) && min > max) {
    issues.push({ code: 'replica-range-invalid', path: p('minReplicas'), value: min, problem: `it is above maxReplicas (${max})`, fix: 'set minReplicas <= maxReplicas' });
  }
  const signals: readonly unknown[] = Array.isArray(spec.signals) ? spec.signals : [];
  const scheduled: readonly unknown[] = Array.isArray(spec.scheduled) ? spec.scheduled : [];
  issues.push(...checkList(p('scheduled'), spec.scheduled, 'schedule-invalid', 'list windows as { start, end, timezone, desiredReplicas }'));
  const isQuery = (s: unknown) => isPlainObject(s) && s.kind === 'prometheusQuery';
  if (min === 0 && !interactive && engine === 'keda' && !signals.some(isQuery) && scheduled.length === 0) {
    issues.push({
      code: 'scale-from-zero-blind',
      path: p('signals'),
      value: spec.signals ?? 'unset',
      problem: 'at zero replicas no vLLM pod exports metrics, so no vLLM signal can ever scale the service up again',
      fix: "add a { kind: 'prometheusQuery' } signal on demand that exists without replicas (a job queue), or a scheduled window",
    });
  }

  if (spec.signals !== undefined && (!Array.isArray(spec.signals) || spec.signals.length === 0)) {
    issues.push({ code: 'signals-empty', path: p('signals'), value: spec.signals, problem: 'a scaler needs at least one signal', fix: "add one, e.g. { kind: 'queueDepth', targetPerReplica: 5 }, or leave signals unset" });
  }
  (Array.isArray(spec.signals) ? spec.signals : []).forEach((s, i) => issues.push(...signalIssues(`${p('signals')}[${i}]`, s)));
  if (engine === 'hpa') {
    (Array.isArray(spec.signals) ? spec.signals : []).forEach((s, i) => {
      if (s?.kind === 'prometheusQuery') {
        issues.push({ code: 'signal-needs-keda', path: `${p('signals')}[${i}]`, value: s.name, problem: 'Prometheus Adapter rules are generated only for vLLM signals', fix: "use engine: 'keda' for custom queries" });
      }
    });
  }
  const seen = new Set<string>();
  (Array.isArray(spec.signals) ? spec.signals : []).forEach((s, i) => {
    const key = s?.kind === 'prometheusQuery' ? s.name : s?.kind;
    if (seen.has(key)) {
      issues.push({ code: 'signal-duplicate', path: `${p('signals')}[${i}]`, value: key, problem: 'another signal already has this kind or name', fix: 'keep one signal per kind; give prometheusQuery signals distinct names' });
    }
    seen.add(key);
  });

  issues.push(...checkObject(p('behavior'), spec.behavior, 'behavior-invalid', 'use { scaleUp, scaleDown }'));
  const behavior: ScalingBehaviorSpec = isPlainObject(spec.behavior) ? spec.behavior : {};
  if (isPlainObject(spec.behavior)) issues.push(...checkKnownKeys(p('behavior'), spec.behavior, ['scaleUp', 'scaleDown']));
  issues.push(...rulesIssues(p('behavior.scaleUp'), behavior.scaleUp));
  issues.push(...rulesIssues(p('behavior.scaleDown'), behavior.scaleDown));
  const coldStart = spec.coldStartSeconds ?? d.DEFAULT_COLD_START_SECONDS;
  issues.push(...checkInteger(p('coldStartSeconds'), spec.coldStartSeconds, { min: 0, max: 3600, code: 'cold-start-invalid', fix: 'set the measured time from scale-up to ready, in seconds' }));
  const scaleDown = isPlainObject(behavior.scaleDown) ? behavior.scaleDown : {};
  const downWindow = scaleDown.stabilizationWindowSeconds ?? d.DEFAULT_SCALE_DOWN.stabilizationWindowSeconds;
  if (Number.isInteger(downWindow) && Number.isInteger(coldStart) && downWindow < coldStart) {
    issues.push({
      code: 'scale-down-faster-than-cold-start',
      path: p('behavior.scaleDown.stabilizationWindowSeconds'),
      value: downWindow,
      problem: `it is shorter than the cold start (${coldStart} s): capacity removed in a lull is needed again before it can return`,
      fix: `set it to at least ${coldStart}, or lower coldStartSeconds if you measured a faster start`,
    });
  }

  if (scheduled.length > 0 && engine === 'hpa') {
    issues.push({ code: 'schedule-needs-keda', path: p('scheduled'), value: spec.scheduled, problem: 'scheduled windows are KEDA cron triggers; an HPA has none', fix: "use engine: 'keda', or remove scheduled" });
  }
  scheduled.forEach((w, i) => issues.push(...windowIssues(`${p('scheduled')}[${i}]`, w as ScheduledCapacitySpec, max)));
  issues.push(...checkInteger(p('fallbackReplicas'), spec.fallbackReplicas, { min: interactive ? 1 : 0, max, code: 'fallback-invalid', fix: `set it between ${interactive ? 1 : 0} and maxReplicas (${max})` }));
  issues.push(...checkInteger(p('pollingIntervalSeconds'), spec.pollingIntervalSeconds, { min: 5, max: 300, code: 'polling-interval-invalid', fix: 'use 15 to 30 seconds' }));
  issues.push(...checkObject(p('prometheus'), spec.prometheus, 'prometheus-invalid', 'use { serverAddress, authentication }'));
  if (isPlainObject(spec.prometheus)) {
    issues.push(...checkKnownKeys(p('prometheus'), spec.prometheus, ['serverAddress', 'authentication']));
    const address = spec.prometheus.serverAddress;
    if (address !== undefined && !(typeof address === 'string' && /^https?:\/\/[^\s/]+/.test(address))) {
      issues.push({ code: 'prometheus-address-invalid', path: p('prometheus.serverAddress'), value: spec.prometheus.serverAddress, problem: 'it is not an http(s) URL', fix: `use a URL such as "${d.DEFAULT_PROMETHEUS_ADDRESS}"` });
    }
    if (spec.prometheus.authentication && engine === 'hpa') {
      issues.push({ code: 'auth-needs-keda', path: p('prometheus.authentication'), value: spec.prometheus.authentication, problem: 'with the hpa engine, Prometheus Adapter holds the connection', fix: 'configure authentication on the PrometheusAdapter, or use the keda engine' });
    }
  }
  issues.push(...checkObject(p('observability'), spec.observability, 'observability-invalid', 'use { alerts, dashboard, ttftSloSeconds, completionSloSeconds }'));
  if (isPlainObject(spec.observability)) {
    const o = spec.observability;
    issues.push(...checkBoolean(p('observability.alerts'), o.alerts, 'observability-invalid'));
    issues.push(...checkBoolean(p('observability.dashboard'), o.dashboard, 'observability-invalid'));
    issues.push(...checkKnownKeys(p('observability'), o, ['alerts', 'dashboard', 'ttftSloSeconds', 'completionSloSeconds', 'idleGpuUtilizationPercent', 'gpuHourlyPriceUsd']));
    issues.push(...checkNumber(p('observability.ttftSloSeconds'), o.ttftSloSeconds, { above: 0, code: 'slo-invalid', why: 'an SLO is a positive number of seconds', fix: 'use e.g. 2.5' }));
    issues.push(...checkNumber(p('observability.completionSloSeconds'), o.completionSloSeconds, {
      above: 0,
      atMost: E2E_LATENCY_LARGEST_BUCKET_SECONDS,
      code: 'slo-invalid',
      why: `a completion SLO is a positive number of seconds, at most vLLM's largest finite end-to-end latency bucket (${E2E_LATENCY_LARGEST_BUCKET_SECONDS} s), past which its quantile cannot be read`,
      fix: 'use the wait a whole answer may take, e.g. 600',
    }));
    issues.push(...checkNumber(p('observability.idleGpuUtilizationPercent'), o.idleGpuUtilizationPercent, { above: 0, atMost: 100, code: 'idle-threshold-invalid', why: 'it is a percentage in (0, 100]', fix: 'use e.g. 10' }));
    issues.push(...checkNumber(p('observability.gpuHourlyPriceUsd'), o.gpuHourlyPriceUsd, { above: 0, code: 'price-invalid', why: 'a price must be > 0', fix: 'use your $/GPU-hour, e.g. 1.006' }));
  }
  return issues;
}

function signalIssues(path: string, s: ScalingSignal): SpecIssue[] {
  if (!isPlainObject(s)) {
    return [{ code: 'signal-invalid', path, value: s, problem: 'a signal is a mapping with a kind', fix: "use e.g. { kind: 'queueDepth', targetPerReplica: 5 }" }];
  }
  switch (s.kind) {
    case 'queueDepth':
      return [...checkKnownKeys(path, s, ['kind', 'targetPerReplica']),
        ...checkNumber(`${path}.targetPerReplica`, s.targetPerReplica, { above: 0, code: 'target-invalid', why: 'a target must be > 0', fix: 'use waiting requests per replica, e.g. 5' })];
    case 'kvCacheUsage':
      return [...checkKnownKeys(path, s, ['kind', 'target']),
        ...checkNumber(`${path}.target`, s.target, { above: 0, atMost: 1, code: 'kv-target-invalid', why: 'KV-cache use is a fraction in (0, 1]', fix: 'use e.g. 0.8' })];
    case 'timeToFirstToken': {
      const issues = [...checkKnownKeys(path, s, ['kind', 'targetSeconds', 'quantile', 'windowSeconds']),
        ...checkNumber(`${path}.quantile`, s.quantile, { above: 0, code: 'quantile-invalid', why: 'a quantile is in (0, 1)', fix: 'use e.g. 0.95' }),
        ...checkInteger(`${path}.windowSeconds`, s.windowSeconds, { min: 30, max: 3600, code: 'window-invalid', fix: 'use at least 4 scrape intervals, e.g. 120' })];
      if (typeof s.quantile === 'number' && s.quantile >= 1) {
        issues.push({ code: 'quantile-invalid', path: `${path}.quantile`, value: s.quantile, problem: 'a quantile is in (0, 1)', fix: 'use e.g. 0.95' });
      }
      if (typeof s.targetSeconds !== 'number' || !(s.targetSeconds > TTFT_BUCKETS_SECONDS[0])) {
        issues.push({
          code: 'ttft-target-invalid',
          path: `${path}.targetSeconds`,
          value: s.targetSeconds,
          problem: `it must be above the smallest vllm:time_to_first_token_seconds bucket (${TTFT_BUCKETS_SECONDS[0]} s)`,
          fix: 'use an SLO in seconds such as 1.0',
        });
      }
      return issues;
    }
    case 'generationThroughput':
      return [...checkKnownKeys(path, s, ['kind', 'tokensPerSecondPerReplica']),
        ...(typeof s.tokensPerSecondPerReplica === 'number' && s.tokensPerSecondPerReplica > 0 ? [] : [{ code: 'target-invalid', path: `${path}.tokensPerSecondPerReplica`, value: s.tokensPerSecondPerReplica, problem: 'a target must be > 0', fix: 'use the measured tokens/s one replica sustains within its SLO' }])];
    case 'prometheusQuery': {
      const issues = [...checkKnownKeys(path, s, ['kind', 'name', 'query', 'targetPerReplica', 'activationThreshold'])];
      if (typeof s.name !== 'string' || !/^[a-z][-a-z0-9]{0,30}$/.test(s.name)) issues.push({ code: 'signal-name-invalid', path: `${path}.name`, value: s.name, problem: 'trigger names are short lower-case identifiers', fix: 'use e.g. "jobs"' });
      else if (isBuiltInTriggerName(s.name)) issues.push({ code: 'signal-name-reserved', path: `${path}.name`, value: s.name, problem: 'tokenscale names its own triggers so (queue, kv-cache, ttft, generation, in-flight, schedule-N), and KEDA needs trigger names unique', fix: 'use another name, e.g. "jobs"' });
      if (typeof s.query !== 'string' || s.query.trim() === '') issues.push({ code: 'query-invalid', path: `${path}.query`, value: s.query, problem: 'a query is required', fix: 'write a PromQL expression returning one value' });
      if (!(typeof s.targetPerReplica === 'number' && s.targetPerReplica > 0)) issues.push({ code: 'target-invalid', path: `${path}.targetPerReplica`, value: s.targetPerReplica, problem: 'a target must be > 0', fix: 'set the query value one replica handles' });
      issues.push(...checkNumber(`${path}.activationThreshold`, s.activationThreshold, { above: -1e-12, code: 'activation-invalid', why: 'it must be >= 0', fix: 'use 0 to activate on any demand' }));
      return issues;
    }
    default:
      return [{ code: 'signal-kind-invalid', path: `${path}.kind`, value: (s as { kind?: unknown })?.kind, problem: 'it is not a known signal', fix: 'use queueDepth, kvCacheUsage, timeToFirstToken, generationThroughput or prometheusQuery' }];
  }
}

function rulesIssues(path: string, rules: ScalingRulesSpec | undefined): SpecIssue[] {
  if (rules === undefined) return [];
  if (!isPlainObject(rules)) return checkObject(path, rules, 'behavior-invalid', 'use { stabilizationWindowSeconds, selectPolicy, policies }');
  const issues = [
    ...checkKnownKeys(path, rules, ['stabilizationWindowSeconds', 'selectPolicy', 'policies']),
    ...checkInteger(`${path}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, { min: 0, max: 3600, code: 'stabilization-invalid', fix: 'use 0 to 3600 seconds (the HPA API range)' }),
    ...checkChoice(`${path}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled'], 'select-policy-invalid'),
  ];
  issues.push(...checkList(`${path}.policies`, rules.policies, 'policy-invalid', 'list policies as { type, value, periodSeconds }'));
  (Array.isArray(rules.policies) ? rules.policies : []).forEach((policy, i) => {
    if (!isPlainObject(policy)) {
      issues.push({ code: 'policy-invalid', path: `${path}.policies[${i}]`, value: policy, problem: 'a policy is a mapping', fix: 'use { type: Pods, value: 4, periodSeconds: 60 }' });
      return;
    }
    issues.push(...checkChoice(`${path}.policies[${i}].type`, policy.type, ['Pods', 'Percent'], 'policy-type-invalid'));
    issues.push(...checkInteger(`${path}.policies[${i}].value`, policy.value, { min: 1, code: 'policy-value-invalid', fix: 'use a positive integer' }));
    issues.push(...checkInteger(`${path}.policies[${i}].periodSeconds`, policy.periodSeconds, { min: 1, max: 1800, code: 'policy-period-invalid', fix: 'use 1 to 1800 seconds (the HPA API range)' }));
  });
  return issues;
}

function windowIssues(path: string, w: ScheduledCapacitySpec, max: number): SpecIssue[] {
  if (!isPlainObject(w)) return [{ code: 'schedule-invalid', path, value: w, problem: 'a window is a mapping', fix: 'use { start, end, timezone, desiredReplicas }' }];
  const issues = [...checkKnownKeys(path, w, ['start', 'end', 'timezone', 'desiredReplicas'])];
  for (const field of ['start', 'end'] as const) {
    const expr = w[field];
    if (typeof expr !== 'string' || expr.trim().split(/\s+/).length !== 5) {
      issues.push({ code: 'cron-invalid', path: `${path}.${field}`, value: expr, problem: 'KEDA cron triggers take 5-field expressions (minute hour day-of-month month day-of-week)', fix: 'write e.g. "0 8 * * 1-5"' });
      continue;
    }
    try {
      CronExpressionParser.parse(expr, { tz: typeof w.timezone === 'string' ? w.timezone : undefined });
    } catch (err) {
      issues.push({ code: 'cron-invalid', path: `${path}.${field}`, value: expr, problem: `it does not parse (${(err as Error).message})`, fix: 'write e.g. "0 8 * * 1-5"' });
    }
  }
  if (w.start === w.end) issues.push({ code: 'cron-window-empty', path: `${path}.end`, value: w.end, problem: 'start and end are equal', fix: 'give the window an end after its start' });
  if (typeof w.timezone !== 'string' || !isTimeZone(w.timezone)) {
    issues.push({ code: 'timezone-invalid', path: `${path}.timezone`, value: w.timezone, problem: 'it is not an IANA time zone', fix: 'use e.g. "Europe/Berlin" or "UTC"' });
  }
  issues.push(...checkInteger(`${path}.desiredReplicas`, w.desiredReplicas, { min: 1, max, code: 'window-replicas-invalid', fix: `set 1 to maxReplicas (${max}); KEDA's cron trigger rejects 0` }));
  return issues;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
