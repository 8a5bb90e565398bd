/**
 * PromQL of the scaler's alerts. They read series from reference.md's vLLM and DCGM lists, so they work with
 * the monitors tokenscale emits and the DCGM exporter, and one kube-state-metrics series (the drain alert),
 * which kube-prometheus-stack scrapes.
 */
import { completionQuantileQuery, replicaCountQuery, serviceSelector, ttftQuantileQuery } from './scaling-queries';
import { anyOf, quote, selector } from './selectors';
import { inFlightDrainSeconds } from '../drain';
import { DEFAULT_PROMETHEUS_SCRAPE_SECONDS, KUBE_STATE_METRICS } from '../metrics/kube-state-metrics';
import { VLLM_METRICS, ZONE_SERIES_LABEL } from '../metrics/vllm';
import type { ResolvedTokenAwareScaler } from '../spec/token-aware-scaler';

/** One alert: its name, expression, hold time and runbook text. */
export interface AlertQuery {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}

/** The SLOs and threshold the alerts of one scaled service hold it to. */
export interface ScalerAlertThresholds {
  readonly ttftSloSeconds: number;
  /** @default - no completion alert */
  readonly completionSloSeconds?: number;
  readonly idleGpuPercent: number;
}

/** The alerts of one scaled service. */
export function scalerAlertQueries(scaler: ResolvedTokenAwareScaler, opts: ScalerAlertThresholds): AlertQuery[] {
  const svc = scaler.target;
  const sel = serviceSelector(svc);
  const replicas = replicaCountQuery(svc);
  const who = `${svc.namespace}/${svc.name}`;
  const gpuSel = selector({ exported_namespace: svc.namespace });
  return [
    {
      alert: 'LlmQueueGrowingAtMaxReplicas',
      expr: `${replicas} >= ${scaler.maxReplicas} and on() deriv(sum(${VLLM_METRICS.requestsWaiting}${sel})[10m:1m]) > 0`,
      for: '10m',
      severity: 'critical',
      summary: `${who} is at maxReplicas (${scaler.maxReplicas}) and its queue keeps growing`,
      description: 'Demand exceeds the replica ceiling. Raise maxReplicas (and the node pool GPU limit), shed load, or route traffic to another model. Check that new nodes can be provisioned.',
    },
    {
      alert: 'LlmTtftSloBurn',
      expr: `${ttftQuantileQuery(svc, 0.95, 300)} > ${opts.ttftSloSeconds}`,
      for: '10m',
      severity: 'critical',
      summary: `${who} TTFT p95 is above its ${opts.ttftSloSeconds} s SLO`,
      description: 'Users wait too long for the first token. Check the queue depth and KV-cache use panels: a full queue means scaling is too slow or capped; a low queue with high TTFT points at long prompts or preemptions.',
    },
    ...(opts.completionSloSeconds === undefined ? [] : [completionAlert(svc, opts.completionSloSeconds, who)]),
    {
      alert: 'LlmIdleGpus',
      expr: `avg(DCGM_FI_DEV_GPU_UTIL${gpuSel}) < ${opts.idleGpuPercent} and on() ${replicas} > ${scaler.minReplicas}`,
      for: '30m',
      severity: 'warning',
      summary: `${who} runs above its floor while GPUs in its namespace are nearly idle`,
      description: 'Paid GPUs are idle. Scale-down may be blocked (stabilization window, a scheduled window, a fallback after metric errors) or the scaling target is too low. Review the scaler events and targets.',
    },
    {
      alert: 'LlmReplicasNotArriving',
      expr: `${replicas} < ${Math.max(1, scaler.minReplicas)}`,
      for: '15m',
      severity: 'critical',
      summary: `${who} has fewer serving replicas than its floor (${scaler.minReplicas})`,
      description: 'Pods are pending or still loading: no free GPU node (node pool limit, capacity shortage in the allowed zones) or a model load that fails. Check pending pods, NodeClaims and the startup probe.',
    },
    {
      alert: 'LlmScalingFlapping',
      expr: `changes(${replicas}[1h:1m]) > 6`,
      for: '0m',
      severity: 'warning',
      summary: `${who} changed its replica count more than 6 times in an hour`,
      description: 'Each change costs a cold start or a drain. Lengthen the scale-down stabilization window or raise the target so that normal load sits well inside it.',
    },
    {
      alert: 'LlmScalerMetricsAbsent',
      expr: `absent(${VLLM_METRICS.requestsWaiting}${sel})`,
      for: '5m',
      severity: 'critical',
      summary: `${who} exports no scaling metrics`,
      description: 'The scaler is blind and holds its fallback replica count. Check the ServiceMonitor, the NetworkPolicy from the monitoring namespace, Prometheus targets and the served model name.',
    },
    drainAlert(svc, who),
    ...(svc.placement.zones ? [zoneAlert(svc, svc.placement.zones, who)] : []),
  ];
}

