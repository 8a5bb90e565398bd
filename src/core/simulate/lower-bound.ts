/**
 * A lower bound on the replica-hours of any schedule that serves every request of a trace, proven from the
 * replica model the simulator runs (see ReplicaState), not estimated:
 *
 * - Decode. A replica decodes one batch at a time; a step takes `base + perSequence x batch` seconds and
 *   gives every sequence of the batch one token. A decoding sequence holds its prompt, its first token and
 *   what it has decoded, and the cache never holds more than `kvCacheTokens` (a replica preempts when it
 *   would), nor the batch more than `maxNumSeqs` sequences. Counted in decode progress (steps), a request
 *   with prompt p and d = o - 1 tokens to decode holds `d(p + 1) + d^2 / 2` token-steps, and a replica's
 *   steps hold at most `kvCacheTokens` each. So requests S need at least `max(sum (d(p + 1) + d^2 / 2) /
 *   kvCacheTokens, sum d / maxNumSeqs)` steps, and `base x steps + perSequence x sum d` replica-seconds of
 *   decoding. A preempted sequence decodes its tokens again at a larger context, which only adds.
 * - Prefill. A replica prefills one prompt at a time, beside its decode: `sum p / prefillTokensPerSecond`
 *   replica-seconds. Prefill and decode run at once, so a replica's time covers the larger, not the sum.
 * - Prefill sharing the GPU (the profile's step budget B set). A step taken while prompts wait lasts at
 *   least `t0 = max(base, B / prefillTokensPerSecond)` and prefills at most B tokens, so such steps take
 *   `x >= sum p x t0 / B` seconds, are at most `x / t0` of the steps and decode at most `maxNumSeqs` tokens
 *   each; every other step lasts `base + perSequence x batch`. So the time is at least
 *   `g(x) = x + base x max(0, steps - x / t0) + perSequence x max(0, sum d - maxNumSeqs x x / t0)`, at the
 *   smallest `g` over `x` from that least prefill time on (g is convex: its minimum is at a kink).
 * - Floor and arrival order. The schedule keeps `floorReplicas` until the last arrival, and no work is done
 *   before its request arrives: for every arrival time t, the replica time is at least `floor x t` before t
 *   plus, after t, the larger of `floor x (end - t)` and the work of the requests arriving from t on.
 *
 * Requests no replica takes (prompt and output beyond its KV cache or `maxModelLen`) are refused, as the
 * simulator refuses them, and count for nothing. It knows nothing of the TTFT SLO, queueing or cold starts:
 * a policy that meets the SLO needs more, and the exact optimum lies between this bound and the foresight
 * schedule (an achievable one).
 */
import { longestRequestTokens, ReplicaProfile } from './replica-profile';
import { replay, ReplayableTrace, TraceRequest } from './trace';

/** The bound and its parts, in replica-hours. */
export interface ReplicaHoursLowerBound {
  /** The bound: the largest of the candidates below. */
  readonly replicaHours: number;
  /** Decoding every request's output at the fewest steps its KV cache and batch size allow. */
  readonly decodeReplicaHours: number;
  /** Prefilling every prompt. */
  readonly prefillReplicaHours: number;
  /** Prefilling and decoding on a GPU they share (0 when the profile sets no step budget). */
  readonly sharedReplicaHours: number;
  /** The floor kept from the first to the last arrival. */
  readonly floorReplicaHours: number;
  /** The arrival time that splits the trace for the bound (0 when the whole trace's work binds), seconds. */
  readonly splitAtSeconds: number;
}

interface Work {
  promptTokens: number;
  decodeTokens: number;
  /** Tokens held, summed over every decode step (see the decode bound above). */
  heldTokenSteps: number;
}

const noWork = (): Work => ({ promptTokens: 0, decodeTokens: 0, heldTokenSteps: 0 });

/** Adds a request's tokens to `w` (its first token comes from prefill, the rest from decode steps). */
function addRequest(w: Work, r: TraceRequest): void {
  const decode = Math.max(0, r.outputTokens - 1);
  w.promptTokens += r.promptTokens;
  w.decodeTokens += decode;
  // At decode progress x (0..d) it holds p + 1 + x tokens: d(p + 1) + d^2 / 2 over its d steps.
  w.heldTokenSteps += decode * (r.promptTokens + 1) + (decode * decode) / 2;
}

/** Replica-seconds the requests summed in `w` need at least: decoding, prefilling, and both on a shared GPU. */
function workSeconds(w: Work, profile: ReplicaProfile): { decode: number; prefill: number; shared: number } {
  const base = profile.decodeStepBaseSeconds;
  const perSequence = profile.decodeStepPerSequenceSeconds;
  const steps = Math.max(w.heldTokenSteps / profile.kvCacheTokens, w.decodeTokens / profile.maxNumSeqs);
  const decode = base * steps + perSequence * w.decodeTokens;
  const prefill = w.promptTokens / profile.prefillTokensPerSecond;
  const budget = profile.maxNumBatchedTokens;
  if (budget === undefined) return { decode, prefill, shared: 0 };
  const t0 = Math.max(base, budget / profile.prefillTokensPerSecond);
  const g = (x: number) => x + base * Math.max(0, steps - x / t0) + perSequence * Math.max(0, w.decodeTokens - (profile.maxNumSeqs * x) / t0);
  const least = (w.promptTokens * t0) / budget;
  const kinks = [least, steps * t0, (w.decodeTokens * t0) / profile.maxNumSeqs].filter((x) => x >= least);
  return { decode, prefill, shared: Math.min(...kinks.map(g)) };
}

/**
 * The lower bound for a trace (read twice: pass an array or a function that reads it afresh) on replicas
 * of `profile`. `floorReplicas` is the schedule's minimum (a spec's minReplicas); 0 gives the bound of any
 * schedule.
 */
export function replicaHoursLowerBound(trace: ReplayableTrace, profile: ReplicaProfile, floorReplicas = 0): ReplicaHoursLowerBound {
  const total = noWork();
  let last = 0;
  const longest = longestRequestTokens(profile);
  const served = (r: TraceRequest) => r.promptTokens + r.outputTokens <= longest;
  for (const r of replay(trace)) {
    if (!served(r)) continue;
    addRequest(total, r);
    last = r.arrivalSeconds;
  }
  const whole = workSeconds(total, profile);
  const floorSeconds = floorReplicas * last;
  let best = Math.max(floorSeconds, whole.decode, whole.prefill, whole.shared);
  let splitAt = 0;
  if (floorReplicas > 0) {
    // The work of the requests arriving from each arrival on: the total less what arrived before it.
    const before = noWork();
    for (const r of replay(trace)) {
      if (!served(r)) continue;
      const from = workSeconds({
        promptTokens: total.promptTokens - before.promptTokens,
        decodeTokens: total.decodeTokens - before.decodeTokens,
        heldTokenSteps: total.heldTokenSteps - before.heldTokenSteps,
      }, profile);
      const t = r.arrivalSeconds;
      const candidate = floorReplicas * t + Math.max(floorReplicas * (last - t), from.decode, from.prefill, from.shared);
      if (candidate > best) {
        best = candidate;
        splitAt = t;
      }
      addRequest(before, r);
    }
  }
  return {
    replicaHours: best / 3600,
    decodeReplicaHours: whole.decode / 3600,
    prefillReplicaHours: whole.prefill / 3600,
    sharedReplicaHours: whole.shared / 3600,
    floorReplicaHours: floorSeconds / 3600,
    splitAtSeconds: splitAt,
  };
}
