/**
 * Tunes a scaler on a trace: every combination of the queue-depth and KV-cache targets from a grid (the
 * scaler's own values among them), each with the fewest `minReplicas` at or above the specified one that
 * keeps the SLO target (see `tokenscaleFloor`) after each of several warm-ups, on the trace and on any
 * other traces of the service given, every other setting as specified. The cheapest combination that holds
 * the target everywhere is the recommendation; the requests it loses on scale-down are reported beside it,
 * as they depend on the drain window, not on the targets. Signals of other kinds are kept as they are. A
 * setting tuned on one trace fits that trace: check it on another before deploying it.
 */
import { cappedWarmupSeconds, comparePolicies, PolicyComparisonOptions } from './compare';
import { sloAttainment } from './simulation';
import type { SimulationResult } from './simulation';
import { replay, ReplayableTrace } from './trace';
import { DEFAULT_KV_CACHE_TARGET, DEFAULT_QUEUE_DEPTH_PER_REPLICA } from '../defaults';
import type { ScalingSignal } from '../spec/token-aware-scaler';

/** Waiting requests per replica tried for a queue-depth signal of an interactive service, beside the scaler's own. */
export const TUNED_QUEUE_TARGETS: readonly number[] = [3, 5, 8, 12];
/**
 * Waiting requests per replica tried for a queue-depth signal of a batch service, beside the scaler's own: its
 * jobs can wait minutes for a first token, so deeper queues per replica trade that wait for fewer GPUs.
 */
export const TUNED_BATCH_QUEUE_TARGETS: readonly number[] = [20, 50, 100, 200, 400];
/** KV-cache targets tried for a KV-cache signal, beside the scaler's own. */
export const TUNED_KV_CACHE_TARGETS: readonly number[] = [0.7, 0.75, 0.8, 0.85];

/** Warm-ups every tuned setting must hold the SLO target after, seconds: 15, 30 and 45 minutes. */
export const DEFAULT_TUNING_WARMUPS_SECONDS: readonly number[] = [900, 1800, 2700];

/** One combination tried, with its run. */
export interface TunedSetting {
  /** The scaler's signals with the targets tried. */
  readonly signals: readonly ScalingSignal[];
  /** The fewest floor, at or above the specified one, that holds the SLO target after every warm-up (the maximum when none does). */
  readonly minReplicas: number;
  /** GPU-hours after the first warm-up, summed over the traces. */
  readonly gpuHours: number;
  /**
   * The lowest share within the SLO over the traces and warm-ups; with a completion SLO, the lower of the shares
   * within each SLO (see `sloAttainment`).
   */
  readonly withinSlo: number;
  /** The most requests lost on scale-down over the traces and warm-ups. */
  readonly lostOnScaleDown: number;
  /**
   * Whether it keeps the SLO target after every warm-up. Requests lost on scale-down are reported, not held
   * against it: answers longer than the drain window are cut whatever the targets (see `drain.capOutputTokens`).
   */
  readonly holds: boolean;
}

/** What tuning found. */
export interface ScalerTuning {
  /** Share of requests within the TTFT SLO (and the completion SLO, when set) a setting must keep, 0..1. */
  readonly sloTarget: number;
  /** The completion SLO a setting is also held to, seconds. @default - none */
  readonly completionSloSeconds?: number;
  /** The batch deadline a setting must also meet on every run, seconds from each trace's start. @default - none */
  readonly batchDeadlineSeconds?: number;
  /** Traces every setting was run on: the trace and `moreTraces`. */
  readonly traces: number;
  /** The warm-ups every setting was run after on the trace, seconds (each trace's are capped at its length). */
  readonly warmupsSeconds: readonly number[];
  /** The scaler as specified: its own targets and floor. */
  readonly specified: TunedSetting;
  /** Every combination tried, cheapest first among those that hold, then the rest by SLO attainment. */
  readonly settings: readonly TunedSetting[];
  /** The cheapest setting that holds. @default - none: no setting tried holds the target */
  readonly best?: TunedSetting;
}

const withTarget = (signal: ScalingSignal, queue: number, kv: number): ScalingSignal => {
  if (signal.kind === 'queueDepth') return { ...signal, targetPerReplica: queue };
  if (signal.kind === 'kvCacheUsage') return { ...signal, target: kv };
  return signal;
};

/** Options of a tuning: a comparison's, and the warm-ups every setting must hold the SLO target after. */
export interface TuneOptions extends PolicyComparisonOptions {
  /**
   * Warm-ups (seconds of the trace replayed, unmeasured, before it) after each of which a setting must keep
   * the SLO target: a reactive scaler meets the trace at a replica count that depends on it, and a setting
   * that holds after one warm-up only fits that one. GPU-hours are those after the first.
   * @default DEFAULT_TUNING_WARMUPS_SECONDS, each capped at the trace's length
   */
  readonly warmupsSeconds?: readonly number[];
  /** Queue-depth targets tried beside the scaler's own. @default - TUNED_QUEUE_TARGETS, or TUNED_BATCH_QUEUE_TARGETS for a batch service */
  readonly queueTargets?: readonly number[];
  /** KV-cache targets tried beside the scaler's own. @default TUNED_KV_CACHE_TARGETS */
  readonly kvCacheTargets?: readonly number[];
  /**
   * Other traces of the same service a setting must also hold the target on (after each warm-up); its
   * GPU-hours are then summed over the traces, each after its first warm-up.
   * @default - none: the trace alone
   */
  readonly moreTraces?: readonly ReplayableTrace[];
  /** Called after each combination with how many have been tried and how many there are. @default - none */
  readonly onTried?: (tried: number, combinations: number) => void;
}

