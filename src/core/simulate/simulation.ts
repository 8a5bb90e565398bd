/**
 * What a simulation takes and gives: the policy it runs and what that policy observes at each sync, its
 * options, and its results with their time series (see `simulate` in engine.ts).
 */
import type { ReplicaProfile } from './replica-profile';

/** What a policy sees at a sync: what the replicas' metrics said over the sync period that ended then. */
export interface PolicyObservation {
  readonly timeSeconds: number;
  readonly currentReplicas: number;
  readonly readyReplicas: number;
  /** Requests waiting (`sum(vllm:num_requests_waiting)`). */
  readonly waiting: number;
  /** Requests running (`sum(vllm:num_requests_running)`). */
  readonly running: number;
  /** Arrivals per second over the sync period. */
  readonly arrivalRate: number;
  /** Average KV-cache use of ready replicas, 0..1 (prompt and generated tokens of running sequences). */
  readonly kvCacheUsage: number;
  /**
   * First tokens of the sync period per `vllm:time_to_first_token_seconds` bucket (`TTFT_BUCKETS_SECONDS`,
   * then +Inf): the increase of the `_bucket` counters a `rate()` window sums.
   */
  readonly ttftBucketCounts: readonly number[];
  /** Output tokens generated over the sync period (the increase of `vllm:generation_tokens_total`). */
  readonly generatedTokens: number;
  /** Length of the sync period, seconds. */
  readonly periodSeconds: number;
}

/** A scaling policy: the replica count it wants after a sync. */
export interface ScalingPolicy {
  readonly name: string;
  decide(observation: PolicyObservation): number;
}

/**
 * Spot capacity in the service's pool, as a pool with `capacity: onDemandFloorSpotBurst` (or `spot`) lays
 * it out: nodes launch on-demand up to `onDemandNodes` and on spot past them, and each spot node is reclaimed
 * after an exponential time, with an interruption notice before (see NodePlacement).
 */
export interface SpotReclaims {
  /** Nodes the pool launches on-demand before it goes to spot (0 for a spot-only pool). */
  readonly onDemandNodes: number;
  /**
   * Reclaims per spot node-hour. AWS's Spot Instance Advisor gives an instance type's frequency of
   * interruption f over a month: about `-ln(1 - f) / 730` per node-hour (0.0003 for its top bucket, 20%).
   * Larger rates test what a reclaim at a busy moment costs.
   */
  readonly reclaimsPerNodeHour: number;
  /** From the interruption notice to the reclaim, seconds. @default 120 (EC2's spot notice) */
  readonly noticeSeconds?: number;
  /** Seed of the reclaim times. @default 1 */
  readonly seed?: number;
  /** A spot node's price over the on-demand one: spot replica-hours cost `replicaHourlyUsd` times this. @default 1 */
  readonly priceRatio?: number;
  /**
   * Zones the pool spreads its nodes over. Set, a reclaim takes every spot node of one zone at once, as
   * reclaims of one instance type in one zone come together, and each zone is reclaimed at
   * `reclaimsPerNodeHour` per hour, so a node is reclaimed as often as without it.
   * @default - every node reclaimed on its own
   */
  readonly zones?: number;
}

