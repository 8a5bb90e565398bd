/**
 * One run that compares scaling policies on the same trace and replica profile: the tokenscale scaler as
 * specified, the HPAs the field runs (host CPU 70%, memory 80%), requests per second per replica, static
 * provisioning at the scaler's maximum, and a static fleet sized with hindsight for the trace (the fewest
 * replicas that hold the SLO target from start to end), all against a lower bound on GPU-hours. Results
 * are plain JSON, byte-identical for the same inputs.
 */
import { simulate } from './engine';
import { replicaHoursLowerBound } from './lower-bound';
import { foresightSchedule } from './oracle';
import { cpuHpaPolicy, memoryHpaPolicy, requestRatePolicy, staticPolicy, tokenscalePolicy, unsimulatedSignals, wakesOnWaitingRequests } from './policies';
import type { ReplicaProfile } from './replica-profile';
import { optionalObjectives, sloAttainment } from './simulation';
import type { SimulationResult, SpotReclaims } from './simulation';
import { replay, ReplayableTrace, TraceRequest } from './trace';
import { durationSeconds } from '../cost/placement';
import { inFlightDrainSeconds } from '../drain';
import type { ResolvedTokenAwareScaler } from '../spec/token-aware-scaler';

/** The policies a comparison can run. */
export const POLICY_NAMES = ['tokenscale', 'hpa-cpu', 'hpa-memory', 'rps', 'static', 'static-sized'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Inputs of a comparison. */
export interface PolicyComparisonOptions {
  /** The scaler as specified (its target carries drain window and GPUs per replica). */
  readonly scaler: ResolvedTokenAwareScaler;
  readonly profile: ReplicaProfile;
  /** Price of one GPU-hour, USD. */
  readonly gpuHourlyUsd: number;
  readonly ttftSloSeconds: number;
  /**
   * Completion SLO, from arrival to the last token, seconds: each result's `withinCompletionSlo` counts the
   * requests that finished within it, and the foresight schedule, the sized static fleet and the floor search
   * hold `sloTarget` on it as on the TTFT SLO (see `sloAttainment`).
   * @default - none
   */
  readonly completionSloSeconds?: number;
  /**
   * Batch deadline, seconds from the measured trace's start: each result's `metBatchDeadline` says whether
   * every request was answered by then, and the foresight schedule, the sized static fleet and the floor
   * search must meet it (see `sloAttainment`). @default - none
   */
  readonly batchDeadlineSeconds?: number;
  /** @default - all of POLICY_NAMES */
  readonly policies?: readonly PolicyName[];
  /**
   * Warm-up: the trace's first this many seconds are replayed before it, unmeasured, so every policy meets
   * the trace at its own steady state (a deployed scaler ran before the recorded window), not at its floor.
   * Capped at the trace's length, in whole minutes.
   * @default 900
   */
  readonly warmupSeconds?: number;
  /**
   * Replicas the service's pool can place (GPU limit over GPUs per replica, less other services' floors).
   * @default - unbounded
   */
  readonly schedulableReplicas?: number;
  /**
   * How long a removed replica's GPU stays up, billed, before its empty node is consolidated (the pool's
   * `consolidateAfter`); scale-ups in that time skip node provisioning.
   * @default 0
   */
  readonly emptyNodeSeconds?: number;
  /** Replicas one node holds (see `replicaHost`). @default 1 */
  readonly replicasPerNode?: number;
  /** Nodes the service's pool can launch for it (see `poolSimulationOptions`). @default - unbounded */
  readonly maxNodes?: number;
  /**
   * Spot capacity in the pool and its reclaims, the same for every policy (see SpotReclaims).
   * @default - every node on-demand
   */
  readonly spot?: SpotReclaims;
  /**
   * Wall-clock time of the trace's first request, milliseconds since the epoch: the scaler's scheduled
   * windows (cron triggers) are simulated against it.
   * @default - unknown: scheduled windows are not simulated, and are named in `unsimulatedSignals`
   */
  readonly traceStartEpochMs?: number;
  /** Age of the metrics at a decision, seconds. @default - the service's scrape interval */
  readonly metricLagSeconds?: number;
  /**
   * Search the foresight schedule (the smallest per-window replica schedule, known in advance, that keeps
   * `sloTarget` of requests within the SLO) as the yardstick for the policies. Its windows are 2 minutes,
   * or on traces longer than 2 hours a 60th of the trace in whole minutes, so the search's simulations stay
   * in proportion to the trace (a day has 24-minute windows).
   * @default true
   */
  readonly foresight?: boolean;
  /**
   * The foresight schedule's window, seconds: shorter windows let the schedule follow the load more
   * closely, at more simulations per search.
   * @default - 2 minutes, or a 60th of a trace longer than 2 hours in whole minutes (see `foresight`)
   */
  readonly foresightWindowSeconds?: number;
  /**
   * Share of requests the foresight schedule, the sized static fleet and the floor search must keep within the
   * TTFT SLO, and within the completion SLO when one is set. @default 0.99
   */
  readonly sloTarget?: number;
  /** Target of the requests-per-second policy, per replica. @default 1 */
  readonly requestsPerSecondPerReplica?: number;
  /** Called with (policy index, requests arrived in its run). @default - none */
  readonly onProgress?: (policyIndex: number, arrived: number) => void;
  /**
   * Called after each simulation of a search: the foresight schedule's (before the policies run) and the
   * sized static fleet's (in its policy's turn), with how many simulations that search has run.
   * @default - none
   */
  readonly onSearch?: (search: 'foresight' | 'static-sized', simulations: number) => void;
}

/** What a comparison found. */
export interface PolicyComparison {
  readonly requests: number;
  readonly traceSeconds: number;
  readonly ttftSloSeconds: number;
  /** The completion SLO each result's `withinCompletionSlo` counts against, seconds. @default - none */
  readonly completionSloSeconds?: number;
  /** The batch deadline each result's `metBatchDeadline` is held to, seconds from the trace's start. @default - none */
  readonly batchDeadlineSeconds?: number;
  /** Share of requests within the SLO the foresight schedule and the sized static fleet keep. */
  readonly sloTarget: number;
  /** Seconds of the trace replayed, unmeasured, before it. */
  readonly warmupSeconds: number;
  /** Seconds a removed replica's GPU stayed up, billed, before consolidation. */
  readonly emptyNodeSeconds: number;
  /** Spot capacity and its reclaims, as simulated. @default - none: every node on-demand */
  readonly spot?: SpotReclaims;
  /**
   * The scaler's triggers the simulation cannot evaluate and leaves out of the tokenscale policy: custom
   * queries, and scheduled windows when the trace's wall-clock start is unknown.
   */
  readonly unsimulatedSignals: readonly string[];
  /**
   * The scaler rests at zero and its custom queries are left out: it wakes when requests wait, as those queries
   * are meant to (see `wakesOnWaitingRequests`). @default false
   */
  readonly wakesOnWaitingRequests?: boolean;
  /**
   * Lower bound on the GPU-hours of any schedule that keeps the scaler's floor and serves every request
   * (see `replicaHoursLowerBound`); no policy can use less.
   */
  readonly lowerBoundGpuHours: number;
  /**
   * The lower bound's candidates, GPU-hours: decoding, prefilling, both on a GPU prefill shares with decode
   * (0 without a step budget in the profile), and the floor over the trace.
   */
  readonly lowerBoundParts: { readonly decode: number; readonly prefill: number; readonly shared: number; readonly floor: number };
  /**
   * Replicas of the static fleet sized with hindsight (the `static-sized-N` row), when that policy ran.
   * @default - none
   */
  readonly sizedStaticReplicas?: number;
  /**
   * When the tokenscale scaler as specified keeps fewer than `sloTarget` of requests within the SLO: the
   * fewest `minReplicas` with which it keeps them, every other setting as specified (found by bisection
   * between the specified minimum and the maximum), and that run's numbers. `holds` is false when even a
   * floor at the maximum misses the target.
   * @default - none: the scaler as specified holds the target, the tokenscale policy did not run, or more
   * requests are refused for their length than the target leaves outside the SLO
   */
  readonly tokenscaleFloor?: {
    /** The scaler's `minReplicas` as specified. */
    readonly specifiedMinReplicas: number;
    /** The fewest floor found to hold the target (the maximum when none does). */
    readonly minReplicas: number;
    /** Whether the run with that floor keeps the target. */
    readonly holds: boolean;
    /** GPU-hours of the run with that floor. */
    readonly gpuHours: number;
    /** Share within the SLO of the run with that floor. */
    readonly withinSlo: number;
    /** Share within the completion SLO of the run with that floor. @default - none without a completion SLO */
    readonly withinCompletionSlo?: number;
    /** Whether the run with that floor met the batch deadline. @default - none without a batch deadline */
    readonly metBatchDeadline?: boolean;
    /** Requests the run with that floor lost on scale-down. */
    readonly lostOnScaleDown: number;
  };
  /**
   * The foresight schedule, when searched: the search's, or the sized static fleet's (one count in every window)
   * when that holds the target on fewer GPU-hours. @default - none
   */
  readonly foresight?: {
    readonly gpuHours: number;
    readonly withinSlo: number;
    /** @default - none without a completion SLO */
    readonly withinCompletionSlo?: number;
    /** @default - none without a batch deadline */
    readonly metBatchDeadline?: boolean;
    readonly windowSeconds: number;
    readonly replicas: readonly number[];
  };
  readonly results: ReadonlyArray<SimulationResult & {
    readonly gpuHours: number;
    /** Of `gpuHours`, those on spot nodes (0 without `spot`). */
    readonly spotGpuHours: number;
    readonly ratioToLowerBound: number;
    /** GPU-hours over the foresight schedule's. @default - none without a foresight schedule */
    readonly ratioToForesight?: number;
  }>;
}

/** Warm-up of a comparison, seconds (see `warmupSeconds`). */
export const DEFAULT_WARMUP_SECONDS = 900;

/** The warm-up a comparison runs: the one asked for, capped at the trace's last arrival in whole minutes. */
export function cappedWarmupSeconds(warmupSeconds: number, lastArrivalSeconds: number): number {
  return Math.min(warmupSeconds, Math.floor(lastArrivalSeconds / 60) * 60);
}

/**
 * The fewest n in [low, high] for which `holds(n)`, by bisection: `high` when none below it holds. `holds` is
 * taken as monotone (more replicas never cost the SLO anything in these runs).
 */
function fewestHolding(low: number, high: number, holds: (n: number) => boolean): number {
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (holds(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The foresight schedule's window, and how many windows a long trace is cut into at most (see `foresight`). */
const FORESIGHT_WINDOW_SECONDS = 120;
const FORESIGHT_MAX_WINDOWS = 60;

/** The trace with every answer ended at `maxOutputTokens`. */
function* cappedAnswers(trace: Iterable<TraceRequest>, maxOutputTokens: number): Generator<TraceRequest> {
  for (const r of trace) yield r.outputTokens > maxOutputTokens ? { ...r, outputTokens: maxOutputTokens } : r;
}

/** The trace with its first `warmupSeconds` replayed before it, unmeasured. */
function* warmedUp(trace: ReplayableTrace, warmupSeconds: number): Generator<TraceRequest> {
  if (warmupSeconds > 0) {
    for (const r of replay(trace)) {
      if (r.arrivalSeconds >= warmupSeconds) break;
      yield r;
    }
  }
  for (const r of replay(trace)) yield { ...r, arrivalSeconds: r.arrivalSeconds + warmupSeconds };
}

/**
 * Runs every requested policy over the trace. Each policy replays it: pass an array, or a function that
 * reads it afresh (`() => readTraceSync(file)`) to keep memory flat in trace length.
 */
export function comparePolicies(sent: ReplayableTrace, opts: PolicyComparisonOptions): PolicyComparison {
  const { scaler, profile } = opts;
  // With answers capped (drain.capOutputTokens), vLLM ends each answer at the cap, whatever the client asked.
  const drain = scaler.target.drain;
  const trace: ReplayableTrace = drain.capOutputTokens ? () => cappedAnswers(replay(sent), drain.maxOutputTokens) : sent;
  const gpus = scaler.target.gpusPerReplica;
  const min = scaler.minReplicas;
  const max = scaler.maxReplicas;
  const make: Record<PolicyName, () => { policy: ReturnType<typeof staticPolicy>; initial: number }> = {
    'tokenscale': () => ({ policy: tokenscalePolicy(scaler, wallClockMs), initial: Math.max(1, min) }),
    'hpa-cpu': () => ({ policy: cpuHpaPolicy(Math.max(1, min), max, profile.maxNumSeqs), initial: Math.max(1, min) }),
    'hpa-memory': () => ({ policy: memoryHpaPolicy(Math.max(1, min), max), initial: Math.max(1, min) }),
    'rps': () => ({ policy: requestRatePolicy(Math.max(1, min), max, opts.requestsPerSecondPerReplica ?? 1), initial: Math.max(1, min) }),
    'static': () => ({ policy: staticPolicy(max), initial: max }),
    'static-sized': () => {
      sized = sizedStaticReplicas();
      return { policy: { ...staticPolicy(sized), name: `static-sized-${sized}` }, initial: sized };
    },
  };
  const sloTarget = opts.sloTarget ?? 0.99;
  // Hindsight: the fewest replicas that, kept from start to end, hold the SLO target on this trace, found by
  // bisection between the floor and the ceiling (the ceiling when none holds it). Its runs are kept: the
  // policy's own run is the search's run of the size found, when the search made it.
  let sized: number | undefined;
  const sizingRuns = new Map<number, SimulationResult>();
  const sizedStaticReplicas = () => {
    let simulations = 0;
    const holds = (n: number) => {
      const run = simulate(warmed(), { ...common, policy: staticPolicy(n), initialReplicas: n });
      sizingRuns.set(n, run);
      opts.onSearch?.('static-sized', ++simulations);
      return sloAttainment(run) >= sloTarget;
    };
    return fewestHolding(Math.max(1, min), max, holds);
  };
  let requests = 0;
  let last = 0;
  for (const r of replay(trace)) {
    requests++;
    last = r.arrivalSeconds;
  }
  const bound = replicaHoursLowerBound(trace, profile, min);
  const lowerBound = bound.replicaHours * gpus;
  const warmupSeconds = cappedWarmupSeconds(opts.warmupSeconds ?? DEFAULT_WARMUP_SECONDS, last);
  // The measured trace starts at the end of the warm-up; the warm-up replays the time before it.
  const start = opts.traceStartEpochMs;
  const wallClockMs = start === undefined ? undefined : (t: number) => start + (t - warmupSeconds) * 1000;
  const warmed = () => warmedUp(trace, warmupSeconds);
  const common = {
    profile,
    drainSeconds: inFlightDrainSeconds(scaler.target.drain),
    replicaHourlyUsd: opts.gpuHourlyUsd * gpus,
    ttftSloSeconds: opts.ttftSloSeconds,
    completionSloSeconds: opts.completionSloSeconds,
    batchDeadlineSeconds: opts.batchDeadlineSeconds,
    syncSeconds: scaler.pollingIntervalSeconds,
    warmupSeconds,
    metricLagSeconds: opts.metricLagSeconds ?? durationSeconds(scaler.target.monitoring.interval),
    maxSchedulableReplicas: opts.schedulableReplicas,
    emptyNodeSeconds: opts.emptyNodeSeconds,
    replicasPerNode: opts.replicasPerNode,
    maxNodes: opts.maxNodes,
    spot: opts.spot,
  };
  const searched = (opts.foresight ?? true) && requests > 0
    ? foresightSchedule(warmed, {
      ...common,
      targetWithinSlo: sloTarget,
      minReplicas: Math.max(1, min),
      maxReplicas: max,
      windowSeconds: opts.foresightWindowSeconds ?? Math.max(FORESIGHT_WINDOW_SECONDS, Math.ceil(last / FORESIGHT_MAX_WINDOWS / 60) * 60),
      onSimulation: (n) => opts.onSearch?.('foresight', n),
    })
    : undefined;
  const searchedForesight = searched && {
    gpuHours: round4(searched.gpuReplicaHours * gpus),
    withinSlo: searched.withinSlo,
    ...optionalObjectives(searched),
    windowSeconds: searched.windowSeconds,
    replicas: searched.replicas,
  };
  // A scaler that misses the SLO target: the fewest floor that would hold it, each try a full run of the scaler
  // with that minimum.
  const floorToHoldSlo = (specified: SimulationResult | undefined): PolicyComparison['tokenscaleFloor'] => {
    // Requests refused for their length count as outside the SLO whatever the floor: past the target's slack, none helps.
    if (specified === undefined || sloAttainment(specified) >= sloTarget || min >= max || specified.rejected > (1 - sloTarget) * specified.requests) {
      return undefined;
    }
    const runs = new Map<number, SimulationResult>();
    const withFloor = (n: number) => {
      const run = simulate(warmed(), { ...common, policy: tokenscalePolicy({ ...scaler, minReplicas: n }, wallClockMs), initialReplicas: n });
      runs.set(n, run);
      return run;
    };
    const floor = fewestHolding(Math.max(1, min + 1), max, (n) => sloAttainment(withFloor(n)) >= sloTarget);
    const run = runs.get(floor) ?? withFloor(floor);
    return {
      specifiedMinReplicas: min,
      minReplicas: floor,
      holds: sloAttainment(run) >= sloTarget,
      gpuHours: round4(run.gpuReplicaHours * gpus),
      withinSlo: run.withinSlo,
      ...optionalObjectives(run),
      lostOnScaleDown: run.lostOnScaleDown,
    };
  };
  const results = (opts.policies ?? POLICY_NAMES).map((name, index) => {
    const { policy, initial } = make[name]();
    const searchedRun = name === 'static-sized' ? sizingRuns.get(initial) : undefined;
    if (searchedRun) opts.onProgress?.(index, requests);
    const r = searchedRun ? { ...searchedRun, policy: policy.name } : simulate(warmed(), {
      ...common,
      policy,
      initialReplicas: initial,
      onProgress: opts.onProgress ? (arrived) => opts.onProgress!(index, Math.min(requests, arrived)) : undefined,
    });
    return { ...r, gpuHours: round4(r.gpuReplicaHours * gpus), spotGpuHours: round4(r.spotReplicaHours * gpus) };
  });
  // The sized static fleet is a window schedule too (the same count in every window): when it holds the target
  // on fewer GPU-hours than the search found, it is the best schedule known.
  const sizedRun = sized === undefined ? undefined : sizingRuns.get(sized);
  const foresight = searchedForesight && sizedRun && sloAttainment(sizedRun) >= sloTarget && sizedRun.lostOnScaleDown === 0
    && round4(sizedRun.gpuReplicaHours * gpus) < searchedForesight.gpuHours
    ? {
      gpuHours: round4(sizedRun.gpuReplicaHours * gpus),
      withinSlo: sizedRun.withinSlo,
      ...optionalObjectives(sizedRun),
      windowSeconds: searchedForesight.windowSeconds,
      replicas: searchedForesight.replicas.map(() => sized!),
    }
    : searchedForesight;
  const ratio = (gpuHours: number, x: number) => Math.round((gpuHours / x) * 1000) / 1000;
  const rated = results.map((r) => ({
    ...r,
    ratioToLowerBound: ratio(r.gpuHours, lowerBound),
    ...(foresight ? { ratioToForesight: ratio(r.gpuHours, foresight.gpuHours) } : {}),
  }));
  const tokenscaleFloor = floorToHoldSlo(results.find((r) => r.policy === 'tokenscale'));
  return {
    requests,
    traceSeconds: last,
    ttftSloSeconds: opts.ttftSloSeconds,
    ...(opts.completionSloSeconds === undefined ? {} : { completionSloSeconds: opts.completionSloSeconds }),
    ...(opts.batchDeadlineSeconds === undefined ? {} : { batchDeadlineSeconds: opts.batchDeadlineSeconds }),
    sloTarget,
    warmupSeconds,
    emptyNodeSeconds: opts.emptyNodeSeconds ?? 0,
    ...(opts.spot ? { spot: opts.spot } : {}),
    unsimulatedSignals: unsimulatedSignals(scaler, start !== undefined),
    ...(wakesOnWaitingRequests(scaler) ? { wakesOnWaitingRequests: true } : {}),
    lowerBoundGpuHours: round4(lowerBound),
    lowerBoundParts: {
      decode: round4(bound.decodeReplicaHours * gpus),
      prefill: round4(bound.prefillReplicaHours * gpus),
      shared: round4(bound.sharedReplicaHours * gpus),
      floor: round4(bound.floorReplicaHours * gpus),
    },
    ...(sized !== undefined ? { sizedStaticReplicas: sized } : {}),
    ...(tokenscaleFloor ? { tokenscaleFloor } : {}),
    ...(foresight ? { foresight } : {}),
    results: rated,
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
