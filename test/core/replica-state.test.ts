import * as fc from 'fast-check';
import { SMALL_PROFILE } from '../support/small-profile';
import { decodeStepSeconds, LatencyHistogram, ReplicaState, RunningSequence } from 'tokenscale';

const profile = SMALL_PROFILE;

function sequence(arrivalSeconds: number, promptTokens: number, outputTokens: number): RunningSequence {
  const fresh = { measured: true, resumed: false, decoding: false, joinedAtProgress: 0, finishesAtProgress: 0 };
  return { arrivalSeconds, promptTokens, decodeTokens: outputTokens - 1, answerTokens: outputTokens, ...fresh };
}

function noPreemption(): never {
  throw new Error('no preemption expected here');
}

/** Runs a replica from event to event until it is idle; returns first-token and finish times. */
function drain(replica: ReplicaState): { firstTokens: number[]; idleAt: number } {
  const firstTokens: number[] = [];
  let t = 0;
  while (replica.running > 0) {
    t = replica.nextCompletionAtSeconds;
    replica.advanceTo(t, (_, at) => firstTokens.push(at), noPreemption);
  }
  return { firstTokens, idleAt: t };
}

describe('an event-driven vLLM replica', () => {
  test('one request: prefill at the prefill rate gives the first token, then one token per single-sequence step', () => {
    const r = new ReplicaState(profile, 0);
    r.admit(sequence(0, 500, 11), 0);
    const { firstTokens, idleAt } = drain(r);
    expect(firstTokens).toEqual([0.5]);
    expect(idleAt).toBeCloseTo(0.5 + 10 * decodeStepSeconds(profile, 1), 9);
    expect(r.generatedTokens).toBeCloseTo(11, 9);
  });

  test('a sequence finishes at its last token: after its decode steps, or at its prefill when its answer is one token', () => {
    const r = new ReplicaState(profile, 0);
    r.admit(sequence(0, 500, 11), 0);
    r.admit(sequence(0, 500, 1), 0);
    const finished: Array<[number, number]> = [];
    while (r.running > 0) {
      r.advanceTo(r.nextCompletionAtSeconds, () => undefined, noPreemption, (seq, at) => finished.push([seq.answerTokens, at]));
    }
    // The one-token answer is done when its prefill is (at 1 s, after the first prompt's); the other decodes its ten
    // steps from 0.5 s alone, as the one-token answer never joins the batch.
    expect(finished.map(([tokens]) => tokens)).toEqual([1, 11]);
    expect(finished[0][1]).toBeCloseTo(1, 9);
    expect(finished[1][1]).toBeCloseTo(0.5 + 10 * decodeStepSeconds(profile, 1), 9);
  });

  test('prefills queue first come, first served; decode slows as the batch grows', () => {
    const r = new ReplicaState(profile, 0);
    r.admit(sequence(0, 1000, 3), 0);
    r.admit(sequence(0, 1000, 3), 0);
    const { firstTokens, idleAt } = drain(r);
    expect(firstTokens).toEqual([1, 2]);
    // The first decodes its two tokens alone while the second prefills (done at 1.12); the second's first
    // token comes at 2, then it decodes two steps alone.
    expect(idleAt).toBeCloseTo(2 + 2 * decodeStepSeconds(profile, 1), 9);
  });

  test('two sequences decoding together each take the two-sequence step time per token', () => {
    const r = new ReplicaState(profile, 0);
    r.admit(sequence(0, 0, 21), 0);
    r.admit(sequence(0, 0, 21), 0);
    const { idleAt } = drain(r);
    expect(idleAt).toBeCloseTo(20 * decodeStepSeconds(profile, 2), 9);
  });

  test('a resumed sequence holds its recomputed context, which has its first token already', () => {
    // Preempted after 999 tokens of context and readmitted with them as its prompt: its first token is in there.
    const fresh = new ReplicaState(profile, 0);
    fresh.admit(sequence(0, 1000, 11), 0);
    const resumed = new ReplicaState(profile, 0);
    resumed.admit({ ...sequence(0, 1000, 11), decodeTokens: 10, resumed: true }, 0);
    for (const r of [fresh, resumed]) r.advanceTo(1, () => undefined, noPreemption);
    expect([fresh.kvTokensAt(1), resumed.kvTokensAt(1)]).toEqual([1001, 1000]);
    // Two resumed sequences whose contexts end at 2,500 tokens each fill the 5,000-token cache exactly at their
    // last token, without preempting.
    const two = new ReplicaState(profile, 0);
    for (let i = 0; i < 2; i++) two.admit({ ...sequence(0, 2000, 501), decodeTokens: 500, resumed: true }, 0);
    expect(drain(two).firstTokens).toEqual([]);
    expect(two.generatedTokens).toBeCloseTo(1000, 6);
  });

  test('sequence slots and the KV cache bound admission; the KV cache counts prompts and generated tokens', () => {
    const r = new ReplicaState(profile, 0);
    // Room for the prompt is enough: no server knows how long the output will be.
    expect(r.fits(5000, 0)).toBe(true);
    expect(r.fits(5001, 0)).toBe(false);
    r.admit(sequence(0, 100, 101), 0);
    r.advanceTo(0.1, () => undefined, noPreemption); // prefill done: first token out
    expect(r.kvTokensAt(0.1)).toBeCloseTo(101, 9);
    expect(r.kvTokensAt(0.1 + 10 * decodeStepSeconds(profile, 1))).toBeCloseTo(111, 9);
    for (let i = 0; i < 3; i++) r.admit(sequence(0, 1, 2), 0.1);
    expect(r.kvTokensAt(0.1) + 4000).toBeLessThan(profile.kvCacheTokens);
    expect(r.fits(1, 0.1)).toBe(false); // four sequences: --max-num-seqs
  });

  test('when running sequences fill the KV cache, the one that joined last is preempted with the tokens it holds', () => {
    // Both fit at admission (1,000 and 2,000 of 5,000 tokens held), but both grow to 3,000.
    const r = new ReplicaState(profile, 0);
    const a = sequence(0, 1000, 2000);
    const b = sequence(0, 1000, 2000);
    r.admit(a, 0);
    r.admit(b, 0);
    const preempted: Array<[typeof b, number, number]> = [];
    let t = 0;
    while (r.running > 0) {
      t = r.nextCompletionAtSeconds;
      r.advanceTo(t, () => undefined, (seq, held, remaining) => {
        preempted.push([seq, held, t]);
        expect(held + remaining).toBe(2000);
        // No admission in the step that preempted (vLLM schedules no waiting request then): the next one
        // starts when A's step, alone now, ends.
        expect(r.admitsFromSeconds).toBeCloseTo(r.nextCompletionAtSeconds === Infinity ? t : t + decodeStepSeconds(profile, 1), 9);
        expect(r.fits(1, t)).toBe(false);
      });
      expect(r.kvTokensAt(t)).toBeLessThanOrEqual(profile.kvCacheTokens + 1e-6);
    }
    // A decodes alone from 1 s to 2 s (16.67 tokens at 60 ms), then both at 70 ms a step until the cache
    // holds 5,000: 2,018.67 + 2x = 5,000, x = 1,490.67 steps, so B holds 1 + 1,490 whole tokens.
    expect(preempted).toHaveLength(1);
    expect(preempted[0][0]).toBe(b);
    expect(preempted[0][1]).toBe(1491);
    expect(preempted[0][2]).toBeCloseTo(2 + ((5000 - 2000 - 2 - 1 / 0.06) / 2) * 0.07, 6);
    // A finishes its 2,000 tokens alone.
    expect(t).toBeCloseTo(preempted[0][2] + (2000 - 1 - 1 / 0.06 - (5000 - 2000 - 2 - 1 / 0.06) / 2) * 0.06, 6);
  });

  test('a prompt still waiting for its prefill is preempted first, as vLLM preempts the request it scheduled last', () => {
    const r = new ReplicaState(profile, 0);
    const a = sequence(0, 1000, 100);
    r.admit(a, 0);
    r.advanceTo(1, () => undefined, noPreemption); // A's first token at 1 s
    // B's prompt fits beside A's 1,001 tokens (4,999 of 5,000), but A grows while B is prefilled (4 s).
    const b = sequence(1, 3998, 10);
    expect(r.fits(3998, 1)).toBe(true);
    r.admit(b, 1);
    const preempted: Array<[RunningSequence, number, number, number]> = [];
    let t = 1;
    while (r.running > 0) {
      t = r.nextCompletionAtSeconds;
      r.advanceTo(t, () => undefined, (seq, held, remaining) => preempted.push([seq, held, remaining, t]));
    }
    // One step on, A holds 1,002 and the cache is full, with no room for A's next token: B gives its cache
    // back, with nothing computed and all to do.
    expect(preempted).toEqual([[b, 0, 9, expect.closeTo(1 + decodeStepSeconds(profile, 1), 9)]]);
    // A finishes its 99 decoded tokens alone.
    expect(t).toBeCloseTo(1 + 99 * decodeStepSeconds(profile, 1), 9);
  });

  test('prefill sharing the GPU slows the batch while a prompt waits, and gets what the batch leaves of the step budget', () => {
    // Steps of a 100-token budget take max(decode step, 100 / 1,000 tokens/s) = 0.1 s for up to five sequences.
    const r = new ReplicaState({ ...SMALL_PROFILE, maxNumBatchedTokens: 100 }, 0);
    const firstTokens: number[] = [];
    const onFirst = (_: RunningSequence, at: number) => firstTokens.push(at);
    r.admit(sequence(0, 100, 21), 0); // alone, its prompt gets the whole budget: first token at 0.1
    r.advanceTo(0.4, onFirst, noPreemption); // then it decodes five tokens at 0.06 s
    r.admit(sequence(0.4, 990, 2), 0.4); // prefilled beside a batch of one: 99 tokens per 0.1 s step, 1 s
    r.advanceTo(1.4, onFirst, noPreemption);
    expect(firstTokens).toEqual([0.1, expect.closeTo(1.4, 9)]);
    // The first decoded ten tokens in those ten prefill steps (15 of 20); then two sequences decode at 0.07 s
    // a step until the second's one token is out (1.47), and the first its last four at 0.06 s.
    expect(r.kvTokensAt(1.4)).toBeCloseTo(100 + 16 + 990 + 1, 6);
    const { idleAt } = drain(r);
    expect(idleAt).toBeCloseTo(1.47 + 4 * decodeStepSeconds(SMALL_PROFILE, 1), 9);
  });

  test('a prompt waits while the batch takes the whole step budget, and starts when a sequence finishes', () => {
    // A budget of two tokens: with two sequences decoding, nothing is left for prefill.
    const r = new ReplicaState({ ...SMALL_PROFILE, maxNumBatchedTokens: 2 }, 0);
    r.admit(sequence(0, 0, 11), 0);
    r.admit(sequence(0, 0, 31), 0);
    const started: number[] = [];
    r.advanceTo(0, (_, at) => started.push(at), noPreemption);
    expect(started).toEqual([0, 0]);
    r.admit(sequence(0.01, 10, 2), 0.01);
    const { firstTokens, idleAt } = drain(r);
    // The first finishes at 10 x 0.07 s; the prompt then gets one token per 0.06 s step: 10 tokens by 1.3.
    expect(firstTokens).toEqual([expect.closeTo(1.3, 9)]);
    // The second decoded 10 + 10 tokens by then, one more beside the third's token (1.37), then 9 alone.
    expect(idleAt).toBeCloseTo(1.37 + 9 * decodeStepSeconds(SMALL_PROFILE, 1), 9);
  });

  // Prefill beside decode (the default), and sharing a step budget small enough that the batch can take it all.
  const prefillModes = [['prefill beside decode', undefined], ['prefill sharing a step budget', 3]] as const;

  test.each(prefillModes)('on random admissions the KV cache never holds more than it has, and every sequence ends (%s)', (_, budget) => {
    const sharing = { ...SMALL_PROFILE, maxNumBatchedTokens: budget };
    fc.assert(fc.property(fc.array(fc.record({
      at: fc.double({ min: 0, max: 5, noNaN: true }),
      prompt: fc.integer({ min: 0, max: 2000 }),
      output: fc.integer({ min: 1, max: 2000 }),
    }), { minLength: 1, maxLength: 12 }), (reqs) => {
      const r = new ReplicaState(sharing, 0);
      const waiting: RunningSequence[] = [];
      let t = 0;
      const step = (to: number) => {
        // Back to the front of the queue: as it arrived when its first token was not out, else resumed.
        r.advanceTo(to, () => undefined, (seq, held, remaining) => waiting.unshift(!seq.resumed && held === 0
          ? sequence(seq.arrivalSeconds, seq.promptTokens, remaining + 1)
          : { ...sequence(seq.arrivalSeconds, seq.promptTokens + held, remaining + 1), decodeTokens: remaining, resumed: true }));
        expect(r.kvTokensAt(to)).toBeLessThanOrEqual(profile.kvCacheTokens + 1e-6);
        t = to;
        while (waiting.length > 0 && r.fits(waiting[0].promptTokens, t)) r.admit(waiting.shift()!, t);
      };
      for (const q of [...reqs].sort((x, y) => x.at - y.at)) {
        step(Math.max(t, q.at));
        waiting.push(sequence(q.at, Math.min(q.prompt, 2000), Math.min(q.output, 5000 - 2000)));
        step(t);
      }
      // Idle with requests waiting only until the step that preempted ends.
      for (let i = 0; i < 10_000 && (r.running > 0 || waiting.length > 0); i++) {
        step(r.running > 0 ? r.nextCompletionAtSeconds : Math.max(t, r.admitsFromSeconds));
      }
      expect([r.running, waiting.length]).toEqual([0, 0]);
    }), { numRuns: Number(process.env.TOKENSCALE_PROPERTY_RUNS ?? 200), seed: 20261202 });
  });

  test.each(prefillModes)('work is conserved on random batches: every token is generated exactly once (%s)', (_, budget) => {
    fc.assert(fc.property(fc.array(fc.record({
      at: fc.double({ min: 0, max: 5, noNaN: true }),
      prompt: fc.integer({ min: 0, max: 800 }),
      output: fc.integer({ min: 1, max: 200 }),
    }), { minLength: 1, maxLength: 12 }), (reqs) => {
      const r = new ReplicaState({ ...profile, maxNumSeqs: 64, kvCacheTokens: 1e9, maxNumBatchedTokens: budget && budget * 3 }, 0);
      const sorted = [...reqs].sort((a, b) => a.at - b.at);
      let firsts = 0;
      for (const q of sorted) {
        r.advanceTo(q.at, () => firsts++, noPreemption);
        r.admit(sequence(q.at, q.prompt, q.output), q.at);
      }
      while (r.running > 0) r.advanceTo(r.nextCompletionAtSeconds, () => firsts++, noPreemption);
      expect(firsts).toBe(reqs.length);
      expect(r.generatedTokens).toBeCloseTo(reqs.reduce((n, q) => n + q.output, 0), 6);
    }), { numRuns: 200, seed: 20261202 });
  });
});

describe('the latency histogram', () => {
  test('quantiles are the sorted values at rank floor(q x n), to the millisecond', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 60, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
      const h = new LatencyHistogram();
      values.forEach((v) => h.record(v));
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99]) {
        expect(h.quantile(q)).toBeCloseTo(Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 1000) / 1000, 9);
      }
    }), { numRuns: 200, seed: 20261202 });
  });

  test('values past 65.5 s count to the second; an empty histogram reads 0', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.5)).toBe(0);
    [1, 2, 3600.4, 7200.6].forEach((v) => h.record(v));
    expect(h.quantile(0.99)).toBe(7201);
    expect(h.quantile(0.5)).toBe(3600);
  });
});
