import { SMALL_PROFILE } from '../support/small-profile';
import {
  batchDeadlineNote, buildTokenAwareScaler, comparePolicies, LLAMA_8B_ON_L4, markdownReport, resolveLlmInferenceService, simulate, sloAttainment,
  staticPolicy, syntheticTrace, tokenscaleFloorNote, tuneScaler, tuningReport,
} from 'tokenscale';

const inputs = { service: 'llm/batch', trace: 'synthetic', rateScale: 1, seed: 11, profile: 'L4', gpuHourlyUsd: 1.15 };

describe('a batch deadline: every request answered, none lost, by a time after the trace starts', () => {
  const base = { profile: SMALL_PROFILE, drainSeconds: 60, replicaHourlyUsd: 1, ttftSloSeconds: 600 };
  // A batch dumped in four seconds: its backlog takes a lone replica far longer than four.
  const batch = Array.from({ length: 40 }, (_, i) => ({ arrivalSeconds: i * 0.1, promptTokens: 500, outputTokens: 50 }));
  const onReplicas = (replicas: number, batchDeadlineSeconds?: number) => simulate(batch, {
    ...base, policy: staticPolicy(replicas), initialReplicas: replicas, batchDeadlineSeconds,
  });

  test('is met when the last answer comes by it, and the result says nothing of it when none is set', () => {
    const lastOnOne = 3.9 + onReplicas(1).lastAnswerAfterLastArrivalSeconds;
    const lastOnFour = 3.9 + onReplicas(4).lastAnswerAfterLastArrivalSeconds;
    expect(lastOnFour).toBeLessThan(lastOnOne);
    const deadline = (lastOnOne + lastOnFour) / 2;
    expect(onReplicas(1, deadline).metBatchDeadline).toBe(false);
    expect(onReplicas(4, deadline).metBatchDeadline).toBe(true);
    expect(onReplicas(1, lastOnOne + 0.01).metBatchDeadline).toBe(true);
    expect(onReplicas(1)).not.toHaveProperty('metBatchDeadline');
  });

  test('is counted from the end of the warm-up, where the measured trace starts', () => {
    const onTime = 3.9 + onReplicas(4).lastAnswerAfterLastArrivalSeconds + 0.01;
    const warmed = (warmupSeconds: number) => simulate(batch.map((r) => ({ ...r, arrivalSeconds: r.arrivalSeconds + warmupSeconds })), {
      ...base, policy: staticPolicy(4), initialReplicas: 4, warmupSeconds, batchDeadlineSeconds: onTime,
    });
    expect(warmed(0).metBatchDeadline).toBe(true);
    expect(warmed(600).metBatchDeadline).toBe(true);
  });

  test('is missed when a scale-down cuts a request, however early the rest finish', () => {
    // Long answers still run at the second sync (15 s), which takes three replicas away with half a second to drain.
    const long = batch.map((r) => ({ ...r, outputTokens: 2000 }));
    const shrink = { name: 'shrink', decide: (o: { timeSeconds: number }) => (o.timeSeconds < 10 ? 4 : 1) };
    const cut = simulate(long, { ...base, drainSeconds: 0.5, policy: shrink, initialReplicas: 4, batchDeadlineSeconds: 1e6 });
    expect(cut.lostOnScaleDown).toBeGreaterThan(0);
    expect(cut.metBatchDeadline).toBe(false);
  });

  test('a run that misses it keeps no share of its SLO target', () => {
    expect(sloAttainment({ withinSlo: 1, metBatchDeadline: false })).toBe(0);
    expect(sloAttainment({ withinSlo: 0.995, withinCompletionSlo: 0.99, metBatchDeadline: true })).toBe(0.99);
  });

  describe('in a comparison', () => {
    const service = resolveLlmInferenceService({ name: 'batch', model: 'meta-llama/Llama-3.1-8B-Instruct', workload: 'batch' });
    const scaler = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 20 }], minReplicas: 1, maxReplicas: 10 }, service).spec;
    const trace = [...syntheticTrace({ seed: 11, durationSeconds: 1200, meanRatePerSecond: 2 })];
    const opts = { scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ttftSloSeconds: 600, warmupSeconds: 0, policies: ['static-sized'] as const };
    const plain = comparePolicies(trace, { ...opts, foresight: false });
    const sized = plain.results[0];
    // A deadline the fleet sized for the TTFT SLO alone misses by a little: a larger fleet finishes sooner.
    const deadline = Math.floor(plain.traceSeconds + sized.lastAnswerAfterLastArrivalSeconds) - 1;
    const judged = comparePolicies(trace, { ...opts, batchDeadlineSeconds: deadline });

    test('the sized static fleet and the foresight schedule grow until they meet it', () => {
      expect(plain.sizedStaticReplicas).toBeLessThan(judged.sizedStaticReplicas!);
      expect(judged.results[0].metBatchDeadline).toBe(true);
      expect(judged.foresight!.metBatchDeadline).toBe(true);
      expect(judged.batchDeadlineSeconds).toBe(deadline);
      expect(plain).not.toHaveProperty('batchDeadlineSeconds');
    });

    test('tuning holds each setting to it, and says so', () => {
      const tuning = tuneScaler(trace, { ...opts, batchDeadlineSeconds: deadline, queueTargets: [20, 100], warmupsSeconds: [0] });
      expect(tuning.batchDeadlineSeconds).toBe(deadline);
      expect(tuningReport(tuning)).toContain(`a run that misses the ${deadline}-s batch deadline keeps none`);
      const best = tuning.best!;
      const rerun = comparePolicies(trace, {
        ...opts,
        batchDeadlineSeconds: deadline,
        foresight: false,
        policies: ['tokenscale'],
        scaler: { ...scaler, signals: best.signals, minReplicas: best.minReplicas },
      }).results[0];
      expect(rerun.metBatchDeadline).toBe(true);
    });

    test('a scaler that is late gets the floor that makes it on time, and the note says late, not short of the SLO', () => {
      // A batch dumped in the trace's last two minutes: the backlog outlasts a cold start on the floor of 1.
      const dump = Array.from({ length: 600 }, (_, i) => ({ arrivalSeconds: 1100 + i / 60, promptTokens: 800, outputTokens: 200 }));
      const dumped = [...syntheticTrace({ seed: 11, durationSeconds: 1200, meanRatePerSecond: 1 }), ...dump]
        .sort((a, b) => a.arrivalSeconds - b.arrivalSeconds);
      const lastAnswer = (c: ReturnType<typeof comparePolicies>) => c.traceSeconds + c.results[0].lastAnswerAfterLastArrivalSeconds;
      const tokenscaleOnly = { ...opts, foresight: false, policies: ['tokenscale'] as const };
      const atMax = comparePolicies(dumped, { ...tokenscaleOnly, scaler: { ...scaler, minReplicas: scaler.maxReplicas } });
      const due = Math.ceil(lastAnswer(atMax)) + 5;
      const late = comparePolicies(dumped, { ...tokenscaleOnly, batchDeadlineSeconds: due });
      expect(late.results[0].withinSlo).toBe(1);
      expect(late.results[0].metBatchDeadline).toBe(false);
      expect(late.tokenscaleFloor).toMatchObject({ holds: true, metBatchDeadline: true });
      expect(late.tokenscaleFloor!.minReplicas).toBeGreaterThan(scaler.minReplicas);
      const note = tokenscaleFloorNote(late);
      expect(note).toContain('keeps 100.0% of requests within the SLO, late for the batch deadline: load that outgrows');
      expect(note).toContain(', on time for the batch deadline on ');
    });

    test('the report says who met it and when each last answered', () => {
      const note = batchDeadlineNote(judged);
      expect(note).toContain(`within ${deadline} s of the trace's start. Met by ${judged.results[0].policy}; missed by none.`);
      expect(markdownReport(inputs, judged)).toContain(note);
      expect(batchDeadlineNote(plain)).toBe('');
    });
  });
});
