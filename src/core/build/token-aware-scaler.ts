/**
 * Builds a scaler's objects: a KEDA ScaledObject (with its TriggerAuthentication) or an autoscaling/v2
 * HorizontalPodAutoscaler on External metrics served by Prometheus Adapter.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import * as d from '../defaults';
import { TokenscaleError } from '../errors';
import { serviceLabels } from './labels';
import { buildScalerAlerts, buildScalerDashboard } from './scaler-observability';
import type { ScaledObject, ScaledObjectTrigger, TriggerAuthentication } from '../k8s/keda';
import type { KubeObject } from '../k8s/object';
import { inFlightQuery, signalQuery, SignalQuery } from '../promql/scaling-queries';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';
import type { AdapterExternalRule } from '../spec/prometheus-adapter';
import { ResolvedTokenAwareScaler, resolveTokenAwareScaler, restsAtZero, TokenAwareScalerSpec } from '../spec/token-aware-scaler';
import { tokenAwareScalerIssues } from '../spec/token-aware-scaler-issues';

/** Every object of one scaler. */
export interface TokenAwareScalerObjects {
  readonly spec: ResolvedTokenAwareScaler;
  /**
   * The queries behind the triggers, by trigger name: one per signal, then, for a KEDA scaler that rests at
   * zero, the in-flight one (see `inFlightQuery`).
   */
  readonly queries: readonly SignalQuery[];
  /** @default - none with the hpa engine */
  readonly scaledObject?: ScaledObject;
  /** @default - none unless Prometheus authentication is configured */
  readonly triggerAuthentication?: TriggerAuthentication;
  /** @default - none with the keda engine */
  readonly horizontalPodAutoscaler?: HorizontalPodAutoscaler & { metadata: { name: string } };
  /** The scaling alerts. @default - none when observability.alerts is false */
  readonly prometheusRule?: KubeObject;
  /** The Grafana dashboard. @default - none when observability.dashboard is false */
  readonly dashboard?: ConfigMap & { metadata: { name: string } };
  /** External-metric rules to register in the cluster's Prometheus Adapter (hpa engine). @default - none with keda */
  readonly adapterRules: readonly AdapterExternalRule[];
}

/** Validates a scaler against its target and throws every problem at once. */
export function validateTokenAwareScaler(spec: TokenAwareScalerSpec, target: ResolvedLlmInferenceService): ResolvedTokenAwareScaler {
  const issues = tokenAwareScalerIssues(spec, target);
  if (issues.length > 0) throw new TokenscaleError(issues, `TokenAwareScaler for ${JSON.stringify(target.name)}`);
  return resolveTokenAwareScaler(spec, target);
}

/** Metadata of a scaler's objects: its namespace and the service's labels. */
function scalerMetadata(scaler: ResolvedTokenAwareScaler, name: string) {
  return { name, namespace: scaler.namespace, labels: serviceLabels(scaler.target) };
}

/** The Deployment a scaler scales. */
function scaleTarget(scaler: ResolvedTokenAwareScaler) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: scaler.target.name };
}

function behavior(scaler: ResolvedTokenAwareScaler): HorizontalPodAutoscalerBehavior {
  const rules = (r: ResolvedTokenAwareScaler['behavior']['scaleUp']) => ({
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy,
    policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
  });
  return { scaleUp: rules(scaler.behavior.scaleUp), scaleDown: rules(scaler.behavior.scaleDown) };
}

/** Name of the External metric a signal is served as through Prometheus Adapter. */
export function externalMetricName(scaler: Pick<ResolvedTokenAwareScaler, 'name'>, signal: Pick<SignalQuery, 'name'>): string {
  return `tokenscale_${scaler.name}_${signal.name}`.replace(/-/g, '_');
}

