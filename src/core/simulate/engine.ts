/**
 * A time-stepped simulation of an autoscaled vLLM fleet on a request trace. Each step admits queued
 * requests to ready replicas (fewest running first) while sequences and KV cache allow, prefills, then
 * decodes one step's worth of tokens per running sequence. Every `syncSeconds` the policy proposes a
 * replica count; new replicas serve after the cold start; removed replicas drain (no new requests) and
 * requests still running at the end of the drain window are lost.
 */
import { decodeStepSeconds, ReplicaProfile } from './replica-profile';
import type { TraceRequest } from './trace';

/** What a policy sees at a sync: metrics as the emitted queries would report them. */
export interface PolicyObservation {
  readonly timeSeconds: number;
  readonly currentReplicas: number;
  readonly readyReplicas: number;
  /** Requests waiting (`sum(vllm:num_requests_waiting)`). */
  readonly waiting: number;
  /** Requests running (`sum(vllm:num_requests_running)`). */
  readonly running: number;
  /** Arrivals per second over the last sync period. */
  readonly arrivalRate: number;
  /** Average KV-cache use of ready replicas, 0..1. */
  readonly kvCacheUsage: number;
  /** 95th percentile of the time to first token of requests that got their first token since the last sync, seconds. */
  readonly ttftP95: number;
}

/** A scaling policy: the replica count it wants after a sync. */
export interface ScalingPolicy {
  readonly name: string;
  decide(observation: PolicyObservation): number;
}

export interface SimulationOptions {
  readonly profile: ReplicaProfile;
  readonly policy: ScalingPolicy;
  readonly initialReplicas: number;
  /** Drain window on scale-down (the pod's grace period), seconds. */
  readonly drainSeconds: number;
  /** USD per replica-hour (GPUs per replica x price). */
  readonly replicaHourlyUsd: number;
  /** TTFT SLO, seconds. */
  readonly ttftSloSeconds: number;
  /** @default 15 */
  readonly syncSeconds?: number;
  /** @default 0.25 */
  readonly stepSeconds?: number;
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
  /** Called for every measured request at its first token, with its arrival time and TTFT. @default - none */
  readonly onFirstToken?: (arrivalSeconds: number, ttftSeconds: number) => void;
  /** Called at every sample with the number of requests that have arrived so far. @default - none */
  readonly onProgress?: (arrived: number) => void;
}

export interface SimulationResult {
  readonly policy: string;
  readonly requests: number;
  readonly gpuReplicaHours: number;
  readonly costUsd: number;
  readonly ttftP50: number;
  readonly ttftP95: number;
  readonly ttftP99: number;
  readonly withinSlo: number;
  readonly queueWaitP95: number;
  readonly lostOnScaleDown: number;
  readonly scaleEvents: number;
  readonly peakReplicas: number;
  /** Syncs at which the policy asked for more replicas than the pool could place. */
  readonly blockedScaleUps: number;
  readonly series: ReadonlyArray<{ t: number; arrivals: number; replicas: number; waiting: number; ttftP95: number }>;
}

