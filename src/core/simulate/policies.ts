/**
 * Scaling policies to compare on a trace: the tokenscale scaler as specified (through the HPA arithmetic
 * KEDA hands its metrics to), the HPAs the field runs on host CPU or memory, requests per second, and
 * static provisioning.
 */
import type { PolicyObservation, ScalingPolicy } from './engine';
import {
  DEFAULT_HPA_BEHAVIOR, EMPTY_HPA_MEMORY, HpaBehavior, HpaMemory, hpaSync, replicasForAverageValue, replicasForPodMetrics,
} from './hpa';
import type { ResolvedTokenAwareScaler } from '../spec/token-aware-scaler';

/** A policy that turns an observation into a metric proposal and runs it through the HPA controller. */
function hpaPolicy(name: string, min: number, max: number, behavior: HpaBehavior, propose: (o: PolicyObservation) => number): ScalingPolicy {
  let memory: HpaMemory = EMPTY_HPA_MEMORY;
  return {
    name,
    decide(o) {
      const current = Math.max(1, o.currentReplicas);
      const r = hpaSync(o.timeSeconds, current, propose({ ...o, currentReplicas: current }), min, max, memory, behavior);
      memory = r.memory;
      return r.replicas;
    },
  };
}

/**
 * The tokenscale scaler: each queue-depth, KV-cache and TTFT signal proposes ceil(value / target) (External
 * AverageValue; TTFT as its p95 over the sync period), the largest wins, and the scaler's behaviour applies.
 * Throughput and custom-query signals are not simulated yet and are ignored.
 */
export function tokenscalePolicy(scaler: ResolvedTokenAwareScaler): ScalingPolicy {
  const behavior: HpaBehavior = {
    scaleUp: { ...scaler.behavior.scaleUp, policies: [...scaler.behavior.scaleUp.policies] },
    scaleDown: { ...scaler.behavior.scaleDown, policies: [...scaler.behavior.scaleDown.policies] },
  };
  return hpaPolicy('tokenscale', scaler.minReplicas, scaler.maxReplicas, behavior, (o) => {
    const proposals = scaler.signals.map((s) => {
      if (s.kind === 'queueDepth') return replicasForAverageValue(o.waiting, s.targetPerReplica ?? 5, o.currentReplicas);
      if (s.kind === 'kvCacheUsage') return replicasForAverageValue(o.kvCacheUsage * o.readyReplicas, s.target ?? 0.8, o.currentReplicas);
      // The emitted TTFT query is quantile x serving replicas, read as an AverageValue of the target.
      if (s.kind === 'timeToFirstToken') return replicasForAverageValue(o.ttftP95 * o.readyReplicas, s.targetSeconds, o.currentReplicas);
      return 0;
    });
    return Math.max(scaler.minReplicas, ...proposals);
  });
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
    return replicasForPodMetrics(sample, 70, o.currentReplicas);
  });
}

/** HPA on memory at 80%: vLLM holds ~90% from start, so it scales to the maximum and stays there. */
export function memoryHpaPolicy(min: number, max: number): ScalingPolicy {
  return hpaPolicy('hpa-memory-80', min, max, DEFAULT_HPA_BEHAVIOR, (o) => replicasForPodMetrics(
    { ready: Array<number>(o.readyReplicas).fill(90), unready: o.currentReplicas - o.readyReplicas, missing: 0 }, 80, o.currentReplicas,
  ));
}

/** Requests per second per replica, through the default HPA behaviour. */
export function requestRatePolicy(min: number, max: number, perReplica: number): ScalingPolicy {
  return hpaPolicy(`rps-${perReplica}`, min, max, DEFAULT_HPA_BEHAVIOR, (o) => replicasForAverageValue(o.arrivalRate, perReplica, o.currentReplicas));
}

/** A fixed replica count (provisioning for the peak). */
export function staticPolicy(replicas: number): ScalingPolicy {
  return { name: `static-${replicas}`, decide: () => replicas };
}