export interface SimulationOptions {
  readonly profile: ReplicaProfile;
  readonly policy: ScalingPolicy;
  readonly initialReplicas: number;
  /** How long a removed replica's in-flight requests may still run (see `inFlightDrainSeconds`), seconds. */
  readonly drainSeconds: number;
  /** USD per replica-hour (GPUs per replica x price). */
  readonly replicaHourlyUsd: number;
  /** TTFT SLO, seconds. */
  readonly ttftSloSeconds: number;
  /**
   * Completion SLO: from a request's arrival to its last token, seconds (what a batch job waits on).
   * @default - none: `withinCompletionSlo` is left out
   */
  readonly completionSloSeconds?: number;
  /**
   * Batch deadline: seconds from the measured trace's start by which every measured request must be answered
   * (a nightly batch done by 06:00). None may be lost on a scale-down or a spot reclaim either.
   * @default - none: `metBatchDeadline` is left out
   */
  readonly batchDeadlineSeconds?: number;
  /** @default 15 */
  readonly syncSeconds?: number;
  /** Samples of the time series every this many seconds. @default 60 */
  readonly sampleSeconds?: number;
  /**
   * Seconds at the start of the trace that only warm the fleet up: requests arriving before it, and the
   * replica time, scale events and samples before it, are not measured.
   * @default 0
   */
  readonly warmupSeconds?: number;
  /**
   * Age of the metrics a policy sees, in seconds, rounded up to whole sync periods: Prometheus scrapes
   * the replicas every scrape interval, so a decision reads values up to one interval old.
   * @default 0
   */
  readonly metricLagSeconds?: number;
  /**
   * Replicas the pool can place (its GPU limit over GPUs per replica, less what other services hold):
   * scale-ups beyond it stay pending and cost nothing, as pods Karpenter cannot find capacity for.
   * @default - unbounded
   */
  readonly maxSchedulableReplicas?: number;
  /**
   * How long a node stays up, billed, once its last replica is gone, before consolidation removes it (the
   * pool's `consolidateAfter`); a scale-up in that time takes it and skips node provisioning.
   * @default 0
   */
  readonly emptyNodeSeconds?: number;
  /**
   * Replicas one node holds (see `replicaHost`). Nodes are billed whole, at `replicaHourlyUsd` per slot, from
   * launch until consolidation removes them empty; see NodePlacement for where new replicas go.
   * @default 1
   */
  readonly replicasPerNode?: number;
  /** Nodes the pool's GPU limit allows; scale-ups that need more stay pending, as `maxSchedulableReplicas`. @default - unbounded */
  readonly maxNodes?: number;
  /** Spot capacity and its reclaims. @default - every node on-demand, none reclaimed */
  readonly spot?: SpotReclaims;
  /** Called for every measured request at its first token, with its arrival time and TTFT. @default - none */
  readonly onFirstToken?: (arrivalSeconds: number, ttftSeconds: number) => void;
  /** Called for every measured request at its last token, with its arrival time and completion time. @default - none */
  readonly onCompletion?: (arrivalSeconds: number, completionSeconds: number) => void;
  /** Called at every sample with the number of requests that have arrived so far. @default - none */
  readonly onProgress?: (arrived: number) => void;
  /**
   * While requests still arrive and none waits, leave a replica's prefills and decodes until the next
   * arrival, sync or sample, which processes them at their own times. The results are the same either way
   * (a test runs both); false processes every event at its own moment, more slowly.
   * @default true
   */
  readonly batchReplicaEvents?: boolean;
}

/** One sample of the time series. */
export interface SimulationSample {
  /** Seconds since the end of the warm-up. */
  readonly t: number;
  /** Requests that arrived since the previous sample. */
  readonly arrivals: number;
  /** Serving replicas (ready or starting, not draining). */
  readonly replicas: number;
  /** Nodes billed: up, launching, or empty and waiting for consolidation. */
  readonly nodes: number;
  readonly waiting: number;
  /**
   * 95th percentile TTFT of the first tokens since the previous sample, seconds, as a dashboard reads it:
   * `histogram_quantile(0.95, ...)` over vLLM's TTFT buckets (0 without first tokens).
   */
  readonly ttftP95: number;
}

