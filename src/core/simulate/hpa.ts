/**
 * The HorizontalPodAutoscaler's arithmetic as pure functions, mirroring the upstream controller
 * (kubernetes/kubernetes `pkg/controller/podautoscaler`: `replica_calculator.go` and `horizontal.go`
 * `stabilizeRecommendationWithBehaviors`, `convertDesiredReplicasWithBehaviorRate`,
 * `calculateScaleUpLimitWithScalingRules`, `calculateScaleDownLimitWithBehaviors`,
 * `getReplicasChangePerPeriod`), so a simulated policy scales exactly as the deployed one. Times are in
 * seconds.
 */

/** Default tolerance (`--horizontal-pod-autoscaler-tolerance`). */
export const HPA_TOLERANCE = 0.1;

/** One scaling policy of a direction. */
export interface HpaPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** Scaling rules of one direction (autoscaling/v2 `HPAScalingRules`), defaults applied. */
export interface HpaRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly HpaPolicy[];
}

export interface HpaBehavior {
  readonly scaleUp: HpaRules;
  readonly scaleDown: HpaRules;
}

/** Behaviour defaulting (`pkg/apis/autoscaling/v2/defaults.go`): what an HPA without `behavior` uses. */
export const DEFAULT_HPA_BEHAVIOR: HpaBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
  },
  // The scale-down window comes from --horizontal-pod-autoscaler-downscale-stabilization (5m).
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

/** A past replica change, for the policies' period accounting. */
export interface ScaleEvent {
  readonly timeSeconds: number;
  /** Replicas added (scale up) or removed (scale down), always positive. */
  readonly replicas: number;
}

/** A past recommendation, for stabilization. */
export interface Recommendation {
  readonly timeSeconds: number;
  readonly replicas: number;
}

