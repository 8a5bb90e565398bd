import type { ReplicaProfile } from 'tokenscale';

/** A small replica whose batch (4 sequences) and KV cache (5,000 tokens) fill with a handful of requests. */
export const SMALL_PROFILE: ReplicaProfile = {
  prefillTokensPerSecond: 1000,
  decodeStepBaseSeconds: 0.05,
  decodeStepPerSequenceSeconds: 0.01,
  maxNumSeqs: 4,
  kvCacheTokens: 5000,
  coldStartSeconds: 60,
};
