/**
 * The spec of a token-aware scaler: replicas of an inference service follow the signals vLLM exports
 * (queue depth, KV-cache use, time to first token, generated tokens), never CPU or memory.
 */
import * as d from '../defaults';
import type { ResolvedLlmInferenceService } from './llm-inference-service';

/**
 * A scaling signal. Plain data: `{ kind: 'queueDepth', targetPerReplica: 5 }`.
 *
 * @discriminator kind
 */
export type ScalingSignal =
  | QueueDepthSignal
  | KvCacheUsageSignal
  | TimeToFirstTokenSignal
  | GenerationThroughputSignal
  | PrometheusQuerySignal;

/** Requests waiting in vLLM's queue (`vllm:num_requests_waiting`), per replica. */
export interface QueueDepthSignal {
  readonly kind: 'queueDepth';
  /** Waiting requests per replica to aim for. @default 5 */
  readonly targetPerReplica?: number;
}

/** KV-cache use (`vllm:kv_cache_usage_perc`, a 0..1 fraction), averaged over replicas. */
export interface KvCacheUsageSignal {
  readonly kind: 'kvCacheUsage';
  /** Average use to aim for, in (0, 1]. @default 0.75 */
  readonly target?: number;
}

/** A quantile of time to first token over a window. Replicas scale by the ratio of observed to target. */
export interface TimeToFirstTokenSignal {
  readonly kind: 'timeToFirstToken';
  /** Target in seconds; must be above the smallest histogram bucket (0.001 s). */
  readonly targetSeconds: number;
  /** Quantile in (0, 1). @default 0.95 */
  readonly quantile?: number;
  /** Rate window in seconds. @default 120 */
  readonly windowSeconds?: number;
}

/** Generated tokens per second (`vllm:generation_tokens_total`), per replica. */
export interface GenerationThroughputSignal {
  readonly kind: 'generationThroughput';
  /** Tokens per second one replica should carry. */
  readonly tokensPerSecondPerReplica: number;
}

/**
 * Any PromQL query returning one value, divided by a per-replica target. Use it for demand that exists
 * while no replica runs (a job queue), which batch services need to scale up from zero.
 */
export interface PrometheusQuerySignal {
  readonly kind: 'prometheusQuery';
  /** Trigger name (lower-case letters, digits and '-'). */
  readonly name: string;
  /** The query; it must return a single value. */
  readonly query: string;
  /** Query value per replica. */
  readonly targetPerReplica: number;
  /** Value above which a service at zero replicas activates. @default 0 */
  readonly activationThreshold?: number;
}

/** One direction of HPA scaling behaviour (autoscaling/v2 `HPAScalingRules`). */
export interface ScalingRulesSpec {
  /** @default - 0 s up, 600 s down */
  readonly stabilizationWindowSeconds?: number;
  /** @default - up: Max; down: Min */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** Replaces the default policies as a whole. @default - up: 4 pods or 100% per 60 s; down: 1 pod per 120 s */
  readonly policies?: ReadonlyArray<{ readonly type: 'Pods' | 'Percent'; readonly value: number; readonly periodSeconds: number }>;
}

/** Scaling behaviour: fast up, slow down. */
export interface ScalingBehaviorSpec {
  /** @default - no stabilization, 4 pods or +100% per minute */
  readonly scaleUp?: ScalingRulesSpec;
  /** @default - 600 s stabilization, one pod per 2 minutes */
  readonly scaleDown?: ScalingRulesSpec;
}

/** A window of scheduled capacity (a KEDA cron trigger): a floor of replicas for a predictable peak. */
export interface ScheduledCapacitySpec {
  /** Start, as a 5-field cron expression (minute hour day-of-month month day-of-week). */
  readonly start: string;
  /** End, as a 5-field cron expression. */
  readonly end: string;
  /** IANA time zone, such as `Europe/Berlin`. */
  readonly timezone: string;
  /** Replicas during the window. */
  readonly desiredReplicas: number;
}

/** How the scaler reaches Prometheus. */
export interface PrometheusConnectionSpec {
  /** @default 'http://prometheus-operated.monitoring.svc:9090' */
  readonly serverAddress?: string;
  /**
   * Credentials from a Secret in the service's namespace: bearer (key `bearerToken`) or basic (keys
   * `username`, `password`), referenced through a KEDA TriggerAuthentication.
   * @default - none
   */
  readonly authentication?: { readonly mode: 'bearer' | 'basic'; readonly secretName: string };
}

/** Alerts and dashboard of a scaler. */
export interface ScalerObservabilitySpec {
  /** Emit a PrometheusRule with the scaling alerts. @default true */
  readonly alerts?: boolean;
  /** Emit a Grafana dashboard ConfigMap. @default true */
  readonly dashboard?: boolean;
  /** TTFT p95 SLO of the burn alert, in seconds. @default - the TTFT signal's target, else 2.5 */
  readonly ttftSloSeconds?: number;
  /**
   * Completion SLO: p95 of the time from a request's arrival to its last token (`vllm:e2e_request_latency_seconds`),
   * in seconds, at most 7680 (the histogram's largest finite bucket). Set, an alert fires when it breaks and
   * `tokenscale simulate` reports the share of requests within it: the objective of a batch service, whose
   * jobs wait on whole answers, not first tokens.
   * @default - none
   */
  readonly completionSloSeconds?: number;
  /** GPU utilization (0-100) under which replicas above the floor count as idle. @default 10 */
  readonly idleGpuUtilizationPercent?: number;
  /** Price of a GPU-hour for the cost panel, in USD. @default 1.006 */
  readonly gpuHourlyPriceUsd?: number;
}

