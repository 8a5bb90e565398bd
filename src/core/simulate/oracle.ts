/**
 * A foresight schedule: replica counts per window chosen knowing the whole trace, requested one cold start
 * ahead so every replica is ready when its window begins, and made as small as the TTFT SLO (and the
 * completion SLO, when one is set) allows. It is found by simulation (start from each window's work at full
 * batches, add replicas to windows that miss an SLO, then take back every replica the SLOs do not need), so
 * it is an achievable schedule: an upper bound on the exact optimum, which `replicaHoursLowerBound` bounds
 * from below.
 */
import { simulate } from './engine';
import { decodeStepSeconds } from './replica-profile';
import { optionalObjectives, sloAttainment } from './simulation';
import type { ScalingPolicy, SimulationOptions } from './simulation';
import { replay, ReplayableTrace } from './trace';

/** Inputs of the search. */
export interface ForesightOptions extends Omit<SimulationOptions, 'policy' | 'initialReplicas' | 'onFirstToken' | 'onCompletion'> {
  /** Share of requests that must meet the TTFT SLO, and the completion SLO when one is set, 0..1 (see `sloAttainment`). */
  readonly targetWithinSlo: number;
  /** The schedule's floor (the scaler's minimum). */
  readonly minReplicas: number;
  /** The schedule's ceiling. */
  readonly maxReplicas: number;
  /** Window length, seconds. @default 120 */
  readonly windowSeconds?: number;
  /** Called after each simulation of the search with how many it has run. @default - none */
  readonly onSimulation?: (simulations: number) => void;
}

/** The schedule found and what it costs. */
export interface ForesightSchedule {
  readonly windowSeconds: number;
  /** Replicas per window of the measured trace. */
  readonly replicas: readonly number[];
  readonly gpuReplicaHours: number;
  readonly withinSlo: number;
  /** Share within the completion SLO. @default - none without a completion SLO */
  readonly withinCompletionSlo?: number;
  /** Whether the schedule's run met the batch deadline. @default - none without a batch deadline */
  readonly metBatchDeadline?: boolean;
  /** Simulations the search ran. */
  readonly simulations: number;
}

function schedulePolicy(schedule: readonly number[], windowSeconds: number, leadSeconds: number, warmup: number): ScalingPolicy {
  const windowAt = (t: number) => Math.min(schedule.length - 1, Math.floor(Math.max(0, t - warmup) / windowSeconds));
  return {
    name: 'foresight',
    decide: (o) => {
      // Every window that starts within one cold start (and one sync) from now: up ahead of the window that
      // needs it, down only when no window in reach needs the replicas.
      let wanted = 0;
      for (let w = windowAt(o.timeSeconds), last = windowAt(o.timeSeconds + leadSeconds + o.periodSeconds); w <= last; w++) {
        wanted = Math.max(wanted, schedule[w]);
      }
      return wanted;
    },
  };
}

/** Searches the smallest window schedule that meets the SLO target on the (warmed) trace. */
export function foresightSchedule(trace: ReplayableTrace, opts: ForesightOptions): ForesightSchedule {
  const window = opts.windowSeconds ?? 120;
  const warmup = opts.warmupSeconds ?? 0;
  const p = opts.profile;
  const decodePerSecond = p.maxNumSeqs / decodeStepSeconds(p, p.maxNumSeqs);
  // Replica-seconds of work per window of the measured trace, at a full batch's throughput.
  const work: number[] = [0];
  for (const r of replay(trace)) {
    if (r.arrivalSeconds < warmup) continue;
    const w = Math.floor((r.arrivalSeconds - warmup) / window);
    while (work.length <= w) work.push(0);
    work[w] += r.promptTokens / p.prefillTokensPerSecond + r.outputTokens / decodePerSecond;
  }
  const windows = work.length;
  const clamp = (n: number) => Math.max(opts.minReplicas, Math.min(opts.maxReplicas, n));
  let schedule = work.map((w) => clamp(Math.ceil(w / window)));
  let simulations = 0;
  const run = (s: readonly number[]) => {
    simulations++;
    const misses = new Array<number>(windows).fill(0);
    const completionMisses = new Array<number>(windows).fill(0);
    const counts = new Array<number>(windows).fill(0);
    const windowOf = (arrival: number) => Math.min(windows - 1, Math.floor(arrival / window));
    const completionSlo = opts.completionSloSeconds ?? Infinity;
    const r = simulate(replay(trace), {
      ...opts,
      policy: schedulePolicy(s, window, p.coldStartSeconds, warmup),
      // Foresight reaches before the trace: the windows a replica asked for at the first sync could not serve
      // are served from the start.
      initialReplicas: Math.max(...s.slice(0, Math.ceil((p.coldStartSeconds + (opts.syncSeconds ?? 15)) / window) + 1)),
      onFirstToken: (arrival, ttft) => {
        const w = windowOf(arrival);
        counts[w]++;
        if (ttft > opts.ttftSloSeconds) misses[w]++;
      },
      onCompletion: (arrival, completion) => {
        if (completion > completionSlo) completionMisses[windowOf(arrival)]++;
      },
    });
    opts.onSimulation?.(simulations);
    return { r, misses, completionMisses, counts };
  };
  let result = run(schedule);
  const slack = (w: number) => (1 - opts.targetWithinSlo) * result.counts[w];
  // Grow: windows that miss an SLO get a replica (or, already at the ceiling, the window before them, whose
  // backlog they inherit), until the target holds (and the batch deadline, when set) or nothing can grow.
  for (let i = 0; i < 60 && sloAttainment(result.r) < opts.targetWithinSlo; i++) {
    const grown = [...schedule];
    // A late batch is the backlog of every window: each grows.
    const late = result.r.metBatchDeadline === false;
    schedule.forEach((n, w) => {
      if (!late && result.misses[w] <= slack(w) && result.completionMisses[w] <= slack(w)) return;
      const at = n < opts.maxReplicas ? w : w - 1;
      if (at >= 0) grown[at] = clamp(schedule[at] + 1);
    });
    if (grown.every((n, w) => n === schedule[w])) break;
    schedule = grown;
    result = run(schedule);
  }
  // Shrink: take back each replica the SLO does not need, largest windows first, until a pass changes nothing.
  for (let pass = 0, changed = true; changed && pass < 3 && sloAttainment(result.r) >= opts.targetWithinSlo; pass++) {
    changed = false;
    const order = schedule.map((n, w) => [n, w] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, w]) => w);
    for (const w of order) {
      while (schedule[w] > opts.minReplicas) {
        const trial = schedule.map((n, i) => (i === w ? n - 1 : n));
        const attempt = run(trial);
        if (sloAttainment(attempt.r) < opts.targetWithinSlo || attempt.r.lostOnScaleDown > 0) break;
        schedule = trial;
        result = attempt;
        changed = true;
      }
    }
  }
  const { gpuReplicaHours, withinSlo } = result.r;
  return { windowSeconds: window, replicas: schedule, gpuReplicaHours, withinSlo, ...optionalObjectives(result.r), simulations };
}
