import * as fc from 'fast-check';
import type { TraceRequest } from 'tokenscale';

/** Limits of `arrivingRequests`. */
export interface ArrivingRequestLimits {
  /** Longest gap between two arrivals, seconds. */
  readonly maxGapSeconds: number;
  readonly maxPromptTokens: number;
  readonly maxOutputTokens: number;
  /** Most requests in a trace. */
  readonly maxLength: number;
}

/** Traces of 1 to `maxLength` requests in arrival order, each with a random gap, prompt and output. */
export function arrivingRequests(limits: ArrivingRequestLimits): fc.Arbitrary<TraceRequest[]> {
  return fc.array(fc.record({
    gap: fc.double({ min: 0, max: limits.maxGapSeconds, noNaN: true }),
    prompt: fc.integer({ min: 1, max: limits.maxPromptTokens }),
    output: fc.integer({ min: 1, max: limits.maxOutputTokens }),
  }), { minLength: 1, maxLength: limits.maxLength }).map((rows) => {
    let t = 0;
    return rows.map((r) => ({ arrivalSeconds: (t += r.gap), promptTokens: r.prompt, outputTokens: r.output }));
  });
}
