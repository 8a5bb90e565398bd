/**
 * A foresight schedule: replica counts per window chosen knowing the whole trace, requested one cold start
 * ahead so every replica is ready when its window begins, and made as small as the TTFT SLO allows. It is
 * found by simulation (start from the fluid lower bound, add replicas to windows that miss the SLO, then
 * take back every replica the SLO does not need), so it is an achievable schedule: an upper bound on the
 * exact optimum and a far tighter yardstick than the fluid bound.
 */
import { ScalingPolicy, simulate, SimulationOptions } from './engine';
import { decodeStepSeconds } from './replica-profile';
import type { TraceRequest } from './trace';

/** Inputs of the search. */
export interface ForesightOptions extends Omit<SimulationOptions, 'policy' | 'initialReplicas' | 'onFirstToken'> {
  /** Share of requests that must meet the TTFT SLO, 0..1. */
  readonly targetWithinSlo: number;
  /** The schedule's floor (the scaler's minimum). */
  readonly minReplicas: number;
  /** The schedule's ceiling. */
  readonly maxReplicas: number;
  /** Window length, seconds. @default 300 */
  readonly windowSeconds?: number;
}

/** The schedule found and what it costs. */
export interface ForesightSchedule {
  readonly windowSeconds: number;
  /** Replicas per window of the measured trace. */
  readonly replicas: readonly number[];
  readonly gpuReplicaHours: number;
  readonly withinSlo: number;
  /** Simulations the search ran. */
  readonly simulations: number;
}

function schedulePolicy(schedule: readonly number[], windowSeconds: number, leadSeconds: number, warmup: number): ScalingPolicy {
  return {
    name: 'foresight',
    decide: (o) => {
      // Up one cold start ahead of the window that needs it; down only when the current window ends.
      const at = (t: number) => schedule[Math.min(schedule.length - 1, Math.floor(Math.max(0, t - warmup) / windowSeconds))];
      return Math.max(at(o.timeSeconds), at(o.timeSeconds + leadSeconds));
    },
  };
}

/** Searches the smallest window schedule that meets the SLO target on the (warmed) trace. */
export function foresightSchedule(trace: readonly TraceRequest[], opts: ForesightOptions): ForesightSchedule {
  const window = opts.windowSeconds ?? 300;
  const warmup = opts.warmupSeconds ?? 0;
  const measured = trace.filter((r) => r.arrivalSeconds >= warmup);
  const span = measured.length === 0 ? 0 : measured[measured.length - 1].arrivalSeconds - warmup;
  const windows = Math.max(1, Math.ceil((span + 1) / window));
  const p = opts.profile;
  const decodePerSecond = p.maxNumSeqs / decodeStepSeconds(p, p.maxNumSeqs);
  const work = new Array<number>(windows).fill(0);
  for (const r of measured) {
    const w = Math.min(windows - 1, Math.floor((r.arrivalSeconds - warmup) / window));
    work[w] += r.promptTokens / p.prefillTokensPerSecond + r.outputTokens / decodePerSecond;
  }
  const clamp = (n: number) => Math.max(opts.minReplicas, Math.min(opts.maxReplicas, n));
  let schedule = work.map((w) => clamp(Math.ceil(w / window)));
  let simulations = 0;
  const run = (s: readonly number[]) => {
    simulations++;
    const misses = new Array<number>(windows).fill(0);
    const counts = new Array<number>(windows).fill(0);
    const r = simulate(trace, {
      ...opts,
      policy: schedulePolicy(s, window, p.coldStartSeconds, warmup),
      initialReplicas: s[0],
      onFirstToken: (arrival, ttft) => {
        const w = Math.min(windows - 1, Math.floor(arrival / window));
        counts[w]++;
        if (ttft > opts.ttftSloSeconds) misses[w]++;
      },
    });
    return { r, misses, counts };
  };
  let result = run(schedule);
  // Grow: windows that miss the SLO get a replica, until the target holds or nothing can grow.
  for (let i = 0; i < 40 && result.r.withinSlo < opts.targetWithinSlo; i++) {
    const grown = schedule.map((n, w) => (result.misses[w] > (1 - opts.targetWithinSlo) * result.counts[w] ? clamp(n + 1) : n));
    if (grown.every((n, w) => n === schedule[w])) break;
    schedule = grown;
    result = run(schedule);
  }
  // Shrink: take back each replica the SLO does not need, largest windows first.
  const order = schedule.map((n, w) => [n, w] as const).sort((a, b) => b[0] - a[0]).map(([, w]) => w);
  for (const w of order) {
    while (schedule[w] > opts.minReplicas) {
      const trial = schedule.map((n, i) => (i === w ? n - 1 : n));
      const attempt = run(trial);
      if (attempt.r.withinSlo < opts.targetWithinSlo || attempt.r.lostOnScaleDown > 0) break;
      schedule = trial;
      result = attempt;
    }
  }
  return { windowSeconds: window, replicas: schedule, gpuReplicaHours: result.r.gpuReplicaHours, withinSlo: result.r.withinSlo, simulations };
}
