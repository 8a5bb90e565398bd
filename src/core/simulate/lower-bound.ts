/**
 * A lower bound on the GPU-hours of any replica schedule for a trace: per window, the replicas needed to
 * do the window's prefill and decode work at a replica's best throughput (a full batch), never below one.
 * It ignores queueing and cold starts (perfect foresight, perfect packing), so every real policy needs at
 * least this much; it is a fluid bound, looser than an exact oracle.
 */
import { decodeStepSeconds, ReplicaProfile } from './replica-profile';
import type { TraceRequest } from './trace';

/** `floorReplicas` is the schedule's minimum (a spec's minReplicas); 1 gives the bound of any schedule. */
export function fluidLowerBoundReplicaHours(trace: Iterable<TraceRequest>, profile: ReplicaProfile, windowSeconds = 60, floorReplicas = 1): number {
  const decodePerSecond = profile.maxNumSeqs / decodeStepSeconds(profile, profile.maxNumSeqs);
  const work = new Map<number, number>();
  let lastWindow = 0;
  for (const r of trace) {
    const w = Math.floor(r.arrivalSeconds / windowSeconds);
    lastWindow = Math.max(lastWindow, w);
    // Seconds of one replica's full-throughput time this request costs.
    work.set(w, (work.get(w) ?? 0) + r.promptTokens / profile.prefillTokensPerSecond + r.outputTokens / decodePerSecond);
  }
  let replicaSeconds = 0;
  for (let w = 0; w <= lastWindow; w++) replicaSeconds += Math.max(floorReplicas, 1, Math.ceil((work.get(w) ?? 0) / windowSeconds)) * windowSeconds;
  return replicaSeconds / 3600;
}