/**
 * Tunes the comparison's scaler on the trace, and on `opts.moreTraces` when given (each read once per run:
 * pass arrays or functions that read them afresh).
 */
export function tuneScaler(trace: ReplayableTrace, opts: TuneOptions): ScalerTuning {
  const { scaler } = opts;
  const queueSignal = scaler.signals.find((s) => s.kind === 'queueDepth');
  const kvSignal = scaler.signals.find((s) => s.kind === 'kvCacheUsage');
  const ownQueue = queueSignal?.kind === 'queueDepth' ? queueSignal.targetPerReplica ?? DEFAULT_QUEUE_DEPTH_PER_REPLICA : DEFAULT_QUEUE_DEPTH_PER_REPLICA;
  const ownKv = kvSignal?.kind === 'kvCacheUsage' ? kvSignal.target ?? DEFAULT_KV_CACHE_TARGET : DEFAULT_KV_CACHE_TARGET;
  const grid = (own: number, tried: readonly number[], present: boolean) => (present ? [...new Set([own, ...tried])].sort((a, b) => a - b) : [own]);
  const sloTarget = opts.sloTarget ?? 0.99;
  // Every trace after each warm-up, as the comparison caps them (whole minutes within the trace; the same one once).
  const cases = [trace, ...(opts.moreTraces ?? [])].flatMap((t) => {
    let last = 0;
    for (const r of replay(t)) last = r.arrivalSeconds;
    const warmups = [...new Set((opts.warmupsSeconds ?? DEFAULT_TUNING_WARMUPS_SECONDS).map((w) => cappedWarmupSeconds(w, last)))];
    return warmups.map((warmupSeconds, i) => ({ trace: t, warmupSeconds, first: i === 0 }));
  });
  const compare = (c: (typeof cases)[number], signals: readonly ScalingSignal[], minReplicas: number) => comparePolicies(c.trace, {
    ...opts, scaler: { ...scaler, signals, minReplicas }, warmupSeconds: c.warmupSeconds, policies: ['tokenscale'], foresight: false,
  });
  // A setting's floor: the highest of the fewest floors that hold in each case; its run in every case.
  const evaluate = (signals: readonly ScalingSignal[]) => {
    const floors = cases.map((c) => {
      const compared = compare(c, signals, scaler.minReplicas);
      return { own: compared.results[0], floor: compared.tokenscaleFloor?.minReplicas ?? scaler.minReplicas };
    });
    const minReplicas = Math.max(...floors.map((f) => f.floor));
    const asSpecified = floors.map((f) => f.own);
    const runs = minReplicas === scaler.minReplicas ? asSpecified : cases.map((c) => compare(c, signals, minReplicas).results[0]);
    return { minReplicas, runs, asSpecified };
  };
  type Run = Pick<SimulationResult, 'withinSlo' | 'withinCompletionSlo' | 'metBatchDeadline' | 'lostOnScaleDown'> & { readonly gpuHours: number };
  const setting = (signals: readonly ScalingSignal[], minReplicas: number, runs: readonly Run[]): TunedSetting => {
    const withinSlo = Math.min(...runs.map(sloAttainment));
    const lostOnScaleDown = Math.max(...runs.map((r) => r.lostOnScaleDown));
    const gpuHours = Math.round(runs.reduce((sum, r, i) => sum + (cases[i].first ? r.gpuHours : 0), 0) * 1e4) / 1e4;
    return { signals, minReplicas, gpuHours, withinSlo, lostOnScaleDown, holds: withinSlo >= sloTarget };
  };
  const settings: TunedSetting[] = [];
  /** How many of the two targets differ from the scaler's own, to break ties toward the scaler as specified. */
  const changes = new Map<TunedSetting, number>();
  let specified: TunedSetting | undefined;
  const queueTargets = opts.queueTargets ?? (scaler.target.workload === 'batch' ? TUNED_BATCH_QUEUE_TARGETS : TUNED_QUEUE_TARGETS);
  const queues = grid(ownQueue, queueTargets, queueSignal !== undefined);
  const kvs = grid(ownKv, opts.kvCacheTargets ?? TUNED_KV_CACHE_TARGETS, kvSignal !== undefined);
  for (const queue of queues) {
    for (const kv of kvs) {
      const signals = scaler.signals.map((s) => withTarget(s, queue, kv));
      const { minReplicas, runs, asSpecified } = evaluate(signals);
      if (queue === ownQueue && kv === ownKv) specified = setting(signals, scaler.minReplicas, asSpecified);
      const tuned = setting(signals, minReplicas, runs);
      changes.set(tuned, Number(queue !== ownQueue) + Number(kv !== ownKv));
      settings.push(tuned);
      opts.onTried?.(settings.length, queues.length * kvs.length);
    }
  }
  // Holding first; then the cheapest (the highest share within the SLO among those that miss); at a tie, the fewest targets changed.
  settings.sort((a, b) => Number(b.holds) - Number(a.holds)
    || (a.holds ? a.gpuHours - b.gpuHours : b.withinSlo - a.withinSlo)
    || changes.get(a)! - changes.get(b)!);
  const best = settings[0]?.holds ? settings[0] : undefined;
  const warmupsSeconds = cases.filter((c) => c.trace === trace).map((c) => c.warmupSeconds);
  const completion = opts.completionSloSeconds === undefined ? {} : { completionSloSeconds: opts.completionSloSeconds };
  const deadline = opts.batchDeadlineSeconds === undefined ? {} : { batchDeadlineSeconds: opts.batchDeadlineSeconds };
  const traces = 1 + (opts.moreTraces?.length ?? 0);
  return { sloTarget, ...completion, ...deadline, traces, warmupsSeconds, specified: specified!, settings, ...(best ? { best } : {}) };
}