/** What the controller remembers between syncs. */
export interface HpaMemory {
  readonly recommendations: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

export const EMPTY_HPA_MEMORY: HpaMemory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

/**
 * Replicas for a per-pod average target (Pods metrics, External/Object `AverageValue`):
 * ceil(total / target), unless the usage ratio is within the tolerance of 1.
 */
export function replicasForAverageValue(
  total: number, targetPerReplica: number, currentReplicas: number, tolerance = HPA_TOLERANCE,
): number {
  const ratio = total / (targetPerReplica * currentReplicas);
  if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
  return Math.ceil(total / targetPerReplica);
}

/**
 * Replicas for a ratio target (Resource `Utilization`, External/Object `Value`): ceil(ratio x ready pods),
 * unless the ratio is within the tolerance of 1.
 */
export function replicasForRatio(
  current: number, target: number, readyPods: number, currentReplicas: number, tolerance = HPA_TOLERANCE,
): number {
  const ratio = current / target;
  if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
  return Math.ceil(ratio * readyPods);
}

/** Per-pod values of a Resource or Pods metric at one sync, as the controller sorts the pods. */
export interface PodMetricSample {
  /** Values of the ready pods that report the metric. */
  readonly ready: readonly number[];
  /** Pods not ready yet (starting, or within the CPU initialization period); their values are ignored. */
  readonly unready: number;
  /** Pods that report no value. */
  readonly missing: number;
}

/**
 * Replicas for a per-pod metric with the upstream controller's handling of unready and missing pods
 * (pkg/controller/podautoscaler/replica_calculator.go: `GetResourceReplicas` for `Resource` utilization,
 * `calcPlainMetricReplicas` for `Pods` metrics): the usage ratio is computed over ready pods; if it asks
 * to scale up, unready pods count as using 0; missing pods count as using 0 when scaling up and, when
 * scaling down, the target (`Pods`) or 100% of their request (`Resource`, or the target when it is above
 * 100%); when that recomputation would reverse the direction, or lands within the tolerance, the replica
 * count stays. Pods the controller ignores (failed, being deleted) are left out of the sample.
 */
export function replicasForPodMetrics(
  sample: PodMetricSample, target: number, currentReplicas: number, tolerance = HPA_TOLERANCE, source: 'Resource' | 'Pods' = 'Pods',
): number {
  const values = [...sample.ready];
  if (values.length === 0) return currentReplicas;
  const average = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const usageRatio = average(values) / target;
  const scaleUpWithUnready = sample.unready > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && sample.missing === 0) {
    if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
    return Math.ceil(usageRatio * values.length);
  }
  const missingOnScaleDown = source === 'Resource' ? Math.max(100, target) : target;
  // A Resource ratio of exactly 1 leaves missing pods out (upstream: `else if usageRatio > 1.0`).
  const fillMissing = source === 'Pods' || usageRatio !== 1;
  for (let i = 0; fillMissing && i < sample.missing; i++) values.push(usageRatio < 1 ? missingOnScaleDown : 0);
  if (scaleUpWithUnready) for (let i = 0; i < sample.unready; i++) values.push(0);
  const newRatio = average(values) / target;
  if (Math.abs(1 - newRatio) <= tolerance || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) return currentReplicas;
  const replicas = Math.ceil(newRatio * values.length);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

/** Replicas changed by events within the last `periodSeconds` before `now`. */
export function replicasChangedInPeriod(now: number, periodSeconds: number, events: readonly ScaleEvent[]): number {
  const cutoff = now - periodSeconds;
  return events.filter((e) => e.timeSeconds > cutoff).reduce((sum, e) => sum + e.replicas, 0);
}

/** Replicas at the start of a policy period: current, minus what was added in it, plus what was removed. */
function periodStartReplicas(now: number, periodSeconds: number, current: number, memory: HpaMemory): number {
  const added = replicasChangedInPeriod(now, periodSeconds, memory.scaleUpEvents);
  const removed = replicasChangedInPeriod(now, periodSeconds, memory.scaleDownEvents);
  return current - added + removed;
}

/** Highest replica count the scale-up policies allow now. */
export function scaleUpLimit(now: number, current: number, memory: HpaMemory, rules: HpaRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Max' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Max' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = periodStartReplicas(now, p.periodSeconds, current, memory);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** Lowest replica count the scale-down policies allow now. */
export function scaleDownLimit(now: number, current: number, memory: HpaMemory, rules: HpaRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // For scale down, Max selects the largest change: the lowest count.
  const pick = rules.selectPolicy === 'Max' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Max' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = periodStartReplicas(now, p.periodSeconds, current, memory);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/**
 * Stabilization: scale up to at most the lowest recommendation of the up window, down to at least the
 * highest of the down window. Returns the stabilized count; the caller records `desired`.
 */
export function stabilize(now: number, current: number, desired: number, memory: HpaMemory, behavior: HpaBehavior): number {
  let up = desired;
  let down = desired;
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
  for (const r of memory.recommendations) {
    if (r.timeSeconds > upCutoff) up = Math.min(up, r.replicas);
    if (r.timeSeconds > downCutoff) down = Math.max(down, r.replicas);
  }
  let recommendation = current;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  return recommendation;
}

/** Applies the rate limits of the policies and the [min, max] bounds. */
export function limitRate(
  now: number, current: number, desired: number, min: number, max: number, memory: HpaMemory, behavior: HpaBehavior,
): number {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(now, current, memory, behavior.scaleUp));
    return Math.min(desired, Math.min(max, limit));
  }
  if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(now, current, memory, behavior.scaleDown));
    return Math.max(desired, Math.max(min, limit));
  }
  return Math.min(max, Math.max(min, desired));
}

/**
 * One controller sync: from the metric proposal to the new replica count, with stabilization, rate
 * limits, bounds and the updated memory (recommendations and events older than the longest window or
 * period are dropped).
 */
export function hpaSync(
  now: number, current: number, proposal: number, min: number, max: number, memory: HpaMemory, behavior: HpaBehavior,
): { replicas: number; memory: HpaMemory } {
  const stabilized = stabilize(now, current, proposal, memory, behavior);
  const replicas = limitRate(now, current, stabilized, min, max, memory, behavior);
  const keep = Math.max(
    behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds,
    ...behavior.scaleUp.policies.map((p) => p.periodSeconds), ...behavior.scaleDown.policies.map((p) => p.periodSeconds),
  );
  const fresh = <T extends { timeSeconds: number }>(xs: readonly T[]) => xs.filter((x) => x.timeSeconds > now - keep);
  return {
    replicas,
    memory: {
      recommendations: [...fresh(memory.recommendations), { timeSeconds: now, replicas: proposal }],
      scaleUpEvents: [...fresh(memory.scaleUpEvents), ...(replicas > current ? [{ timeSeconds: now, replicas: replicas - current }] : [])],
      scaleDownEvents: [...fresh(memory.scaleDownEvents), ...(replicas < current ? [{ timeSeconds: now, replicas: current - replicas }] : [])],
    },
  };
}
