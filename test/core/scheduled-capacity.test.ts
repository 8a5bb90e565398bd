import {
  buildTokenAwareScaler, comparePolicies, LLAMA_8B_ON_L4, resolveLlmInferenceService, scheduledReplicas, scheduledWindowActive, simulate,
  syntheticTrace, tokenscalePolicy,
} from 'tokenscale';

const at = (iso: string) => Date.parse(iso);
const officeHours = { start: '0 8 * * 1-5', end: '0 18 * * 1-5', timezone: 'Europe/Berlin', desiredReplicas: 5 };

describe('scheduled windows as KEDA cron triggers see them', () => {
  test.each([
    // Monday 2026-01-05, Berlin on CET (UTC+1).
    ['2026-01-05T06:59:00Z', false, 'a minute before 08:00 Berlin'],
    ['2026-01-05T07:00:00Z', true, 'at 08:00 Berlin: the next start is tomorrow, the next end today'],
    ['2026-01-05T16:59:59Z', true, 'a second before 18:00 Berlin'],
    ['2026-01-05T17:00:00Z', false, 'at 18:00 Berlin the window has ended'],
    ['2026-01-10T10:00:00Z', false, 'Saturday'],
    // Monday 2026-07-06, Berlin on CEST (UTC+2): the window moves with the zone's clock.
    ['2026-07-06T06:30:00Z', true, '08:30 Berlin in summer'],
    ['2026-07-06T16:30:00Z', false, '18:30 Berlin in summer'],
  ])('office hours at %s: active %s (%s)', (time, active) => {
    expect(scheduledWindowActive(officeHours, at(time))).toBe(active);
  });

  test('a window over midnight is active from its start to its end the next morning', () => {
    const night = { start: '0 22 * * *', end: '0 6 * * *', timezone: 'UTC', desiredReplicas: 2 };
    expect(scheduledWindowActive(night, at('2026-01-05T23:00:00Z'))).toBe(true);
    expect(scheduledWindowActive(night, at('2026-01-06T05:00:00Z'))).toBe(true);
    expect(scheduledWindowActive(night, at('2026-01-06T07:00:00Z'))).toBe(false);
    expect(scheduledReplicas([night, officeHours], at('2026-01-06T05:00:00Z'))).toEqual([2, 0]);
  });
});

describe('the simulated tokenscale scaler with a scheduled window', () => {
  const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
  // Ten minutes past each hour to twenty past, five replicas (UTC).
  const window = { start: '10 * * * *', end: '20 * * * *', timezone: 'UTC', desiredReplicas: 5 };
  const scaler = buildTokenAwareScaler({
    signals: [{ kind: 'queueDepth', targetPerReplica: 5 }], minReplicas: 1, maxReplicas: 8, scheduled: [window],
  }, service).spec;
  const trace = [...syntheticTrace({ seed: 3, durationSeconds: 3600, meanRatePerSecond: 0.2 })];
  const start = at('2026-01-05T00:00:00Z');
  const base = { profile: LLAMA_8B_ON_L4, initialReplicas: 1, drainSeconds: 71, replicaHourlyUsd: 1.15, ttftSloSeconds: 2.5 };

  test('holds the desired replicas during the window and scales back after it, through the behaviour', () => {
    const run = simulate(trace, { ...base, policy: tokenscalePolicy(scaler, (t) => start + t * 1000) });
    const replicasAt = (minute: number) => run.series.find((s) => s.t === minute * 60)!.replicas;
    expect(replicasAt(9)).toBeLessThan(5);
    for (const minute of [11, 15, 20]) expect(replicasAt(minute)).toBeGreaterThanOrEqual(5);
    // Scale-down waits out the stabilization window, then goes a pod at a time.
    expect(replicasAt(25)).toBeGreaterThanOrEqual(5);
    expect(replicasAt(45)).toBeLessThan(5);
    const without = simulate(trace, { ...base, policy: tokenscalePolicy(scaler) });
    expect(without.peakReplicas).toBeLessThan(5);
    expect(run.gpuReplicaHours).toBeGreaterThan(without.gpuReplicaHours);
  });

  test('a comparison names the window as not simulated until it knows when the trace starts', () => {
    const opts = { scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1.15, ttftSloSeconds: 2.5, foresight: false, policies: ['tokenscale' as const] };
    expect(comparePolicies(trace, opts).unsimulatedSignals).toEqual(['schedule-0']);
    const timed = comparePolicies(trace, { ...opts, traceStartEpochMs: start });
    expect(timed.unsimulatedSignals).toEqual([]);
    // The warm-up replays the 15 minutes before the trace, so the measured trace still meets the window at 00:10.
    expect(timed.results[0].series.find((s) => s.t === 15 * 60)!.replicas).toBeGreaterThanOrEqual(5);
  });
});