/**
 * Whole answers slower than the completion SLO. vLLM records a completion time when the answer ends, up to
 * the SLO (or more) after it began, so the window is twice the SLO, and 15 minutes at least: it holds answers
 * that began inside it, not only ones still under way when a breach began.
 */
function completionAlert(svc: ResolvedTokenAwareScaler['target'], sloSeconds: number, who: string): AlertQuery {
  const windowSeconds = Math.max(900, Math.ceil((2 * sloSeconds) / 60) * 60);
  return {
    alert: 'LlmCompletionSloBurn',
    expr: `${completionQuantileQuery(svc, 0.95, windowSeconds)} > ${sloSeconds}`,
    for: '15m',
    severity: 'critical',
    summary: `${who} completion time p95 is above its ${sloSeconds} s SLO`,
    description: 'Whole answers take too long, from arrival to the last token. A growing queue means scaling is too slow or capped (check maxReplicas and the pool GPU limit); a short queue with slow answers points at long outputs, a full KV cache (preemptions) or too large a batch per replica.',
  };
}

/**
 * The deletion timestamps of the service's terminating pods (kube-state-metrics): one series per pod while it
 * drains. The Deployment's pods are named `<service>-<pod-template-hash>-<suffix>`.
 */
export function podDeletionSeries(svc: Pick<ResolvedTokenAwareScaler['target'], 'namespace' | 'name'>): string {
  const pods = `${anyOf([svc.name])}-[a-z0-9]+-[a-z0-9]+`;
  return `${KUBE_STATE_METRICS.podDeletionTimestamp}${selector({ namespace: svc.namespace }, [`pod=~${quote(pods)}`])}`;
}

/**
 * A replica that lived to the end of its drain window. vLLM aborts what a replica still runs when its shutdown
 * timeout ends, `grace - (preStop + shutdown timeout)` seconds before the kubelet's SIGKILL, which is the pod's
 * deletion timestamp; a replica whose answers all finish exits earlier, and its pod goes with it. So a pod still
 * there, terminating, within that margin plus one kube-state-metrics scrape of its deletion timestamp had
 * answers cut, or finished them with less than a scrape to spare. `timestamp(x) - x` is how late before its
 * deletion timestamp each scrape saw the pod; the subquery keeps the latest over 15 minutes, since the series
 * ends with the pod.
 */
function drainAlert(svc: ResolvedTokenAwareScaler['target'], who: string): AlertQuery {
  const deletion = podDeletionSeries(svc);
  const cutBeforeKillSeconds = svc.drain.terminationGracePeriodSeconds - inFlightDrainSeconds(svc.drain);
  const marginSeconds = cutBeforeKillSeconds + DEFAULT_PROMETHEUS_SCRAPE_SECONDS;
  return {
    alert: 'LlmDrainWindowRanOut',
    expr: `max by (namespace, pod) (max_over_time((timestamp(${deletion}) - ${deletion})[15m:${DEFAULT_PROMETHEUS_SCRAPE_SECONDS}s])) > -${marginSeconds}`,
    for: '0m',
    severity: 'warning',
    summary: `{{ $labels.pod }} of ${who} was still draining when its drain window ran out`,
    description: `vLLM aborts the requests a replica still runs when its shutdown timeout (${svc.drain.shutdownTimeoutSeconds} s) ends, and this `
      + 'replica lived to within one scrape of that moment: answers were probably cut mid-stream, so their clients got no complete '
      + 'response. Set drain.maxOutputTokens to the longest answer served, or drain.capOutputTokens so vLLM ends answers at that length; '
      + 'on spot nodes the 2-minute interruption notice can end a drain first. Needs kube-state-metrics scraped every '
      + `${DEFAULT_PROMETHEUS_SCRAPE_SECONDS} s or more often.`,
  };
}

/**
 * A replica serving from a zone the service's placement does not list. Its series carry the pod's zone (see
 * build/monitor.ts); series without one (clusters before Kubernetes 1.35) never match.
 */
function zoneAlert(svc: ResolvedTokenAwareScaler['target'], zones: readonly string[], who: string): AlertQuery {
  const outside = serviceSelector(svc, [`${ZONE_SERIES_LABEL}!=""`, `${ZONE_SERIES_LABEL}!~${quote(anyOf(zones))}`]);
  return {
    alert: 'LlmServingOutsideZones',
    expr: `count by (${ZONE_SERIES_LABEL}) (${VLLM_METRICS.requestsRunning}${outside}) > 0`,
    for: '0m',
    severity: 'critical',
    summary: `${who} has a replica in zone {{ $labels.${ZONE_SERIES_LABEL} }}, outside ${zones.join(', ')}`,
    description: 'A replica runs in a zone its placement does not allow, so the requests it serves leave the data-residency boundary. Cordon that zone\'s nodes and delete the pod, then check how it got there: the NodePool zone requirement, the pod\'s node affinity, and the ComplianceEnvelope\'s allowed zones.',
  };
}
