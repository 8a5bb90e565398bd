import * as fc from 'fast-check';
import { SMALL_PROFILE } from '../support/small-profile';
import {
  buildTokenAwareScaler, comparePolicies, LLAMA_8B_ON_L4, ReplicaProfile, replicaHoursLowerBound, resolveLlmInferenceService, ScalingPolicy,
  simulate, staticPolicy, syntheticTrace, TraceRequest,
} from 'tokenscale';

const profile = SMALL_PROFILE;

const request = (arrivalSeconds: number, promptTokens: number, outputTokens: number): TraceRequest => ({
  arrivalSeconds, promptTokens, outputTokens,
});

/** A backlog served by one replica, kept to the end (a drain long enough that nothing is lost). */
const oneReplica = (trace: TraceRequest[], replica: ReplicaProfile, drainSeconds = 3600) => simulate(trace, {
  profile: replica, policy: staticPolicy(1), initialReplicas: 1, drainSeconds, replicaHourlyUsd: 1, ttftSloSeconds: 2.5,
});

describe('the lower bound on replica-hours', () => {
  test('decode: the fewest steps the batch size allows, each at the base step time, plus the per-sequence time of every token', () => {
    // Ten requests of 1,000 prompt and 101 output tokens: 1,000 decode tokens. The KV cache allows 210.2 steps
    // (10 x (100 x 1,001 + 100^2 / 2) / 5,000), the batch only 4 (250 steps): 250 x 0.05 + 1,000 x 0.01 = 22.5 s.
    const trace = Array.from({ length: 10 }, (_, i) => request(i, 1000, 101));
    const bound = replicaHoursLowerBound(trace, profile);
    expect(bound.decodeReplicaHours * 3600).toBeCloseTo(22.5, 9);
    expect(bound.prefillReplicaHours * 3600).toBeCloseTo(10, 9);
    expect(bound.replicaHours * 3600).toBeCloseTo(22.5, 9);
    expect(bound.splitAtSeconds).toBe(0);
  });

  test('decode: the KV cache binds when prompts are long, and counts the tokens each sequence has generated', () => {
    // 2,500-token prompts: two fit the cache per step. Each request holds its prompt, its first token and what it
    // decoded: 50 x 2,501 + 50^2 / 2 = 126,300 token-steps; 8 of them over a 5,000-token cache: 202.08 steps.
    const trace = Array.from({ length: 8 }, (_, i) => request(i, 2500, 51));
    expect(replicaHoursLowerBound(trace, profile).decodeReplicaHours * 3600).toBeCloseTo(202.08 * 0.05 + 400 * 0.01, 9);
  });

  test('tight where the KV cache binds: a long-prompt backlog is billed within 2% of the bound', () => {
    // 60 requests of 2,400 prompt and 100 output tokens on one replica with a prefill too fast to matter: two
    // sequences fit the cache (the batch would take four), holding 2,401 to 2,500 tokens each as they decode.
    const fastPrefill = { ...profile, prefillTokensPerSecond: 1e7 };
    const trace = Array.from({ length: 60 }, (_, i) => request(i * 0.01, 2400, 100));
    const bound = replicaHoursLowerBound(trace, fastPrefill, 1);
    const run = oneReplica(trace, fastPrefill, 36000);
    expect(run.preemptions).toBe(0);
    expect(run.gpuReplicaHours / bound.replicaHours).toBeGreaterThanOrEqual(1);
    expect(run.gpuReplicaHours / bound.replicaHours).toBeLessThan(1.02);
  });

  test('the floor before a late burst adds to the work of the burst, which cannot be done before it arrives', () => {
    const trace = [request(0, 10, 2), ...Array.from({ length: 10 }, () => request(100, 1000, 101))];
    const bound = replicaHoursLowerBound(trace, profile, 2);
    expect(bound.floorReplicaHours * 3600).toBeCloseTo(200, 9);
    // Two replicas for 100 s, then the burst's 22.5 s of decoding.
    expect(bound.replicaHours * 3600).toBeCloseTo(222.5, 9);
    expect(bound.splitAtSeconds).toBe(100);
    const run = simulate(trace, {
      profile, policy: staticPolicy(2), initialReplicas: 2, drainSeconds: 600, replicaHourlyUsd: 1, ttftSloSeconds: 2.5,
    });
    expect(run.gpuReplicaHours * 3600).toBeGreaterThanOrEqual(222.5);
  });

  test('tight where the model allows: a backlog at full batches is billed within 1.5% of the bound, prefill running beside decode', () => {
    // 200 requests of 400 prompt and 300 output tokens at once on one replica: four sequences per step (the KV
    // cache would take twelve), 80 s of prefill overlapping about 1,350 s of decode.
    const trace = Array.from({ length: 200 }, (_, i) => request(i * 0.01, 400, 300));
    const bound = replicaHoursLowerBound(trace, profile, 1);
    expect(bound.prefillReplicaHours * 3600).toBeCloseTo(80, 9);
    const run = oneReplica(trace, profile);
    expect(run.gpuReplicaHours / bound.replicaHours).toBeGreaterThanOrEqual(1);
    expect(run.gpuReplicaHours / bound.replicaHours).toBeLessThan(1.015);
  });

  test('prefill sharing the GPU: steps with prompts waiting cannot also be the fast decode steps', () => {
    // A 100-token step budget: a prefill step lasts at least max(0.05, 100 / 1,000) = 0.1 s. 100 requests of 400
    // prompt and 41 output tokens: 40 s of prefill steps at least (400 of them, decoding at most 4 tokens each),
    // 1,000 decode steps (4 per step). The rest: (1,000 - 400) x 0.05 + (4,000 - 1,600) x 0.01 = 54 s; 94 s in
    // all, more than decoding (90 s) or prefilling (40 s) alone.
    const sharing = { ...profile, maxNumBatchedTokens: 100 };
    const trace = Array.from({ length: 100 }, (_, i) => request(i * 0.01, 400, 41));
    const bound = replicaHoursLowerBound(trace, sharing, 1);
    expect([bound.decodeReplicaHours, bound.prefillReplicaHours, bound.sharedReplicaHours].map((h) => h * 3600))
      .toEqual([expect.closeTo(90, 9), expect.closeTo(40, 9), expect.closeTo(94, 9)]);
    expect(bound.replicaHours * 3600).toBeCloseTo(94, 9);
    expect(replicaHoursLowerBound(trace, profile, 1).sharedReplicaHours).toBe(0);
    const run = oneReplica(trace, sharing);
    expect(run.gpuReplicaHours).toBeGreaterThanOrEqual(bound.replicaHours);
    // Decode-heavy (200 prompt, 101 output tokens), the same backlog is billed within 3% of the bound.
    const decodeHeavy = Array.from({ length: 100 }, (_, i) => request(i * 0.01, 200, 101));
    const heavyRun = oneReplica(decodeHeavy, sharing);
    expect(heavyRun.gpuReplicaHours / replicaHoursLowerBound(decodeHeavy, sharing, 1).replicaHours).toBeLessThan(1.03);
  });

  test('no simulated schedule that serves every request uses less, whatever it does', () => {
    const traceArb = fc.array(fc.record({
      // Mostly bursts (a backlog keeps the replicas at full batches, where the bound is close), some quiet.
      gap: fc.oneof(
        { weight: 4, arbitrary: fc.double({ min: 0, max: 0.05, noNaN: true }) },
        { weight: 1, arbitrary: fc.double({ min: 0, max: 20, noNaN: true }) },
      ),
      promptTokens: fc.integer({ min: 1, max: 3000 }),
      // Some long outputs, whose generated tokens fill the cache as much as their prompts.
      outputTokens: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2500 }) }),
    }), { minLength: 1, maxLength: 120 }).map((rows) => {
      let t = 0;
      return rows.map((r) => ({
        arrivalSeconds: (t += r.gap), promptTokens: r.promptTokens, outputTokens: Math.min(r.outputTokens, 5000 - r.promptTokens),
      }));
    });
    // Prefill beside decode, or sharing a step budget (which only slows a replica, so the bound holds as well).
    const budgetArb = fc.option(fc.integer({ min: 8, max: 4096 }), { nil: undefined });
    const movesArb = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(traceArb, fc.integer({ min: 1, max: 3 }), movesArb, budgetArb,
      (trace, floor, moves, maxNumBatchedTokens) => {
        // Replica counts chosen at random per sync, never below the floor; drains long enough that nothing is lost.
        let sync = 0;
        const policy: ScalingPolicy = { name: 'random', decide: () => floor + moves[sync++ % moves.length] };
        const sharing = { ...profile, maxNumBatchedTokens };
        const run = simulate(trace, {
          profile: sharing, policy, initialReplicas: floor, drainSeconds: 3600, replicaHourlyUsd: 1, ttftSloSeconds: 2.5, syncSeconds: 5,
        });
        expect(run.lostOnScaleDown).toBe(0);
        expect(run.gpuReplicaHours).toBeGreaterThanOrEqual(Math.floor(replicaHoursLowerBound(trace, profile, floor).replicaHours * 1e4) / 1e4);
      }), { numRuns: Number(process.env.TOKENSCALE_PROPERTY_RUNS ?? 100), seed: 20261202 });
  });

  test('every policy of a comparison that loses nothing uses at least the bound', () => {
    const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const scaler = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 5 }], maxReplicas: 8 }, service).spec;
    const trace = [...syntheticTrace({ seed: 5, durationSeconds: 1200, meanRatePerSecond: 3 })];
    const comparison = comparePolicies(trace, {
      scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ttftSloSeconds: 2.5, foresight: false,
    });
    const parts = comparison.lowerBoundParts;
    expect(comparison.lowerBoundGpuHours).toBeGreaterThanOrEqual(Math.max(parts.decode, parts.prefill, parts.floor));
    for (const r of comparison.results) {
      if (r.lostOnScaleDown === 0) expect(r.gpuHours).toBeGreaterThanOrEqual(comparison.lowerBoundGpuHours);
      expect(r.ratioToLowerBound).toBeGreaterThanOrEqual(r.lostOnScaleDown === 0 ? 1 : 0);
    }
  });
});
