/**
 * Tuning a scaler on a trace: the grid of targets, the floor each needs after every warm-up, and the
 * recommendation, checked against runs of their own.
 */
import { parse } from 'yaml';
import {
  buildTokenAwareScaler, comparePolicies, LLAMA_8B_ON_L4, resolveLlmInferenceService, sloAttainment, syntheticTrace, TUNED_BATCH_QUEUE_TARGETS,
  TUNED_KV_CACHE_TARGETS, TUNED_QUEUE_TARGETS, tuneScaler, tuningReport,
} from 'tokenscale';

const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
const scaler = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 5 }, { kind: 'kvCacheUsage', target: 0.8 }], maxReplicas: 12 }, service).spec;
// The command's default trace: bursts that only replicas already up can meet.
const bursty = [...syntheticTrace({ seed: 42, durationSeconds: 3600, meanRatePerSecond: 2 })];
// A small grid keeps the test short; the command tries TUNED_QUEUE_TARGETS x TUNED_KV_CACHE_TARGETS.
const grid = { queueTargets: [12], kvCacheTargets: [0.7] };
const opts = { scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ttftSloSeconds: 2.5, warmupsSeconds: [900, 1800], ...grid };
const tuning = tuneScaler(bursty, opts);
const runWith = (signals: typeof scaler.signals, minReplicas: number, warmupSeconds: number) => comparePolicies(bursty, {
  ...opts, scaler: { ...scaler, signals, minReplicas }, warmupSeconds, policies: ['tokenscale'], foresight: false,
}).results[0];

