/**
 * Scaling policies to compare on a trace: the tokenscale scaler as specified (through the HPA arithmetic
 * KEDA hands its metrics to), the HPAs the field runs on host CPU or memory, requests per second, and
 * static provisioning.
 */
import {
  DEFAULT_HPA_BEHAVIOR, EMPTY_HPA_MEMORY, HPA_TOLERANCE, HpaBehavior, HpaMemory, hpaSync, replicasForAverageValue, replicasForPodMetrics,
} from './hpa';
import { histogramQuantile } from './prometheus-histogram';
import { scheduledReplicas } from './scheduled-capacity';
import type { PolicyObservation, ScalingPolicy } from './simulation';
import {
  DEFAULT_FALLBACK_FAILURE_THRESHOLD, DEFAULT_KV_CACHE_TARGET, DEFAULT_QUEUE_DEPTH_PER_REPLICA, DEFAULT_TTFT_QUANTILE, DEFAULT_TTFT_WINDOW_SECONDS,
  KEDA_COOLDOWN_SECONDS,
} from '../defaults';
import { TTFT_BUCKETS_SECONDS } from '../metrics/vllm';
import { restsAtZero } from '../spec/token-aware-scaler';
import type { ResolvedTokenAwareScaler, ScalingSignal } from '../spec/token-aware-scaler';

/**
 * A policy that turns an observation into per-metric proposals and runs them through the HPA controller.
 * A proposal of `undefined` is a metric the controller could not read: as upstream
 * (`computeReplicasForMetrics`), the sync is skipped when every metric failed or when the readable ones
 * would scale down, and scaling up on the readable ones still happens.
 */
function hpaPolicy(
  name: string, min: number, max: number, behavior: HpaBehavior, propose: (o: PolicyObservation) => ReadonlyArray<number | undefined>,
): ScalingPolicy {
  let memory: HpaMemory = EMPTY_HPA_MEMORY;
  return {
    name,
    decide(o) {
      const current = Math.max(1, o.currentReplicas);
      const proposals = propose({ ...o, currentReplicas: current });
      const readable = proposals.filter((x): x is number => x !== undefined);
      const proposal = readable.length === 0 ? undefined : Math.max(...readable);
      if (proposal === undefined || (readable.length < proposals.length && proposal < current)) return o.currentReplicas;
      const r = hpaSync(o.timeSeconds, current, proposal, min, max, memory, behavior);
      memory = r.memory;
      return r.replicas;
    },
  };
}

/** The last `length` values pushed, for PromQL range windows over sync periods. */
class SyncWindow<T> {
  private readonly values: T[] = [];
  constructor(private readonly length: number) {}
  push(value: T): readonly T[] {
    this.values.push(value);
    if (this.values.length > this.length) this.values.shift();
    return this.values;
  }
}

/** The value a signal's emitted query returns at a sync, as the observation allows; NaN when the query is empty. */
function signalValue(signal: ScalingSignal, o: PolicyObservation, ttft: SyncWindow<readonly number[]>, generated: SyncWindow<number>): number {
  // vLLM series exist only on ready replicas: without one, sum() over them is an empty result.
  const empty = o.readyReplicas === 0;
  switch (signal.kind) {
    case 'queueDepth':
      return empty ? NaN : o.waiting;
    case 'kvCacheUsage':
      return empty ? NaN : o.kvCacheUsage * o.readyReplicas;
    case 'timeToFirstToken': {
      // histogram_quantile(q, sum by (le) (rate(..._bucket[window]))) x serving replicas (rate's 1/window cancels
      // out); a window without first tokens reads 0 while replicas report (the query's `>= 0 or on() 0`).
      const periods = ttft.push(o.ttftBucketCounts);
      const counts = TTFT_BUCKETS_SECONDS.map((_, i) => periods.reduce((sum, p) => sum + p[i], 0));
      counts.push(periods.reduce((sum, p) => sum + p[TTFT_BUCKETS_SECONDS.length], 0));
      if (empty) return NaN;
      const quantile = histogramQuantile(signal.quantile ?? DEFAULT_TTFT_QUANTILE, TTFT_BUCKETS_SECONDS, counts);
      return Number.isNaN(quantile) ? 0 : quantile * o.readyReplicas;
    }
    case 'generationThroughput': {
      // sum(rate(vllm:generation_tokens_total[1m])).
      const periods = generated.push(o.generatedTokens);
      return empty ? NaN : periods.reduce((sum, g) => sum + g, 0) / (periods.length * o.periodSeconds);
    }
    case 'prometheusQuery':
      return NaN;
  }
}

/**
 * Triggers the simulation cannot evaluate, by name: custom queries (arbitrary PromQL), and the scheduled
 * windows (`schedule-<i>`, as the ScaledObject names them) when the trace's wall-clock start is unknown.
 * The tokenscale policy leaves them out.
 */