interface Active { readonly req: TraceRequest; prefillLeft: number; outputLeft: number; firstTokenAt?: number; admittedAt: number }
interface Replica { readyAt: number; drainUntil?: number; running: Active[] }

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs the simulation over a trace sorted by arrival time. */
export function simulate(trace: Iterable<TraceRequest>, opts: SimulationOptions): SimulationResult {
  const step = opts.stepSeconds ?? 0.25;
  const sync = opts.syncSeconds ?? 15;
  const sample = opts.sampleSeconds ?? 60;
  const p = opts.profile;
  const replicas: Replica[] = Array.from({ length: opts.initialReplicas }, () => ({ readyAt: 0, running: [] }));
  const queue: TraceRequest[] = [];
  const ttfts: number[] = [];
  const waits: number[] = [];
  const series: Array<{ t: number; arrivals: number; replicas: number; waiting: number; ttftP95: number }> = [];
  let sampleTtfts: number[] = [];
  let syncTtfts: number[] = [];
  let lost = 0;
  let scaleEvents = 0;
  const warmup = opts.warmupSeconds ?? 0;
  const measured = (r: TraceRequest) => r.arrivalSeconds >= warmup;
  let peak = warmup === 0 ? opts.initialReplicas : 0;
  const lagSyncs = Math.ceil((opts.metricLagSeconds ?? 0) / sync);
  const observed: PolicyObservation[] = [];
  const schedulable = opts.maxSchedulableReplicas ?? Infinity;
  let blocked = 0;
  let replicaSeconds = 0;
  let arrivalsSinceSync = 0;
  let arrivalsSinceSample = 0;
  let total = 0;
  const it = trace[Symbol.iterator]();
  let next = it.next();
  let t = 0;
  const pending = () => !next.done || queue.length > 0 || replicas.some((r) => r.running.length > 0);
  while (pending()) {
    while (!next.done && next.value.arrivalSeconds <= t) {
      queue.push(next.value);
      arrivalsSinceSync++;
      arrivalsSinceSample++;
      if (measured(next.value)) total++;
      next = it.next();
    }
    const ready = replicas.filter((r) => r.readyAt <= t && r.drainUntil === undefined);
    // Admit: fewest running first, while sequences and KV cache allow.
    while (queue.length > 0 && ready.length > 0) {
      const target = ready.reduce((a, b) => (b.running.length < a.running.length ? b : a));
      const req = queue[0];
      const kvUsed = target.running.reduce((s, a) => s + a.req.promptTokens + (a.req.outputTokens - a.outputLeft), 0);
      if (target.running.length >= p.maxNumSeqs || kvUsed + req.promptTokens + req.outputTokens > p.kvCacheTokens) break;
      queue.shift();
      if (measured(req)) waits.push(t - req.arrivalSeconds);
      target.running.push({ req, prefillLeft: req.promptTokens, outputLeft: req.outputTokens, admittedAt: t });
    }
    // Progress every replica by one step: prefill budget first, then decode.
    for (const r of replicas) {
      if (r.running.length === 0) continue;
      let prefillBudget = p.prefillTokensPerSecond * step;
      for (const a of r.running) {
        if (a.prefillLeft > 0 && prefillBudget > 0) {
          const done = Math.min(a.prefillLeft, prefillBudget);
          a.prefillLeft -= done;
          prefillBudget -= done;
          if (a.prefillLeft === 0) {
            a.firstTokenAt = t + step;
            a.outputLeft -= 1;
            if (measured(a.req)) {
              ttfts.push(a.firstTokenAt - a.req.arrivalSeconds);
              opts.onFirstToken?.(a.req.arrivalSeconds - warmup, a.firstTokenAt - a.req.arrivalSeconds);
            }
            sampleTtfts.push(a.firstTokenAt - a.req.arrivalSeconds);
            syncTtfts.push(a.firstTokenAt - a.req.arrivalSeconds);
          }
        }
      }
      const decoding = r.running.filter((a) => a.prefillLeft === 0);
      const tokens = step / decodeStepSeconds(p, decoding.length);
      for (const a of decoding) a.outputLeft -= tokens;
      r.running = r.running.filter((a) => a.outputLeft > 0);
    }
    // Drains that end: what still runs is lost.
    for (const r of replicas.filter((x) => x.drainUntil !== undefined && (x.drainUntil <= t || x.running.length === 0))) {
      lost += r.running.filter((a) => measured(a.req)).length;
      replicas.splice(replicas.indexOf(r), 1);
    }
    const serving = replicas.filter((r) => r.drainUntil === undefined);
    if (t >= warmup) replicaSeconds += replicas.length * step;
    t = round(t + step, 6);
    if (t % sync === 0) {
      const readyNow = serving.filter((r) => r.readyAt <= t);
      const running = readyNow.reduce((s, r) => s + r.running.length, 0);
      const kvOf = (r: Replica) => r.running.reduce((x, a) => x + a.req.promptTokens, 0) / p.kvCacheTokens;
      const kv = readyNow.length === 0 ? 0 : readyNow.reduce((s, r) => s + kvOf(r), 0) / readyNow.length;
      observed.push({
        timeSeconds: t,
        currentReplicas: serving.length,
        readyReplicas: readyNow.length,
        waiting: queue.length,
        running,
        arrivalRate: arrivalsSinceSync / sync,
        kvCacheUsage: kv,
        ttftP95: quantile(syncTtfts.sort((x, y) => x - y), 0.95),
      });
      if (observed.length > lagSyncs + 1) observed.shift();
      // Metrics as scraped `lagSyncs` periods ago; the replica counts are the controller's own, current.
      const seen = observed[0];
      const decision = opts.policy.decide({ ...seen, timeSeconds: t, currentReplicas: serving.length, readyReplicas: readyNow.length });
      const wanted = Math.max(0, Math.round(decision));
      if (wanted > schedulable && t >= warmup) blocked++;
      const want = Math.min(wanted, Math.max(schedulable, 0));
      arrivalsSinceSync = 0;
      syncTtfts = [];
      if (want > serving.length) {
        for (let i = serving.length; i < want; i++) replicas.push({ readyAt: t + p.coldStartSeconds, running: [] });
        if (t >= warmup) scaleEvents++;
      } else if (want < serving.length) {
        // Remove replicas that are not ready yet first, then the least busy; they drain.
        const victims = [...serving].sort((a, b) => (b.readyAt > t ? 1 : 0) - (a.readyAt > t ? 1 : 0) || a.running.length - b.running.length)
          .slice(0, serving.length - want);
        for (const v of victims) v.drainUntil = t + opts.drainSeconds;
        if (t >= warmup) scaleEvents++;
      }
      if (t >= warmup) peak = Math.max(peak, replicas.filter((r) => r.drainUntil === undefined).length);
    }
    if (t % sample === 0) {
      sampleTtfts.sort((a, b) => a - b);
      const ttftP95 = round(quantile(sampleTtfts, 0.95), 3);
      if (t > warmup) {
        series.push({ t: round(t - warmup, 6), arrivals: arrivalsSinceSample, replicas: serving.length, waiting: queue.length, ttftP95 });
      }
      sampleTtfts = [];
      arrivalsSinceSample = 0;
      opts.onProgress?.(total);
    }
  }
  ttfts.sort((a, b) => a - b);
  waits.sort((a, b) => a - b);
  const hours = replicaSeconds / 3600;
  return {
    policy: opts.policy.name,
    requests: total,
    gpuReplicaHours: round(hours),
    costUsd: round(hours * opts.replicaHourlyUsd, 2),
    ttftP50: round(quantile(ttfts, 0.5), 3),
    ttftP95: round(quantile(ttfts, 0.95), 3),
    ttftP99: round(quantile(ttfts, 0.99), 3),
    withinSlo: round(ttfts.filter((x) => x <= opts.ttftSloSeconds).length / Math.max(1, total), 4),
    queueWaitP95: round(quantile(waits, 0.95), 3),
    lostOnScaleDown: lost,
    scaleEvents,
    peakReplicas: peak,
    blockedScaleUps: blocked,
    series,
  };
}