function scaledObject(scaler: ResolvedTokenAwareScaler, queries: readonly SignalQuery[]): ScaledObject {
  const interactive = scaler.target.workload === 'interactive';
  const auth = scaler.prometheus.authentication;
  const prometheusTriggers: ScaledObjectTrigger[] = queries.map((q) => ({
    type: 'prometheus',
    name: q.name,
    metricType: 'AverageValue',
    metadata: {
      serverAddress: scaler.prometheus.serverAddress,
      query: q.query,
      threshold: String(q.targetPerReplica),
      activationThreshold: String(q.activationThreshold),
      // Interactive services treat an empty answer as an outage (fallback holds capacity) rather than as
      // zero load; a batch service at zero replicas has no vLLM series, which must read as no load.
      ignoreNullValues: String(!interactive),
      ...(auth ? { authModes: auth.mode } : {}),
    },
    ...(auth ? { authenticationRef: { name: `${scaler.name}-prometheus`, kind: 'TriggerAuthentication' as const } } : {}),
  }));
  const cronTriggers: ScaledObjectTrigger[] = scaler.scheduled.map((w, i) => ({
    type: 'cron',
    name: `schedule-${i}`,
    metadata: { timezone: w.timezone, start: w.start, end: w.end, desiredReplicas: String(w.desiredReplicas) },
  }));
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: scalerMetadata(scaler, scaler.name),
    spec: {
      scaleTargetRef: scaleTarget(scaler),
      pollingInterval: scaler.pollingIntervalSeconds,
      cooldownPeriod: d.KEDA_COOLDOWN_SECONDS,
      minReplicaCount: scaler.minReplicas,
      maxReplicaCount: scaler.maxReplicas,
      // On a metrics outage keep the current count when it is higher: never scale down blind.
      fallback: { failureThreshold: d.DEFAULT_FALLBACK_FAILURE_THRESHOLD, replicas: scaler.fallbackReplicas, behavior: 'currentReplicasIfHigher' },
      advanced: { horizontalPodAutoscalerConfig: { behavior: behavior(scaler) } },
      triggers: [...prometheusTriggers, ...cronTriggers],
    },
  };
}

function triggerAuthentication(scaler: ResolvedTokenAwareScaler): TriggerAuthentication | undefined {
  const auth = scaler.prometheus.authentication;
  if (!auth) return undefined;
  const keys = auth.mode === 'bearer' ? ['bearerToken'] : ['username', 'password'];
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: scalerMetadata(scaler, `${scaler.name}-prometheus`),
    spec: { secretTargetRef: keys.map((key) => ({ parameter: key, name: auth.secretName, key })) },
  };
}

function hpa(scaler: ResolvedTokenAwareScaler, queries: readonly SignalQuery[]): HorizontalPodAutoscaler & { metadata: { name: string } } {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: scalerMetadata(scaler, scaler.name),
    spec: {
      scaleTargetRef: scaleTarget(scaler),
      minReplicas: scaler.minReplicas,
      maxReplicas: scaler.maxReplicas,
      // External AverageValue: desired = ceil(total / target), independent of how many pods are still
      // loading (reference.md section 4).
      metrics: queries.map((q) => ({
        type: 'External',
        external: {
          metric: { name: externalMetricName(scaler, q) },
          target: { type: 'AverageValue', averageValue: String(q.targetPerReplica) },
        },
      })),
      behavior: behavior(scaler),
    },
  };
}

/** Builds every object of a scaler for its target service. */
export function buildTokenAwareScaler(spec: TokenAwareScalerSpec, target: ResolvedLlmInferenceService): TokenAwareScalerObjects {
  const scaler = validateTokenAwareScaler(spec, target);
  const signalQueries = scaler.signals.map((s) => signalQuery(target, s));
  // Resting at zero, KEDA must see running requests as activity (see inFlightQuery).
  const queries = restsAtZero(scaler) ? [...signalQueries, inFlightQuery(target, scaler.maxReplicas)] : signalQueries;
  const observability = {
    prometheusRule: scaler.observability.alerts === false ? undefined : buildScalerAlerts(scaler, scaler.observability),
    dashboard: scaler.observability.dashboard === false ? undefined : buildScalerDashboard(scaler, scaler.observability),
  };
  if (scaler.engine === 'hpa') {
    const adapterRules = queries.map((q) => ({ name: externalMetricName(scaler, q), seriesQuery: q.series!, metricsQuery: q.query }));
    return { spec: scaler, queries, horizontalPodAutoscaler: hpa(scaler, queries), adapterRules, ...observability };
  }
  const keda = { scaledObject: scaledObject(scaler, queries), triggerAuthentication: triggerAuthentication(scaler) };
  return { spec: scaler, queries, ...keda, adapterRules: [], ...observability };
}

/** The scaler's objects in apply order. */
export function tokenAwareScalerObjectList(objects: TokenAwareScalerObjects): KubeObject[] {
  return [
    objects.triggerAuthentication, objects.scaledObject, objects.horizontalPodAutoscaler, objects.prometheusRule, objects.dashboard,
  ].filter((o) => o !== undefined) as KubeObject[];
}