export function unsimulatedSignals(scaler: ResolvedTokenAwareScaler, wallClockKnown = false): string[] {
  return [
    ...scaler.signals.filter((s) => s.kind === 'prometheusQuery').map((s) => (s as { name: string }).name),
    ...(wallClockKnown ? [] : scaler.scheduled.map((_, i) => `schedule-${i}`)),
  ];
}

/**
 * Whether the simulated scaler wakes from zero when requests wait. Custom queries are left out, but a KEDA
 * scaler that rests at zero must have one that wakes it on demand outside the replicas, such as a job queue
 * (see `scale-from-zero-blind`): requests waiting for a replica stand for that demand, for its activation
 * only.
 */
export function wakesOnWaitingRequests(scaler: ResolvedTokenAwareScaler): boolean {
  return restsAtZero(scaler) && scaler.signals.some((s) => s.kind === 'prometheusQuery');
}

/**
 * The tokenscale scaler as deployed: each signal's query value (queue depth, KV-cache use, the TTFT quantile
 * of its histogram window, generation throughput over 1m) proposes ceil(value / target) (External
 * AverageValue), the largest wins, and the scaler's behaviour applies. An empty or NaN query is zero load for
 * a KEDA scaler with `ignoreNullValues` (batch services) and an error otherwise; after more than
 * `failureThreshold` consecutive errors KEDA's fallback (`currentReplicasIfHigher`) reports
 * max(current, fallbackReplicas) for that trigger. Scheduled windows (cron triggers) propose their desired
 * replicas while active, given `wallClockMs`, which maps simulated seconds to the wall-clock time of the
 * trace. Custom `prometheusQuery` signals cannot be evaluated here and are left out, as are scheduled
 * windows without a wall clock (see `unsimulatedSignals`).
 */
export function tokenscalePolicy(scaler: ResolvedTokenAwareScaler, wallClockMs?: (simulatedSeconds: number) => number): ScalingPolicy {
  const behavior: HpaBehavior = {
    scaleUp: { ...scaler.behavior.scaleUp, policies: [...scaler.behavior.scaleUp.policies] },
    scaleDown: { ...scaler.behavior.scaleDown, policies: [...scaler.behavior.scaleDown.policies] },
  };
  const keda = scaler.engine === 'keda';
  const nullIsZero = keda && scaler.target.workload !== 'interactive';
  const sync = scaler.pollingIntervalSeconds;
  const simulated = scaler.signals.filter((s) => s.kind !== 'prometheusQuery');
  const windows = simulated.map((s) => ({
    ttft: new SyncWindow<readonly number[]>(Math.max(1, Math.ceil((s.kind === 'timeToFirstToken'
      ? s.windowSeconds ?? DEFAULT_TTFT_WINDOW_SECONDS : 60) / sync))),
    generated: new SyncWindow<number>(Math.max(1, Math.ceil(60 / sync))),
    failures: 0,
  }));
  // Each sync reads the triggers once: their proposals for the HPA, and whether any is active (above its
  // activation threshold: 0 for every trigger tokenscale emits but a custom query's, left out here).
  const read = (o: PolicyObservation): { proposals: ReadonlyArray<number | undefined>; active: boolean } => {
    let active = false;
    const proposals = simulated.map((s, i): number | undefined => {
      const w = windows[i];
      let value = signalValue(s, o, w.ttft, w.generated);
      if (!Number.isFinite(value) && nullIsZero) value = 0;
      if (value > 0) active = true;
      if (!Number.isFinite(value)) {
        w.failures++;
        if (keda && w.failures > DEFAULT_FALLBACK_FAILURE_THRESHOLD) return Math.max(o.currentReplicas, scaler.fallbackReplicas);
        return undefined;
      }
      w.failures = 0;
      return replicasForAverageValue(value, signalTarget(s), o.currentReplicas);
    });
    // A cron trigger's value against its AverageValue target of 1.
    const scheduled = wallClockMs && scaler.scheduled.length > 0
      ? scheduledReplicas(scaler.scheduled, wallClockMs(o.timeSeconds)).map((n) => replicasForAverageValue(n, 1, o.currentReplicas))
      : [];
    if (scheduled.some((n) => n > 0)) active = true;
    const all = [...proposals, ...scheduled];
    return { proposals: all.length === 0 ? [Math.max(1, scaler.minReplicas)] : all, active };
  };
  // The sync's reading when KEDA's check for activity (below) has taken it already.
  let taken: ReturnType<typeof read> | undefined;
  // KEDA gives its HPA a minimum of at least 1, and moves between 0 and 1 itself (see `scaleToZero`).
  const hpa = hpaPolicy('tokenscale', Math.max(1, scaler.minReplicas), scaler.maxReplicas, behavior, (o) => {
    const r = taken ?? read(o);
    taken = undefined;
    return r.proposals;
  });
  if (!restsAtZero(scaler)) return hpa;
  const wakesOnWaiting = wakesOnWaitingRequests(scaler);
  return scaleToZero(hpa, KEDA_COOLDOWN_SECONDS, (o) => {
    taken = read({ ...o, currentReplicas: Math.max(1, o.currentReplicas) });
    // The in-flight trigger tokenscale adds (see inFlightQuery) is active while requests run; it proposes at most 1.
    return taken.active || o.running > 0 || (wakesOnWaiting && o.waiting > 0);
  });
}