describe('tuneScaler', () => {
  test('tries every pair of queue-depth and KV-cache targets of the grid with the scaler\'s own', () => {
    const tried = tuning.settings.map((t) => t.signals.map((s) => (s.kind === 'queueDepth' ? s.targetPerReplica : s.kind === 'kvCacheUsage' ? s.target : 0)));
    expect(new Set(tried.map((t) => JSON.stringify(t)))).toEqual(new Set(['[5,0.7]', '[5,0.8]', '[12,0.7]', '[12,0.8]']));
    expect(TUNED_QUEUE_TARGETS).toContain(5);
    expect(TUNED_KV_CACHE_TARGETS).toContain(0.75);
    expect(tuning.warmupsSeconds).toEqual([900, 1800]);
  });

  test('the scaler as specified misses the target on this trace, after the worst of its warm-ups', () => {
    const own = tuning.warmupsSeconds.map((w) => runWith(scaler.signals, scaler.minReplicas, w));
    expect(tuning.specified).toMatchObject({ minReplicas: 2, gpuHours: own[0].gpuHours, holds: false });
    expect(tuning.specified.withinSlo).toBe(Math.min(...own.map((r) => r.withinSlo)));
  });

  test('the recommendation holds the target after every warm-up, one replica lower does not, and nothing that holds is cheaper', () => {
    const best = tuning.best!;
    expect(best.minReplicas).toBeGreaterThan(scaler.minReplicas);
    for (const w of tuning.warmupsSeconds) {
      const run = runWith(best.signals, best.minReplicas, w);
      expect(run.withinSlo).toBeGreaterThanOrEqual(0.99);
      expect(run.lostOnScaleDown).toBeLessThanOrEqual(best.lostOnScaleDown);
    }
    const lower = tuning.warmupsSeconds.map((w) => runWith(best.signals, best.minReplicas - 1, w));
    expect(lower.some((r) => r.withinSlo < 0.99)).toBe(true);
    expect(tuning.settings[0]).toBe(best);
    for (const t of tuning.settings.filter((s) => s.holds)) expect(t.gpuHours).toBeGreaterThanOrEqual(best.gpuHours);
  });

  test('with more traces, a setting holds on each and its GPU-hours are summed over them', () => {
    const calm = [...syntheticTrace({ seed: 5, durationSeconds: 1800, meanRatePerSecond: 1, burstsPerHour: 0 })];
    const own = { queueTargets: [], kvCacheTargets: [], warmupsSeconds: [900] };
    const both = tuneScaler(bursty, { ...opts, ...own, moreTraces: [calm] });
    expect(both.traces).toBe(2);
    const [only] = both.settings;
    const onEach = [bursty, calm].map((t) => comparePolicies(t, {
      ...opts, scaler: { ...scaler, minReplicas: only.minReplicas }, warmupSeconds: 900, policies: ['tokenscale'], foresight: false,
    }).results[0]);
    expect(only.gpuHours).toBeCloseTo(onEach[0].gpuHours + onEach[1].gpuHours, 3);
    expect(only.withinSlo).toBe(Math.min(...onEach.map((r) => r.withinSlo)));
    expect(only.holds).toBe(true);
    // The bursty trace sets the floor; the calm one alone would keep the specified one.
    expect(only.minReplicas).toBeGreaterThan(2);
    expect(tuneScaler(calm, { ...opts, ...own }).settings[0].minReplicas).toBe(2);
    expect(tuningReport(both)).toContain('on each of 2 traces; GPU-hours after the first warm-up, summed over the traces');
  });

  test('the report recommends the setting as the fleet file\'s scaler fields', () => {
    const report = tuningReport(tuning);
    expect(report).toContain('Recommended on this trace: ');
    expect(report).toContain(`minReplicas ${tuning.best!.minReplicas}: ${tuning.best!.gpuHours.toFixed(2)} GPU-hours`);
    const yaml = report.split('```yaml\n')[1].split('```')[0];
    expect(parse(yaml)).toEqual({ scaler: { signals: tuning.best!.signals, minReplicas: tuning.best!.minReplicas } });
    // Requests lost on scale-down are the drain window's doing, not the targets': the report says which setting fixes them.
    const losing = { ...tuning.best!, lostOnScaleDown: 2 };
    expect(tuningReport({ ...tuning, best: losing, settings: [losing, ...tuning.settings.slice(1)] }))
      .toContain('It loses 2 on scale-down: answers longer than the drain window, whatever the targets; raise drain.maxOutputTokens or set drain.capOutputTokens.');
  });

  test('a batch service tries deeper queues, and with a completion SLO a setting holds on the lower of its two shares', () => {
    const batch = resolveLlmInferenceService({ name: 'jobs', model: 'meta-llama/Llama-3.1-8B-Instruct', workload: 'batch' });
    const jobs = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 30 }], minReplicas: 1, maxReplicas: 6 }, batch).spec;
    const trace = [...syntheticTrace({ seed: 7, durationSeconds: 1200, meanRatePerSecond: 1 })];
    const slos = { ttftSloSeconds: 120, completionSloSeconds: 150 };
    const batchOpts = { scaler: jobs, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ...slos, warmupsSeconds: [300] };
    const batchTuning = tuneScaler(trace, batchOpts);
    const queues = batchTuning.settings.map((t) => (t.signals[0].kind === 'queueDepth' ? t.signals[0].targetPerReplica ?? 0 : 0));
    expect(queues.sort((a, b) => a - b)).toEqual([...new Set([30, ...TUNED_BATCH_QUEUE_TARGETS])].sort((a, b) => a - b));
    expect(batchTuning.completionSloSeconds).toBe(150);
    expect(tuning).not.toHaveProperty('completionSloSeconds');
    expect(tuningReport(batchTuning)).toContain('the worst share within the SLO (with the 150-s completion SLO: within each SLO, the lower of the two shares)');
    for (const t of batchTuning.settings) {
      const run = comparePolicies(trace, {
        ...batchOpts, scaler: { ...jobs, signals: t.signals, minReplicas: t.minReplicas }, warmupSeconds: 300, policies: ['tokenscale'], foresight: false,
      }).results[0];
      expect(run.withinCompletionSlo).toBeDefined();
      expect(t.withinSlo).toBe(sloAttainment(run));
      expect(t.holds).toBe(sloAttainment(run) >= 0.99);
    }
  });
});