export interface SimulationResult {
  readonly policy: string;
  readonly requests: number;
  readonly gpuReplicaHours: number;
  /** Of `gpuReplicaHours`, those on spot nodes (0 without `spot`). */
  readonly spotReplicaHours: number;
  readonly costUsd: number;
  readonly ttftP50: number;
  readonly ttftP95: number;
  readonly ttftP99: number;
  readonly withinSlo: number;
  /**
   * Completion time (`vllm:e2e_request_latency_seconds`: from arrival to the last token) of the measured
   * requests that finished, seconds, to 10 ms: 50th, 95th and 99th percentiles.
   */
  readonly completionP50: number;
  readonly completionP95: number;
  readonly completionP99: number;
  /**
   * Share of measured requests that finished within `completionSloSeconds` (lost and refused ones did not).
   * @default - none without `completionSloSeconds`
   */
  readonly withinCompletionSlo?: number;
  /**
   * Seconds from the last measured arrival to the last token of any measured request: how long the work
   * outlasts the trace (for a batch job, when the whole batch is done). 0 when nothing finished after it.
   */
  readonly lastAnswerAfterLastArrivalSeconds: number;
  /**
   * Whether every measured request was answered by `batchDeadlineSeconds`, none lost (refused ones, which no
   * replica takes, do not count). @default - none without `batchDeadlineSeconds`
   */
  readonly metBatchDeadline?: boolean;
  readonly queueWaitP95: number;
  readonly lostOnScaleDown: number;
  /**
   * Scale-downs whose drain ended at its deadline with measured requests still running (those requests are in
   * `lostOnScaleDown`): after deploy, each fires the `LlmDrainWindowRanOut` alert.
   */
  readonly drainsCutOnScaleDown: number;
  /** Interruption notices of spot nodes after the warm-up (0 without `spot`). */
  readonly spotReclaims: number;
  /**
   * Measured requests cut at a spot reclaim: running (or preempted and waiting) on a replica of a reclaimed
   * node when its drain ended at the reclaim, the end of the notice. Not counted in `lostOnScaleDown`.
   */
  readonly lostOnReclaim: number;
  /**
   * Measured requests in flight on a replica when it was told to stop (running, or preempted and waiting on
   * it) that its drain finished: what each scale-down drained, beside what it lost (`lostOnScaleDown`).
   */
  readonly drainedOnScaleDown: number;
  /**
   * The longest answer, in output tokens, among the requests lost on scale-down (0 when none was lost): a
   * drain window sized for shorter answers (`drain.maxOutputTokens`) cuts such answers.
   */
  readonly longestLostAnswerTokens: number;
  /**
   * Measured requests refused on arrival because their prompt and output together exceed a replica's KV
   * cache, so no replica could ever hold them (vLLM refuses a request longer than the model's context, and
   * will not start with a context longer than its cache). They count as outside the SLO.
   */
  readonly rejected: number;
  readonly scaleEvents: number;
  readonly peakReplicas: number;
  /** Syncs at which the policy asked for more replicas than the pool could place. */
  readonly blockedScaleUps: number;
  /** Replicas started on a node already up (a free slot, or a node emptied and not yet consolidated), skipping node provisioning. */
  readonly warmStarts: number;
  /**
   * Measured requests preempted because their replica's KV cache filled (`vllm:num_preemptions_total`):
   * each went back to its replica's waiting line and prefilled again.
   */
  readonly preemptions: number;
  readonly series: readonly SimulationSample[];
}

/**
 * A run's outcome on the optional objectives, as fields to spread into a summary of it: its share within the
 * completion SLO and whether it met the batch deadline, each left out when not set.
 */
export function optionalObjectives(result: Pick<SimulationResult, 'withinCompletionSlo' | 'metBatchDeadline'>): Pick<SimulationResult, 'withinCompletionSlo' | 'metBatchDeadline'> {
  return {
    ...(result.withinCompletionSlo === undefined ? {} : { withinCompletionSlo: result.withinCompletionSlo }),
    ...(result.metBatchDeadline === undefined ? {} : { metBatchDeadline: result.metBatchDeadline }),
  };
}

/**
 * The share of requests a run keeps within its SLOs, each counted on its own: the lower of its share within
 * the TTFT SLO and, when one was set, its share within the completion SLO. A target of 99% holds when both
 * shares reach it. A run that misses its batch deadline keeps none: the batch is late whatever its shares.
 */
export function sloAttainment(result: Pick<SimulationResult, 'withinSlo' | 'withinCompletionSlo' | 'metBatchDeadline'>): number {
  if (result.metBatchDeadline === false) return 0;
  return Math.min(result.withinSlo, result.withinCompletionSlo ?? 1);
}

/**
 * A policy kept no replica, or too few to serve a token, while requests waited, for a day of simulated
 * time after the trace ended: the simulation stops rather than run for ever.
 */
export class SimulationStalledError extends Error {
  /** The policy that stalled. */
  public readonly policy: string;

  public constructor(policy: string, message: string) {
    super(message);
    this.name = 'SimulationStalledError';
    this.policy = policy;
  }
}