/**
 * KEDA's scale executor around its HPA, for a ScaledObject with `minReplicaCount: 0`
 * (`pkg/scaling/executor/scale_scaledobjects.go`): at zero replicas the HPA does not act, and KEDA scales to
 * 1 when any trigger is active; from 1 up the HPA decides, and KEDA scales to 0 once no trigger has been
 * active for `cooldownPeriod` (reference.md section 5). `isActive` reads the triggers at every sync.
 */
function scaleToZero(hpa: ScalingPolicy, cooldownSeconds: number, isActive: (o: PolicyObservation) => boolean): ScalingPolicy {
  let lastActiveSeconds: number | undefined;
  return {
    name: hpa.name,
    decide(o) {
      const active = isActive(o);
      if (active || lastActiveSeconds === undefined) lastActiveSeconds = o.timeSeconds;
      // At zero the HPA is disabled (its target has no replicas) and records nothing.
      if (o.currentReplicas === 0) return active ? 1 : 0;
      const proposed = hpa.decide(o);
      return !active && o.timeSeconds - lastActiveSeconds >= cooldownSeconds ? 0 : proposed;
    },
  };
}

function signalTarget(signal: ScalingSignal): number {
  switch (signal.kind) {
    case 'queueDepth': return signal.targetPerReplica ?? DEFAULT_QUEUE_DEPTH_PER_REPLICA;
    case 'kvCacheUsage': return signal.target ?? DEFAULT_KV_CACHE_TARGET;
    case 'timeToFirstToken': return signal.targetSeconds;
    case 'generationThroughput': return signal.tokensPerSecondPerReplica;
    case 'prometheusQuery': return signal.targetPerReplica;
  }
}

/**
 * HPA on host CPU at 70%: the host CPU of a vLLM pod idles while the GPU works (model: 10% at rest plus
 * 15% at a full batch), so it almost never asks for more replicas.
 */
export function cpuHpaPolicy(min: number, max: number, maxNumSeqs: number): ScalingPolicy {
  return hpaPolicy('hpa-cpu-70', min, max, DEFAULT_HPA_BEHAVIOR, (o) => {
    const util = 10 + (15 * o.running) / Math.max(1, o.readyReplicas * maxNumSeqs);
    // Pods still loading the model are unready: the controller ignores their CPU, as upstream does.
    const sample = { ready: Array<number>(o.readyReplicas).fill(util), unready: o.currentReplicas - o.readyReplicas, missing: 0 };
    return [replicasForPodMetrics(sample, 70, o.currentReplicas, HPA_TOLERANCE, 'Resource')];
  });
}

/**
 * HPA on memory at 80%: vLLM holds ~90% from start, so it scales to the maximum and stays there. Upstream
 * sets only CPU samples of unready pods aside (`groupPods`), so a pod still loading its model reports
 * memory and counts. (Pending pods would count as unready; the simulation does not separate node
 * provisioning from model loading, so every started pod counts.)
 */
export function memoryHpaPolicy(min: number, max: number): ScalingPolicy {
  return hpaPolicy('hpa-memory-80', min, max, DEFAULT_HPA_BEHAVIOR, (o) => [replicasForPodMetrics(
    { ready: Array<number>(o.currentReplicas).fill(90), unready: 0, missing: 0 }, 80, o.currentReplicas, HPA_TOLERANCE, 'Resource',
  )]);
}

/** Requests per second per replica, through the default HPA behaviour. */
export function requestRatePolicy(min: number, max: number, perReplica: number): ScalingPolicy {
  return hpaPolicy(`rps-${perReplica}`, min, max, DEFAULT_HPA_BEHAVIOR, (o) => [replicasForAverageValue(o.arrivalRate, perReplica, o.currentReplicas)]);
}

/** A fixed replica count: the scaler's maximum, or the count sized for a trace's peak (`static-sized`). */
export function staticPolicy(replicas: number): ScalingPolicy {
  return { name: `static-${replicas}`, decide: () => replicas };
}
