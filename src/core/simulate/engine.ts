/**
 * An event-driven simulation of an autoscaled vLLM fleet on a request trace. Time jumps from event to
 * event: an arrival, a prefill or decode completion on a replica, a replica becoming ready or ending its
 * drain, a controller sync, a time-series sample. Queued requests go to the ready replica running the
 * fewest sequences while its sequence slots and KV cache allow (first come, first served); a request a
 * replica preempts waits on that replica, ahead of new ones, as in a vLLM server. Every
 * `syncSeconds` the policy proposes a replica count from metrics as old as the scrape interval; new
 * replicas serve after the cold start; removed replicas drain (no new requests), and requests still running
 * when the drain window ends are lost. With spot capacity (`spot`), a spot node's interruption notice drains
 * its replicas at once, their drains cut at the reclaim, and their ReplicaSet starts replacements. Memory
 * stays flat in trace length: the trace is read once, as an iterator a block at a time (see TraceCursor),
 * and latency percentiles are kept in fixed millisecond histograms. Speed: while no request waits, a replica's prefills and decodes are processed together at the
 * next arrival, sync or sample, each at its own time, unless one could preempt sooner (see
 * `batchReplicaEvents`).
 */
import { LatencyHistogram } from './latency-histogram';
import { NodePlacement, SimulatedNode } from './node-placement';
import { bucketIndex, histogramQuantile } from './prometheus-histogram';
import { longestRequestTokens } from './replica-profile';
import { ReplicaState } from './replica-state';
import { scaleDownOrder } from './scale-down-order';
import type { RunningSequence } from './sequence-heap';
import { SimulationStalledError } from './simulation';
import type { PolicyObservation, SimulationOptions, SimulationResult, SimulationSample } from './simulation';
import { seededRandom, TraceRequest } from './trace';
import { TraceCursor } from './trace-cursor';
import { SPOT_INTERRUPTION_NOTICE_SECONDS } from '../defaults';
import { TTFT_BUCKETS_SECONDS } from '../metrics/vllm';

