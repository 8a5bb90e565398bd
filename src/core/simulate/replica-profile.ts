/**
 * Capacity model of one vLLM replica: how fast it prefills prompts and how long one decode step takes
 * for a batch, how many sequences it runs at once and how many tokens its KV cache holds. Queueing, TTFT
 * and inter-token latency emerge from load. Users should supply a profile measured on their own model and
 * GPU; the built-in one states its assumptions.
 */

export interface ReplicaProfile {
  /** Prompt tokens prefilled per second when the replica prefills. */
  readonly prefillTokensPerSecond: number;
  /** Decode step time with one sequence, seconds (reading the weights once). */
  readonly decodeStepBaseSeconds: number;
  /** Extra decode step time per running sequence, seconds (attention over its KV cache). */
  readonly decodeStepPerSequenceSeconds: number;
  /** Sequences run at once (`--max-num-seqs`). */
  readonly maxNumSeqs: number;
  /** Tokens the KV cache holds (prompt + output of running sequences). */
  readonly kvCacheTokens: number;
  /** From scale-up decision to serving: node provisioning, image pull, model load, probe. */
  readonly coldStartSeconds: number;
  /**
   * Of the cold start, the time to launch a GPU node and have it join the cluster: a replica placed on a
   * node that is still up (emptied by a recent scale-down, not yet consolidated) skips it.
   * @default 0 (every replica waits the whole cold start)
   */
  readonly nodeProvisioningSeconds?: number;
  /**
   * Tokens one engine step processes (`--max-num-batched-tokens`). Set, prefill shares the GPU with decode
   * as vLLM's chunked prefill does: while prompts wait, a step fills what the running sequences leave of
   * this budget with prompt tokens, and takes the longer of the decode step and the time to compute all of
   * its tokens at `prefillTokensPerSecond`; so decode slows while prompts are prefilled, and prefill slows
   * as the batch grows (it stops when the batch takes the whole budget).
   * @default - unset: prefill runs beside decode at its own rate, neither slowing the other
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Longest request a replica takes, prompt and output together (`--max-model-len`): vLLM refuses a longer
   * one with an error, so the simulator refuses it on arrival, as it refuses one its KV cache cannot hold.
   * @default - the KV cache
   */
  readonly maxModelLen?: number;
}

/**
 * Llama-3.1-8B-Instruct, BF16, one L4 (g6): assumptions, not measurements. Decode is memory-bound:
 * 16 GB of weights over ~300 GB/s of L4 bandwidth gives ~53 ms per step; 0.4 ms per extra sequence;
 * prefill ~6,000 tokens/s (compute-bound, ~120 TFLOPS BF16 at ~40% utilization for 16 GFLOP/token);
 * KV cache ~29k tokens ((20.1 - 15.0 - 1.5) GiB at 128 KiB/token, see model-fit); cold start 300 s; prefill
 * shares each step's 2,048 tokens with decode (vLLM's `--max-num-batched-tokens` default on an L4).
 */
export const LLAMA_8B_ON_L4: ReplicaProfile = {
  prefillTokensPerSecond: 6000,
  decodeStepBaseSeconds: 0.053,
  decodeStepPerSequenceSeconds: 0.0004,
  maxNumSeqs: 64,
  kvCacheTokens: 29_000,
  coldStartSeconds: 300,
  maxNumBatchedTokens: 2048,
};

/** Longest request, prompt and output together, that a replica of the profile takes (see `maxModelLen`). */
export function longestRequestTokens(profile: ReplicaProfile): number {
  return Math.min(profile.kvCacheTokens, profile.maxModelLen ?? Infinity);
}

/** Decode step time for a batch of `running` sequences. */
export function decodeStepSeconds(profile: ReplicaProfile, running: number): number {
  return profile.decodeStepBaseSeconds + profile.decodeStepPerSequenceSeconds * running;
}

/**
 * Step time for a batch of `running` sequences while prompts wait for prefill, with `maxNumBatchedTokens`
 * set: the step also computes the prompt tokens that fill the budget (all of it, or the batch when that is
 * larger), at the prefill rate.
 */
export function prefillStepSeconds(profile: ReplicaProfile, running: number, maxNumBatchedTokens: number): number {
  return Math.max(decodeStepSeconds(profile, running), Math.max(maxNumBatchedTokens, running) / profile.prefillTokensPerSecond);
}