/** The spec of a token-aware scaler. */
export interface TokenAwareScalerSpec {
  /** `keda` (a ScaledObject) or `hpa` (an autoscaling/v2 HPA on Prometheus Adapter metrics). @default 'keda' */
  readonly engine?: 'keda' | 'hpa';
  /**
   * Signals; the largest replica proposal wins.
   * @default - [{ kind: 'queueDepth', targetPerReplica: 5 }, { kind: 'kvCacheUsage', target: 0.75 }]
   */
  readonly signals?: readonly ScalingSignal[];
  /** @default - the service's replicas default: 2 interactive, 1 batch */
  readonly minReplicas?: number;
  /** @default 8 */
  readonly maxReplicas?: number;
  /** @default - fast up, slow down (see DEFAULT_SCALE_UP and DEFAULT_SCALE_DOWN) */
  readonly behavior?: ScalingBehaviorSpec;
  /** Scheduled capacity windows (KEDA only). @default - none */
  readonly scheduled?: readonly ScheduledCapacitySpec[];
  /**
   * Replicas while metrics are missing; KEDA keeps the current count when it is higher, so an outage of
   * Prometheus never scales a service down.
   * @default - maxReplicas of min and current: minReplicas, or the current count when higher
   */
  readonly fallbackReplicas?: number;
  /** Expected cold start of a replica, in seconds; scale-down stabilization must be at least this. @default 300 */
  readonly coldStartSeconds?: number;
  /** KEDA polling interval in seconds. @default 15 */
  readonly pollingIntervalSeconds?: number;
  /** Prometheus connection. @default - the prometheus-operator's in-cluster service, no authentication */
  readonly prometheus?: PrometheusConnectionSpec;
  /** Alerts and dashboard. @default - both on */
  readonly observability?: ScalerObservabilitySpec;
}

/** A scaler spec with defaults applied, bound to its target service. */
export interface ResolvedTokenAwareScaler {
  readonly name: string;
  readonly namespace: string;
  readonly target: ResolvedLlmInferenceService;
  readonly engine: 'keda' | 'hpa';
  readonly signals: readonly ScalingSignal[];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly behavior: {
    readonly scaleUp: Required<ScalingRulesSpec>;
    readonly scaleDown: Required<ScalingRulesSpec>;
  };
  readonly scheduled: readonly ScheduledCapacitySpec[];
  readonly fallbackReplicas: number;
  readonly coldStartSeconds: number;
  readonly pollingIntervalSeconds: number;
  readonly prometheus: { readonly serverAddress: string; readonly authentication?: PrometheusConnectionSpec['authentication'] };
  readonly observability: ScalerObservabilitySpec;
}

/** Applies defaults. Call `tokenAwareScalerIssues` first. */
export function resolveTokenAwareScaler(spec: TokenAwareScalerSpec, target: ResolvedLlmInferenceService): ResolvedTokenAwareScaler {
  const minReplicas = spec.minReplicas ?? target.replicas;
  return {
    name: target.name,
    namespace: target.namespace,
    target,
    engine: spec.engine ?? 'keda',
    signals: spec.signals && spec.signals.length > 0 ? spec.signals : [{ kind: 'queueDepth' }, { kind: 'kvCacheUsage' }],
    minReplicas,
    maxReplicas: spec.maxReplicas ?? Math.max(d.DEFAULT_MAX_REPLICAS, minReplicas),
    behavior: {
      scaleUp: { ...d.DEFAULT_SCALE_UP, ...(spec.behavior?.scaleUp ?? {}) } as Required<ScalingRulesSpec>,
      scaleDown: { ...d.DEFAULT_SCALE_DOWN, ...(spec.behavior?.scaleDown ?? {}) } as Required<ScalingRulesSpec>,
    },
    scheduled: spec.scheduled ?? [],
    fallbackReplicas: spec.fallbackReplicas ?? minReplicas,
    coldStartSeconds: spec.coldStartSeconds ?? d.DEFAULT_COLD_START_SECONDS,
    pollingIntervalSeconds: spec.pollingIntervalSeconds ?? d.DEFAULT_POLLING_INTERVAL_SECONDS,
    prometheus: {
      serverAddress: spec.prometheus?.serverAddress ?? d.DEFAULT_PROMETHEUS_ADDRESS,
      authentication: spec.prometheus?.authentication,
    },
    observability: { ...(spec.observability ?? {}) },
  };
}

/**
 * Whether the scaler rests at zero: a KEDA ScaledObject with `minReplicaCount: 0`, which KEDA moves between 0
 * and 1 itself (the HPA below it keeps at least 1). Such a scaler gets the in-flight trigger.
 */
export function restsAtZero(scaler: Pick<ResolvedTokenAwareScaler, 'engine' | 'minReplicas'>): boolean {
  return scaler.engine === 'keda' && scaler.minReplicas === 0;
}
