/**
 * The scaler's PrometheusRule (alerts) and Grafana dashboard ConfigMap.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1';
import * as d from '../defaults';
import { serviceLabels } from './labels';
import type { KubeObject } from '../k8s/object';
import { VLLM_METRICS, ZONE_SERIES_LABEL } from '../metrics/vllm';
import { podDeletionSeries, scalerAlertQueries } from '../promql/alert-queries';
import { completionQuantileQuery, replicaCountQuery, serviceSelector, ttftQuantileQuery } from '../promql/scaling-queries';
import { selector } from '../promql/selectors';
import type { ResolvedTokenAwareScaler, ScalerObservabilitySpec as ScalerObservabilityOptions } from '../spec/token-aware-scaler';


/**
 * The TTFT SLO a scaler is held to: its observability's `ttftSloSeconds`, else its TTFT signal's target, else
 * the default. The burn alert and `tokenscale simulate` read it here.
 */
export function scalerTtftSloSeconds(scaler: Pick<ResolvedTokenAwareScaler, 'signals' | 'observability'>): number {
  const ttftSignal = scaler.signals.find((s) => s.kind === 'timeToFirstToken');
  return scaler.observability.ttftSloSeconds ?? (ttftSignal?.kind === 'timeToFirstToken' ? ttftSignal.targetSeconds : d.DEFAULT_TTFT_SLO_SECONDS);
}

/** A PrometheusRule with the scaler's alerts. */
export function buildScalerAlerts(scaler: ResolvedTokenAwareScaler, opts: ScalerObservabilityOptions = {}): KubeObject {
  const alerts = scalerAlertQueries(scaler, {
    ttftSloSeconds: scalerTtftSloSeconds({ signals: scaler.signals, observability: opts }),
    completionSloSeconds: opts.completionSloSeconds,
    idleGpuPercent: opts.idleGpuUtilizationPercent ?? d.DEFAULT_IDLE_GPU_UTILIZATION_PERCENT,
  });
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${scaler.name}-scaling`, namespace: scaler.namespace, labels: serviceLabels(scaler.target) },
    spec: {
      groups: [{
        name: `tokenscale.${scaler.namespace}.${scaler.name}`,
        rules: alerts.map((a) => ({
          alert: a.alert,
          expr: a.expr,
          for: a.for,
          labels: { severity: a.severity, namespace: scaler.namespace, service: scaler.name },
          annotations: { summary: a.summary, description: a.description },
        })),
      }],
    },
  };
}

/** The dashboard panels' queries, in order: title, PromQL. */
export function dashboardQueries(scaler: ResolvedTokenAwareScaler, gpuHourlyPriceUsd: number): Array<[string, string]> {
  const svc = scaler.target;
  const sel = serviceSelector(svc);
  return [
    ['Serving replicas', replicaCountQuery(svc)],
    // Replicas in their drain window: a scale-down, a rollout or a node drain, with the in-flight requests it waits for.
    ['Replicas draining', `count(${podDeletionSeries(svc)}) or vector(0)`],
    // Where the replicas run: each series carries its pod's zone (see the monitor's relabeling); "" where unknown.
    ['Replicas by zone', `count by (${ZONE_SERIES_LABEL}) (${VLLM_METRICS.requestsRunning}${sel})`],
    ['Estimated $/hour', `${replicaCountQuery(svc)} * ${svc.gpusPerReplica} * ${gpuHourlyPriceUsd}`],
    ['Requests waiting', `sum(${VLLM_METRICS.requestsWaiting}${sel})`],
    ['KV-cache use (avg)', `avg(${VLLM_METRICS.kvCacheUsage}${sel})`],
    ['TTFT p50', ttftQuantileQuery(svc, 0.5, 120)],
    ['TTFT p95', ttftQuantileQuery(svc, 0.95, 120)],
    ['Completion time p95', completionQuantileQuery(svc, 0.95, 300)],
    ['Generated tokens/s', `sum(rate(${VLLM_METRICS.generationTokens}${sel}[1m]))`],
    ['GPU utilization % (avg)', `avg(DCGM_FI_DEV_GPU_UTIL${selector({ exported_namespace: svc.namespace })})`],
  ];
}

/** A Grafana dashboard in a ConfigMap the Grafana sidecar discovers (label `grafana_dashboard: "1"`). */
export function buildScalerDashboard(
  scaler: ResolvedTokenAwareScaler,
  opts: ScalerObservabilityOptions = {},
): ConfigMap & { metadata: { name: string } } {
  const panels = dashboardQueries(scaler, opts.gpuHourlyPriceUsd ?? d.DEFAULT_GPU_HOURLY_PRICE_USD).map(([title, expr], i) => ({
    id: i + 1,
    type: 'timeseries',
    title,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    datasource: { type: 'prometheus', uid: '${datasource}' },
    targets: [{ refId: 'A', expr }],
  }));
  const dashboard = {
    title: `LLM inference: ${scaler.namespace}/${scaler.name}`,
    uid: `tokenscale-${scaler.namespace}-${scaler.name}`.slice(0, 40),
    schemaVersion: 39,
    tags: ['tokenscale', 'llm'],
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels,
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${scaler.name}-dashboard`, namespace: scaler.namespace, labels: { ...serviceLabels(scaler.target), grafana_dashboard: '1' } },
    data: { [`${scaler.name}.json`]: JSON.stringify(dashboard, null, 2) },
  };
}
