import { SMALL_PROFILE } from '../support/small-profile';
import {
  buildTokenAwareScaler, comparePolicies, comparisonTable, decodeStepSeconds, LLAMA_8B_ON_L4, markdownReport, resolveLlmInferenceService, simulate,
  sloAttainment, staticPolicy, syntheticTrace,
} from 'tokenscale';

const inputs = { service: 'llm/llama', trace: 'synthetic', rateScale: 1, seed: 11, profile: 'L4', gpuHourlyUsd: 1.15 };

describe('completion time and the completion SLO', () => {
  const single = { profile: SMALL_PROFILE, policy: staticPolicy(1), initialReplicas: 1, drainSeconds: 60, replicaHourlyUsd: 1, ttftSloSeconds: 2.5 };
  const request = { arrivalSeconds: 0, promptTokens: 1000, outputTokens: 11 };
  const one = (completionSloSeconds?: number) => simulate([request], { ...single, completionSloSeconds });

  test('a request completes at its last token: its prefill, then one decode step per further token', () => {
    // 1,000 prompt tokens at 1,000/s, then ten single-sequence steps.
    const completion = 1 + 10 * decodeStepSeconds(SMALL_PROFILE, 1);
    const r = one();
    expect([r.completionP50, r.completionP95, r.completionP99]).toEqual([completion, completion, completion]);
    expect(r.ttftP50).toBe(1);
    // Without a completion SLO there is no share within it.
    expect(r).not.toHaveProperty('withinCompletionSlo');
    expect(one(completion - 0.01).withinCompletionSlo).toBe(0);
    expect(one(completion).withinCompletionSlo).toBe(1);
    // The work outlasts the trace by that request's completion.
    expect(r.lastAnswerAfterLastArrivalSeconds).toBeCloseTo(completion, 3);
  });

  test('a backlog outlasts the trace longer on fewer replicas: the time from the last arrival to the last answer', () => {
    const burst = Array.from({ length: 40 }, (_, i) => ({ arrivalSeconds: i * 0.1, promptTokens: 500, outputTokens: 50 }));
    const after = (replicas: number) => simulate(burst, { ...single, policy: staticPolicy(replicas), initialReplicas: replicas })
      .lastAnswerAfterLastArrivalSeconds;
    expect(after(1)).toBeGreaterThan(after(4));
    expect(after(4)).toBeGreaterThan(0);
  });

  test('the SLO attainment a target holds against is the lower of the two shares', () => {
    expect(sloAttainment({ withinSlo: 0.995 })).toBe(0.995);
    expect(sloAttainment({ withinSlo: 0.995, withinCompletionSlo: 0.97 })).toBe(0.97);
    expect(sloAttainment({ withinSlo: 0.9, withinCompletionSlo: 1 })).toBe(0.9);
  });

  describe('in a comparison', () => {
    const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const scaler = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 5 }], maxReplicas: 10 }, service).spec;
    const trace = [...syntheticTrace({ seed: 11, durationSeconds: 1200, meanRatePerSecond: 1 })];
    const opts = { scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ttftSloSeconds: 2.5, warmupSeconds: 120, policies: ['static-sized'] as const };
    const plain = comparePolicies(trace, { ...opts, foresight: false });
    const staticRun = (replicas: number, completionSloSeconds?: number) => comparePolicies(trace, {
      ...opts, completionSloSeconds, foresight: false, scaler: { ...scaler, maxReplicas: replicas }, policies: ['static'],
    }).results[0];
    // A completion SLO the largest fleet holds (its 99th percentile), and the fleet sized for TTFT alone does not:
    // long answers decode faster in smaller batches.
    const tight = staticRun(scaler.maxReplicas).completionP99;
    const judged = comparePolicies(trace, { ...opts, completionSloSeconds: tight, foresight: false });

    test('every row counts its share within the completion SLO, and completion is never shorter than TTFT', () => {
      for (const r of judged.results) {
        expect(r.withinCompletionSlo).toBeGreaterThanOrEqual(0);
        expect(r.completionP50).toBeGreaterThanOrEqual(r.ttftP50);
        expect(r.completionP99).toBeGreaterThanOrEqual(r.completionP95);
      }
      expect(judged.completionSloSeconds).toBe(tight);
      expect(plain).not.toHaveProperty('completionSloSeconds');
    });

    test('the sized static fleet holds the target on both SLOs: a tight completion SLO takes more replicas', () => {
      const sized = judged.results[0];
      expect(staticRun(plain.sizedStaticReplicas!, tight).withinCompletionSlo!).toBeLessThan(0.99);
      expect(judged.sizedStaticReplicas!).toBeGreaterThan(plain.sizedStaticReplicas!);
      expect(sloAttainment(sized)).toBeGreaterThanOrEqual(0.99);
      // One fewer misses the completion SLO.
      expect(staticRun(judged.sizedStaticReplicas! - 1, tight).withinCompletionSlo!).toBeLessThan(0.99);
    });

    test('the foresight schedule is never above the sized static fleet that holds the target, and holds both SLOs', () => {
      const both = comparePolicies(trace, { ...opts, completionSloSeconds: tight, policies: ['static-sized'] });
      const sized = both.results[0];
      expect(both.foresight!.gpuHours).toBeLessThanOrEqual(sized.gpuHours);
      expect(sloAttainment(both.foresight!)).toBeGreaterThanOrEqual(0.99);
      if (both.foresight!.gpuHours === sized.gpuHours) expect(new Set(both.foresight!.replicas)).toEqual(new Set([both.sizedStaticReplicas]));
    });

    test('the table and the report show the completion percentiles and share only with a completion SLO', () => {
      expect(comparisonTable(judged)).toContain(`within ${tight} s completion SLO`);
      expect(comparisonTable(plain)).not.toContain('completion');
      // Every row has as many cells as the header.
      for (const c of [judged, plain]) {
        const cells = comparisonTable(c).split('\n').map((line) => line.split('|').length);
        expect(new Set(cells).size).toBe(1);
      }
      expect(markdownReport(inputs, judged)).toContain("Completion: from a request's arrival to its last token");
      expect(markdownReport(inputs, plain)).not.toContain('Completion:');
    });
  });
});
