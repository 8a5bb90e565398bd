/**
 * The PromQL behind every scaling signal, built in one place. Each query returns exactly one value (KEDA's
 * prometheus scaler rejects a vector with several elements, reference.md section 5) and uses only series
 * vLLM exports (reference.md 1.1). Queries are read as KEDA `AverageValue` targets: desired replicas =
 * ceil(value / target), which is also the only type KEDA's fallback accepts.
 */
import * as d from '../defaults';
import { selector } from './selectors';
import { VLLM_METRICS, VLLM_MODEL_LABEL } from '../metrics/vllm';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';
import type { ScalingSignal } from '../spec/token-aware-scaler';

/** A signal as a query and the per-replica target it is divided by. */
export interface SignalQuery {
  /** Trigger and metric name, unique within a scaler. */
  readonly name: string;
  readonly query: string;
  /** Value per replica (AverageValue). */
  readonly targetPerReplica: number;
  /** Value above which a scaled-to-zero target activates. */
  readonly activationThreshold: number;
  /**
   * A series selector that exists whenever the query has data (Prometheus Adapter discovers metrics by it).
   * @default - none for user queries
   */
  readonly series?: string;
}

/**
 * Labels that select one service's series: its namespace (added by the scrape) and served model name, then
 * any further matchers.
 */
export function serviceSelector(service: Pick<ResolvedLlmInferenceService, 'namespace' | 'servedModelName'>, matchers: readonly string[] = []): string {
  return selector({ namespace: service.namespace, [VLLM_MODEL_LABEL]: service.servedModelName }, matchers);
}

/** Number of replicas exporting metrics: one `num_requests_running` series per engine. */
export function replicaCountQuery(service: Pick<ResolvedLlmInferenceService, 'namespace' | 'servedModelName'>): string {
  return `count(${VLLM_METRICS.requestsRunning}${serviceSelector(service)})`;
}

/** The TTFT quantile over a window, across all replicas of a service. */
export function ttftQuantileQuery(service: Pick<ResolvedLlmInferenceService, 'namespace' | 'servedModelName'>, quantile: number, windowSeconds: number): string {
  return `histogram_quantile(${quantile}, sum by (le) (rate(${VLLM_METRICS.timeToFirstToken}_bucket${serviceSelector(service)}[${windowSeconds}s])))`;
}

/**
 * A quantile of the completion time (arrival to last token, `vllm:e2e_request_latency_seconds`) over the
 * requests that finished in the last `windowSeconds`.
 */
export function completionQuantileQuery(service: Pick<ResolvedLlmInferenceService, 'namespace' | 'servedModelName'>, quantile: number, windowSeconds: number): string {
  return `histogram_quantile(${quantile}, sum by (le) (rate(${VLLM_METRICS.e2eRequestLatency}_bucket${serviceSelector(service)}[${windowSeconds}s])))`;
}

/** Name of the trigger that keeps a scaler resting at zero awake while its replicas run requests (see `inFlightQuery`). */
export const IN_FLIGHT_TRIGGER_NAME = 'in-flight';

/**
 * Trigger names tokenscale gives its own triggers: the vLLM signals', the in-flight one, and `schedule-N`
 * for scheduled windows. A custom query may not take one.
 */
export function isBuiltInTriggerName(name: string): boolean {
  return ['queue', 'kv-cache', 'ttft', 'generation', IN_FLIGHT_TRIGGER_NAME].includes(name) || /^schedule-\d+$/.test(name);
}

/**
 * The requests running on the service's replicas, for a KEDA scaler that rests at zero. KEDA scales to zero
 * once no trigger has been active for its cooldown (active: value above `activationThreshold`, reference.md
 * section 5), and a queue-depth trigger is inactive whenever the replicas keep up: without this trigger, a
 * service whose custom queries read 0 (a job queue fully handed out) would be scaled to zero in the middle
 * of its work. Its target is more sequences than the fleet can run at its maximum, so it never proposes
 * more than one replica: it only keeps the scaler active while any request runs.
 */
export function inFlightQuery(service: Pick<ResolvedLlmInferenceService, 'namespace' | 'servedModelName' | 'maxNumSeqs'>, maxReplicas: number): SignalQuery {
  const sel = serviceSelector(service);
  return {
    name: IN_FLIGHT_TRIGGER_NAME,
    query: `sum(${VLLM_METRICS.requestsRunning}${sel})`,
    targetPerReplica: maxReplicas * (service.maxNumSeqs ?? d.VLLM_LARGEST_DEFAULT_MAX_NUM_SEQS),
    activationThreshold: 0,
    series: `${VLLM_METRICS.requestsRunning}${sel}`,
  };
}

/** The query and target of one signal. */
export function signalQuery(service: ResolvedLlmInferenceService, signal: ScalingSignal): SignalQuery {
  const sel = serviceSelector(service);
  switch (signal.kind) {
    case 'queueDepth':
      return {
        name: 'queue',
        query: `sum(${VLLM_METRICS.requestsWaiting}${sel})`,
        targetPerReplica: signal.targetPerReplica ?? d.DEFAULT_QUEUE_DEPTH_PER_REPLICA,
        activationThreshold: 0,
        series: `${VLLM_METRICS.requestsWaiting}${sel}`,
      };
    case 'kvCacheUsage':
      // The sum of per-replica fractions over the target keeps the average at the target.
      return {
        name: 'kv-cache',
        query: `sum(${VLLM_METRICS.kvCacheUsage}${sel})`,
        targetPerReplica: signal.target ?? d.DEFAULT_KV_CACHE_TARGET,
        activationThreshold: 0,
        series: `${VLLM_METRICS.kvCacheUsage}${sel}`,
      };
    case 'timeToFirstToken': {
      // Latency is not additive, so it scales by ratio: quantile x replicas / target = replicas x observed/target,
      // the HPA's Value arithmetic written as an AverageValue so KEDA's fallback still applies. A window without
      // first tokens makes histogram_quantile NaN, which KEDA reads as an error and the HPA as a reason to never
      // scale down; `>= 0` drops NaN and `or on()` answers 0 while replicas report, so only a real outage (no
      // vLLM series at all) stays empty.
      const q = ttftQuantileQuery(service, signal.quantile ?? d.DEFAULT_TTFT_QUANTILE, signal.windowSeconds ?? d.DEFAULT_TTFT_WINDOW_SECONDS);
      const replicas = replicaCountQuery(service);
      return {
        name: 'ttft',
        query: `(${q} * ${replicas} >= 0) or on() (0 * ${replicas})`,
        targetPerReplica: signal.targetSeconds,
        activationThreshold: 0,
        series: `${VLLM_METRICS.timeToFirstToken}_bucket${sel}`,
      };
    }
    case 'generationThroughput':
      return {
        name: 'generation',
        query: `sum(rate(${VLLM_METRICS.generationTokens}${sel}[1m]))`,
        targetPerReplica: signal.tokensPerSecondPerReplica,
        activationThreshold: 0,
        series: `${VLLM_METRICS.generationTokens}${sel}`,
      };
    case 'prometheusQuery':
      return {
        name: signal.name,
        query: signal.query,
        targetPerReplica: signal.targetPerReplica,
        activationThreshold: signal.activationThreshold ?? 0,
      };
  }
}