/** A request waiting for a replica: as it arrived, or back after a preemption with what it still has to do. */
interface QueuedRequest extends TraceRequest {
  /**
   * Back after a preemption: its prompt holds the tokens it had generated, its first token is out, and
   * `outputTokens` are what it still has to decode.
   */
  readonly resumed?: boolean;
  /** Preempted before its first token: back as it arrived, its queue wait counted at its first admission. */
  readonly admittedBefore?: boolean;
  /** Output tokens of the whole answer, when `outputTokens` is what is left of it. @default - outputTokens */
  readonly answerTokens?: number;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

// Simulated time after the trace's end for which requests may wait or run with no token served before the
// simulation stops with an error rather than run for ever (a policy that keeps no replica while requests wait).
const STALL_SECONDS = 24 * 3600;

/** Runs the simulation over a trace sorted by arrival time, reading it once. */
export function simulate(trace: Iterable<TraceRequest>, opts: SimulationOptions): SimulationResult {
  const sync = opts.syncSeconds ?? 15;
  const sample = opts.sampleSeconds ?? 60;
  const profile = opts.profile;
  const warmup = opts.warmupSeconds ?? 0;
  const lagSyncs = Math.ceil((opts.metricLagSeconds ?? 0) / sync);
  const schedulable = opts.maxSchedulableReplicas ?? Infinity;
  const slo = opts.ttftSloSeconds;
  const longest = longestRequestTokens(profile);

  // Pod UIDs, as far as the ReplicaSet controller's choice of victims reads them: a seeded pseudo-random order.
  const uid = seededRandom(1);
  const slots = opts.replicasPerNode ?? 1;
  const provisioning = Math.min(profile.coldStartSeconds, profile.nodeProvisioningSeconds ?? 0);
  const spot = opts.spot;
  const nodes = new NodePlacement({
    replicasPerNode: slots,
    provisioningSeconds: provisioning,
    emptyNodeSeconds: opts.emptyNodeSeconds ?? 0,
    maxNodes: opts.maxNodes,
    spot: spot && {
      onDemandNodes: spot.onDemandNodes,
      reclaimsPerNodeHour: spot.reclaimsPerNodeHour,
      noticeSeconds: spot.noticeSeconds ?? SPOT_INTERRUPTION_NOTICE_SECONDS,
      random: seededRandom(spot.seed ?? 1),
      zones: spot.zones,
    },
  });
  // Each replica's node and pod creation time.
  const placement = new Map<ReplicaState, { node: SimulatedNode; createdAtSeconds: number }>();
  let replicas: ReplicaState[] = Array.from({ length: opts.initialReplicas }, () => {
    const r = new ReplicaState(profile, 0, uid());
    placement.set(r, { node: nodes.placeServing(0), createdAtSeconds: 0 });
    return r;
  });
  let queue: QueuedRequest[] = [];
  let queueHead = 0;
  const ttfts = new LatencyHistogram();
  const completions = new LatencyHistogram(100);
  const completionSlo = opts.completionSloSeconds;
  let withinCompletionSlo = 0;
  const waits = new LatencyHistogram();
  let withinSlo = 0;
  const series: SimulationSample[] = [];
  const sampleTtftBuckets = new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0);
  let syncTtftBuckets = new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0);
  const observed: PolicyObservation[] = [];
  let lost = 0;
  let inFlightAtScaleDown = 0;
  let rejected = 0;
  const batchEvents = opts.batchReplicaEvents ?? true;
  let scaleEvents = 0;
  let blocked = 0;
  let peak = warmup === 0 ? opts.initialReplicas : 0;
  let replicaSeconds = 0;
  let spotReplicaSeconds = 0;
  let spotReclaims = 0;
  let lostOnReclaim = 0;
  let drainsCutOnScaleDown = 0;
  let warmStarts = 0;
  let arrivalsSinceSync = 0;
  let arrivalsSinceSample = 0;
  let measuredArrivals = 0;
  let generatedBefore = 0;
  let generatedByRemoved = 0;
  let syncs = 1;
  let samples = 1;

  let preemptions = 0;
  // What each replica preempted waits on that replica, as in vLLM, which puts a preempted request back at
  // the front of its own waiting queue (`scheduler.py`, `self.waiting.prepend_request`): the replica takes
  // it back before anything else and, while it waits, takes nothing new (vLLM stops at the first waiting
  // request that does not fit). A draining replica still takes its own back; what waits when the drain
  // ends is lost with what runs.
  const preemptedOn = new Map<ReplicaState, QueuedRequest[]>();
  let preemptedWaiting = 0;
  const onPreempted = (seq: RunningSequence, held: number, remaining: number, replica: ReplicaState) => {
    if (seq.measured) preemptions++;
    // Preempted before its first token, it comes back as it arrived (its queue wait already counted).
    const { arrivalSeconds, promptTokens, answerTokens } = seq;
    const back: QueuedRequest = !seq.resumed && held === 0
      ? { arrivalSeconds, promptTokens, outputTokens: remaining + 1, admittedBefore: true }
      : { arrivalSeconds, promptTokens: promptTokens + held, outputTokens: remaining, resumed: true, answerTokens };
    const line = preemptedOn.get(replica);
    if (line === undefined) preemptedOn.set(replica, [back]);
    else line.unshift(back);
    preemptedWaiting++;
  };

  const onFirstToken = (seq: RunningSequence, at: number) => {
    const ttft = at - seq.arrivalSeconds;
    if (seq.measured) {
      ttfts.record(ttft);
      if (ttft <= slo) withinSlo++;
      opts.onFirstToken?.(seq.arrivalSeconds - warmup, ttft);
    }
    const bucket = bucketIndex(TTFT_BUCKETS_SECONDS, ttft);
    sampleTtftBuckets[bucket]++;
    syncTtftBuckets[bucket]++;
  };

  const onCompletion = opts.onCompletion;
  const completionLimit = completionSlo ?? Infinity;
  // When the last measured answer ended, and when the last measured request arrived.
  let lastAnswerAt = 0;
  let lastArrivalAt = 0;
  const onFinished = (seq: RunningSequence, at: number) => {
    if (!seq.measured) return;
    if (at > lastAnswerAt) lastAnswerAt = at;
    const completion = at - seq.arrivalSeconds;
    completions.record(completion);
    if (completion <= completionLimit) withinCompletionSlo++;
    if (onCompletion !== undefined) onCompletion(seq.arrivalSeconds - warmup, completion);
  };

  // Requests waiting: for any replica, and back on the replica that preempted them.
  const waitingCount = () => queue.length - queueHead + preemptedWaiting;
  // A drain ends when nothing runs or waits on the replica, or at its deadline.
  const drainEnds = (r: ReplicaState, now: number) => r.draining && ((r.running === 0 && !preemptedOn.has(r)) || r.drainUntilSeconds <= now);

  const admitTo = (target: ReplicaState, req: QueuedRequest, now: number) => {
    const measured = req.arrivalSeconds >= warmup;
    if (measured && !req.resumed && !req.admittedBefore) waits.record(now - req.arrivalSeconds);
    target.admit({
      arrivalSeconds: req.arrivalSeconds,
      promptTokens: req.promptTokens,
      decodeTokens: req.resumed ? req.outputTokens : req.outputTokens - 1,
      answerTokens: req.answerTokens ?? req.outputTokens,
      measured,
      resumed: req.resumed ?? false,
      decoding: false,
      joinedAtProgress: 0,
      finishesAtProgress: 0,
    }, now);
  };

  const admit = (now: number) => {
    // Replicas take back what they preempted first, in their own order.
    if (preemptedWaiting > 0) {
      for (const [r, line] of preemptedOn) {
        while (line.length > 0 && r.fits(line[0].promptTokens, now)) {
          admitTo(r, line.shift()!, now);
          preemptedWaiting--;
        }
        if (line.length === 0) preemptedOn.delete(r);
      }
    }
    while (queueHead < queue.length) {
      let target: ReplicaState | undefined;
      for (let i = 0; i < replicas.length; i++) {
        const r = replicas[i];
        // A replica with its own preempted requests waiting takes nothing new.
        if (r.readyAtSeconds <= now && !r.draining && !preemptedOn.has(r) && (target === undefined || r.running < target.running)) target = r;
      }
      const req = queue[queueHead];
      if (target === undefined || !target.fits(req.promptTokens, now)) return;
      queue[queueHead++] = undefined as never;
      admitTo(target, req, now);
    }
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue = queue.slice(queueHead);
      queueHead = 0;
    }
  };

  // The last sync at which a token had been served since the one before, or nothing waited or ran.
  let servedAt = 0;
  const controllerSync = (now: number) => {
    const serving = replicas.filter((r) => !r.draining);
    const ready = serving.filter((r) => r.readyAtSeconds <= now);
    let running = 0;
    let kv = 0;
    for (const r of ready) {
      running += r.running;
      kv += r.kvTokensAt(now) / profile.kvCacheTokens;
    }
    let generated = generatedByRemoved;
    for (const r of replicas) {
      r.catchUpTo(now);
      generated += r.generatedTokens;
    }
    const waiting = waitingCount();
    observed.push({
      timeSeconds: now,
      currentReplicas: serving.length,
      readyReplicas: ready.length,
      waiting,
      running,
      arrivalRate: arrivalsSinceSync / sync,
      kvCacheUsage: ready.length === 0 ? 0 : kv / ready.length,
      ttftBucketCounts: syncTtftBuckets,
      generatedTokens: generated - generatedBefore,
      periodSeconds: sync,
    });
    if (generated > generatedBefore || (waiting === 0 && replicas.every((r) => r.running === 0))) servedAt = now;
    generatedBefore = generated;
    arrivalsSinceSync = 0;
    syncTtftBuckets = new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0);
    if (observed.length > lagSyncs + 1) observed.shift();
    // Metrics as scraped `lagSyncs` periods ago; the replica counts are the controller's own, current.
    const decision = opts.policy.decide({ ...observed[0], timeSeconds: now, currentReplicas: serving.length, readyReplicas: ready.length });
    const wanted = Math.max(0, Math.round(decision));
    const measuring = now >= warmup;
    let want = Math.min(wanted, Math.max(schedulable, 0));
    if (want > serving.length) {
      for (let i = serving.length; i < want; i++) {
        if (!startReplica(now)) {
          // The pool can launch no node for the rest: they stay pending.
          want = i;
          break;
        }
      }
      if (measuring && want > serving.length) scaleEvents++;
    } else if (want < serving.length) {
      // The ReplicaSet controller's victims (unbound, not ready, doubled up, most recently ready); they drain.
      const onNode = new Map<SimulatedNode, number>();
      for (const r of serving) {
        const { node } = placement.get(r)!;
        onNode.set(node, (onNode.get(node) ?? 0) + 1);
      }
      const ranked = scaleDownOrder(serving.map((replica) => {
        const { node, createdAtSeconds } = placement.get(replica)!;
        const { readyAtSeconds, uid: podUid } = replica;
        return { replica, readyAtSeconds, uid: podUid, createdAtSeconds, boundAtSeconds: node.upAtSeconds, colocated: onNode.get(node)! };
      }), now);
      const victims = ranked.slice(0, serving.length - want).map((c) => c.replica);
      for (const v of victims) {
        v.drainUntilSeconds = now + opts.drainSeconds;
        inFlightAtScaleDown += v.measuredRunning + (preemptedOn.get(v)?.filter((req) => req.arrivalSeconds >= warmup).length ?? 0);
      }
      // Idle victims (and ones still starting) go at once.
      removeEndedDrains(now);
      if (measuring) scaleEvents++;
    }
    if (wanted > want && measuring) blocked++;
    if (measuring) peak = Math.max(peak, want);
  };

  /** Starts a replica at `now` where the pool places it; false when the pool can launch no node for it. */
  const startReplica = (now: number): boolean => {
    const launchedBefore = nodes.count;
    const node = nodes.place(now);
    if (node === undefined) return false;
    // A node already up (or launching for none of the service's replicas) spares the wait for a new one.
    if (nodes.count === launchedBefore && now >= warmup) warmStarts++;
    const r = new ReplicaState(profile, Math.max(now, node.upAtSeconds) + profile.coldStartSeconds - provisioning, uid());
    placement.set(r, { node, createdAtSeconds: now });
    replicas.push(r);
    return true;
  };

  // Interruption notices: Karpenter (with its interruption queue) deletes each node, tainting and draining it
  // (its pods terminate: they drain, cut at the reclaim), and the ReplicaSet replaces every evicted pod at once,
  // as it counts no terminating pod; Karpenter provisions for the pods of a deleting node as pending ones
  // (aws/karpenter-provider-aws#2917), so a replacement waits for a free slot or a new node.
  const interrupt = (noticed: readonly SimulatedNode[], now: number) => {
    let evicted = 0;
    for (const node of noticed) {
      if (now >= warmup) spotReclaims++;
      for (const r of replicas) {
        if (placement.get(r)!.node !== node) continue;
        if (!r.draining) evicted++;
        r.drainUntilSeconds = Math.min(r.drainUntilSeconds, now + opts.drainSeconds, node.reclaimAtSeconds);
      }
    }
    for (let i = 0; i < evicted; i++) {
      // With no node to be had, the rest stay pending until a sync asks for them again.
      if (!startReplica(now)) break;
    }
    removeEndedDrains(now);
  };

  let longestLostAnswer = 0;
  const removeEndedDrains = (now: number) => {
    replicas = replicas.filter((r) => {
      const gone = drainEnds(r, now);
      if (gone) {
        // Cut by a drain that ended at its deadline: at a scale-down, or at a spot reclaim (its node under
        // notice, which takes no replica after it).
        const atReclaim = placement.get(r)!.node.noticed;
        let cut = r.measuredRunning;
        if (!atReclaim && r.measuredRunning > 0) longestLostAnswer = Math.max(longestLostAnswer, r.longestMeasuredAnswerTokens());
        const line = preemptedOn.get(r);
        if (line !== undefined) {
          for (const req of line) {
            if (req.arrivalSeconds < warmup) continue;
            cut++;
            if (!atReclaim) longestLostAnswer = Math.max(longestLostAnswer, req.answerTokens ?? req.outputTokens);
          }
          preemptedWaiting -= line.length;
          preemptedOn.delete(r);
        }
        if (atReclaim) lostOnReclaim += cut;
        else lost += cut;
        if (!atReclaim && cut > 0) drainsCutOnScaleDown++;
        generatedByRemoved += r.generatedTokens;
        nodes.release(placement.get(r)!.node, now);
        placement.delete(r);
      }
      return !gone;
    });
  };

  const takeSample = (now: number) => {
    if (now > warmup) {
      let serving = 0;
      for (const r of replicas) if (!r.draining) serving++;
      series.push({
        t: round(now - warmup, 6),
        arrivals: arrivalsSinceSample,
        replicas: serving,
        nodes: nodes.count,
        waiting: waitingCount(),
        ttftP95: round(histogramQuantile(0.95, TTFT_BUCKETS_SECONDS, sampleTtftBuckets) || 0, 3),
      });
    }
    sampleTtftBuckets.fill(0);
    arrivalsSinceSample = 0;
    opts.onProgress?.(measuredArrivals);
  };

  const cursor = new TraceCursor(trace);
  let now = 0;
  for (;;) {
    let busy = !cursor.done || queueHead < queue.length || preemptedWaiting > 0;
    // While requests still arrive and none waits, a replica's prefills and decodes can wait for the next
    // arrival, sync or sample, which process them at their own times: only a preemption (it hands a request
    // back) or the end of a drain needs a moment of its own.
    const lazy = batchEvents && !cursor.done && queueHead === queue.length && preemptedWaiting === 0;
    // The next replica event (a completion, a replica becoming ready, a drain deadline), and the next event.
    let replicaAt = Infinity;
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[i];
      if (r.running > 0) busy = true;
      const due = lazy && !r.draining && r.preemptionNotBeforeSeconds > now ? r.preemptionNotBeforeSeconds : r.nextCompletionAtSeconds;
      if (due < replicaAt) replicaAt = due;
      if (r.drainUntilSeconds < replicaAt) replicaAt = r.drainUntilSeconds;
      if (r.readyAtSeconds > now && r.readyAtSeconds < replicaAt) replicaAt = r.readyAtSeconds;
      // A replica that preempted takes requests again at its next step.
      if (r.admitsFromSeconds > now && r.admitsFromSeconds < replicaAt && (queueHead < queue.length || preemptedWaiting > 0)) {
        replicaAt = r.admitsFromSeconds;
      }
    }
    if (!busy) break;
    const nodeEvent = Math.min(nodes.nextExpirySeconds, nodes.nextNoticeSeconds);
    const at = Math.max(now, Math.min(cursor.done ? Infinity : cursor.next.arrivalSeconds, syncs * sync, samples * sample, replicaAt, nodeEvent));
    // Nodes (every slot, empty ones waiting for consolidation too) are paid from the end of the warm-up on.
    if (at > warmup) {
      replicaSeconds += nodes.count * slots * (at - Math.max(now, warmup));
      if (spot) spotReplicaSeconds += nodes.spotCount * slots * (at - Math.max(now, warmup));
    }
    now = at;
    nodes.removeExpired(now);
    const noticed = nodes.takeNoticed(now);
    if (noticed.length > 0) interrupt(noticed, now);

    // Every replica event due by now, left waiting or not.
    let drainsEnd = false;
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[i];
      if (r.nextCompletionAtSeconds <= now) r.advanceTo(now, onFirstToken, onPreempted, onFinished);
      if (drainEnds(r, now)) drainsEnd = true;
    }
    // Drains that end (deadline or nothing left to finish): what still runs is lost.
    if (drainsEnd) removeEndedDrains(now);
    while (!cursor.done && cursor.next.arrivalSeconds <= now) {
      const arrived = cursor.next;
      const measured = arrived.arrivalSeconds >= warmup;
      if (arrived.promptTokens + arrived.outputTokens <= longest) queue.push(arrived);
      else if (measured) rejected++;
      arrivalsSinceSync++;
      arrivalsSinceSample++;
      if (measured) {
        measuredArrivals++;
        lastArrivalAt = arrived.arrivalSeconds;
      }
      cursor.advance();
    }
    admit(now);
    if (now >= syncs * sync) {
      controllerSync(now);
      syncs++;
      admit(now);
      if (cursor.done && now - servedAt > STALL_SECONDS) {
        throw new SimulationStalledError(opts.policy.name, `the simulation of policy '${opts.policy.name}' stalled: requests waited or `
          + `ran with no token served for ${STALL_SECONDS / 3600} simulated hours after the trace ended (at ${Math.round(now)} s, `
          + `${replicas.length} replicas); a policy must keep replicas while requests wait`);
      }
    }
    if (now >= samples * sample) {
      takeSample(now);
      samples++;
    }
  }
  const hours = replicaSeconds / 3600;
  return {
    policy: opts.policy.name,
    requests: measuredArrivals,
    gpuReplicaHours: round(hours),
    spotReplicaHours: round(spotReplicaSeconds / 3600),
    // Spot replica-hours at the spot price, the rest at on-demand.
    costUsd: round((hours - (spotReplicaSeconds / 3600) * (1 - (spot?.priceRatio ?? 1))) * opts.replicaHourlyUsd, 2),
    ttftP50: ttfts.quantile(0.5),
    ttftP95: ttfts.quantile(0.95),
    ttftP99: ttfts.quantile(0.99),
    withinSlo: round(withinSlo / Math.max(1, measuredArrivals), 4),
    completionP50: completions.quantile(0.5),
    completionP95: completions.quantile(0.95),
    completionP99: completions.quantile(0.99),
    ...(completionSlo === undefined ? {} : { withinCompletionSlo: round(withinCompletionSlo / Math.max(1, measuredArrivals), 4) }),
    lastAnswerAfterLastArrivalSeconds: round(Math.max(0, lastAnswerAt - lastArrivalAt), 3),
    ...(opts.batchDeadlineSeconds === undefined ? {}
      : { metBatchDeadline: lost + lostOnReclaim === 0 && lastAnswerAt <= warmup + opts.batchDeadlineSeconds }),
    queueWaitP95: waits.quantile(0.95),
    lostOnScaleDown: lost,
    drainsCutOnScaleDown,
    spotReclaims,
    lostOnReclaim,
    drainedOnScaleDown: inFlightAtScaleDown - lost,
    longestLostAnswerTokens: longestLostAnswer,
    rejected,
    scaleEvents,
    peakReplicas: peak,
    blockedScaleUps: blocked,
    warmStarts,
    preemptions,
    series,
  };
}
