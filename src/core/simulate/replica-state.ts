/**
 * One simulated vLLM replica, advanced from event to event rather than step by step. Prefill is a
 * first-come-first-served server at the profile's prefill rate; the prefill produces the first token.
 * Decode is shared: every sequence in the batch gains one token per decode step, and a step takes
 * `decodeStepSeconds(profile, batch size)`, so the replica tracks one progress counter (tokens per sequence
 * since it started) and a heap of the progress at which each sequence finishes. Work per request is
 * O(log batch), whatever its length.
 *
 * Admission needs what vLLM's scheduler needs (`vllm/v1/core/sched/scheduler.py`, `KVCacheManager.
 * allocate_slots` in `vllm/v1/core/kv_cache_manager.py`): a sequence slot and free KV cache for the
 * request's prompt. No room is set aside for its output, whose length no server knows in advance, so the
 * sequences running keep growing and the cache fills. When it does, the replica preempts as vLLM does with
 * recompute: the sequence admitted last (one still waiting for its prefill, else the one that joined the
 * batch last) gives up its KV cache and goes back to the front of the replica's waiting line, to prefill
 * its prompt and the tokens it had generated again before it decodes the rest (`vllm:num_preemptions_total`
 * counts these); and, as vLLM admits no waiting request in a step that preempted, the replica admits none
 * until its next step. vLLM samples one token from that recompute; here the recompute only restores the
 * cache and the token is decoded, so every output token after the first still takes a decode step (what
 * `replicaHoursLowerBound` relies on).
 *
 * With the profile's `maxNumBatchedTokens` set, prefill shares the GPU with decode (vLLM's chunked prefill):
 * while prompts wait, every step is a prefill step (`prefillStepSeconds`) that gives the batch its token
 * and the head prompt what is left of the budget, so both rates change whenever the batch does. The head's
 * prefill is then tracked as tokens left at a time, brought up to date before each change of the batch.
 */
import { decodeStepSeconds, prefillStepSeconds, ReplicaProfile } from './replica-profile';
import { RunningSequence, SequenceHeap } from './sequence-heap';

/** Called when a sequence's first token is out, at `timeSeconds`. */
export type FirstTokenListener = (seq: RunningSequence, timeSeconds: number) => void;

/** Called when a sequence's last token is out, at `timeSeconds` (not when it is preempted or cut). */
export type FinishListener = (seq: RunningSequence, timeSeconds: number) => void;

const noFinishListener: FinishListener = () => undefined;

/**
 * Called when a sequence is preempted, with the tokens it added to its context since it was admitted (whole
 * ones: a step in flight is redone; none when its prefill had not ended), the tokens it still has to decode,
 * and the replica that preempted it.
 */
export type PreemptionListener = (seq: RunningSequence, heldTokens: number, remainingTokens: number, replica: ReplicaState) => void;

// Progress values within this many tokens of a sequence's finish count as finished (float rounding).
const PROGRESS_EPSILON = 1e-9;

export class ReplicaState {
  /** Serves from this time on (cold start done). */
  readonly readyAtSeconds: number;
  /** Its pod UID's place in a pseudo-random order, 0..1. */
  readonly uid: number;
  /** Draining until this time (no new requests; what still runs then is lost). Infinity while serving. */
  drainUntilSeconds = Infinity;
  /** Sequences admitted and not finished. */
  running = 0;
  /** Of `running`, those that arrived after the warm-up. */
  measuredRunning = 0;
  /** Output tokens this replica has produced (first tokens included), up to its last event or `catchUpTo`. */
  generatedTokens = 0;
  /** Time of the next prefill or decode completion or preemption (Infinity when idle). */
  nextCompletionAtSeconds = Infinity;
  /** Admits no request before this time: the end of the step in which it last preempted. */
  admitsFromSeconds = 0;
  /**
   * A time no later than the next preemption, as long as no request is admitted (Infinity when idle): the
   * engine may leave this replica's prefills and decodes unprocessed until then, since only a preemption
   * hands a request back.
   */
  preemptionNotBeforeSeconds = Infinity;

  private readonly profile: ReplicaProfile;
  private prefillQueue: RunningSequence[] = [];
  private prefillHead = 0;
  private prefillDoneAt = Infinity;
  // Decoding sequences by finishing progress; preempted ones stay until they reach the top, then are dropped.
  private readonly batch = new SequenceHeap();
  private decodingCount = 0;
  // Of the decoding sequences, those resumed after a preemption: their first token is in their recomputed prompt.
  private resumedDecodingCount = 0;
  // Decoding sequences in the order they joined (the last is preempted first), with finished ones weeded out.
  private joinOrder: RunningSequence[] = [];
  private progress = 0;
  private progressAt = 0;
  private joinedProgressSum = 0;
  private promptTokens = 0;
  // With a step budget (prefill sharing the GPU): the head prompt's tokens still to prefill, as of prefillAt.
  private readonly stepBudget: number | undefined;
  private prefillLeft = 0;
  private prefillAt = 0;

  /**
   * @param uid its pod UID's place in a pseudo-random order, 0..1 (the ReplicaSet controller's tie-break
   * when it picks pods to delete, see scaleDownOrder)
   */
  constructor(profile: ReplicaProfile, readyAtSeconds: number, uid = 0) {
    this.profile = profile;
    this.readyAtSeconds = readyAtSeconds;
    this.uid = uid;
    this.progressAt = readyAtSeconds;
    this.stepBudget = profile.maxNumBatchedTokens;
  }

  get draining(): boolean {
    return this.drainUntilSeconds !== Infinity;
  }

  /** Tokens in the KV cache at `t`: prompts of running sequences plus what they have generated. */
  kvTokensAt(t: number): number {
    const n = this.decodingCount;
    if (n === 0) return this.promptTokens;
    const progress = this.progress + (t - this.progressAt) / this.stepSeconds();
    // Each decoding sequence holds its first token plus what it decoded since joining; a resumed one's first
    // token is in its prompt.
    return this.promptTokens + n * (progress + 1) - this.joinedProgressSum - this.resumedDecodingCount;
  }

  /**
   * Whether the replica takes a request with this prompt at `t`: a sequence slot free, KV room for the
   * prompt, and no preemption in the step under way.
   */
  fits(promptTokens: number, t: number): boolean {
    return this.running < this.profile.maxNumSeqs && t >= this.admitsFromSeconds && this.kvTokensAt(t) + promptTokens <= this.profile.kvCacheTokens;
  }

  /** Takes a request at `t`: it queues for prefill behind the ones admitted before it. */
  admit(seq: RunningSequence, t: number): void {
    this.running++;
    if (seq.measured) this.measuredRunning++;
    this.promptTokens += seq.promptTokens;
    const idle = this.prefillHead === this.prefillQueue.length;
    if (idle && this.stepBudget !== undefined) {
      // Prefill steps begin: the batch's progress so far was at decode steps.
      this.catchUpTo(t);
      this.prefillLeft = seq.promptTokens;
      this.prefillAt = t;
    } else if (idle) {
      this.prefillDoneAt = t + seq.promptTokens / this.profile.prefillTokensPerSecond;
    }
    this.prefillQueue.push(seq);
    if (idle) {
      this.planPrefill();
      this.nextCompletionAtSeconds = Math.min(this.nextCompletionAtSeconds, this.prefillDoneAt);
    }
    // Its prompt fills the cache sooner.
    this.nextCompletionAtSeconds = Math.min(this.nextCompletionAtSeconds, this.kvFullAt());
    this.boundPreemption();
  }

  /** The longest answer, in output tokens, of the measured sequences running here (0 when none is). */
  longestMeasuredAnswerTokens(): number {
    let longest = 0;
    for (let i = this.prefillHead; i < this.prefillQueue.length; i++) {
      const seq = this.prefillQueue[i];
      if (seq.measured) longest = Math.max(longest, seq.answerTokens);
    }
    for (const seq of this.joinOrder) if (seq.decoding && seq.measured) longest = Math.max(longest, seq.answerTokens);
    return longest;
  }

  /** Completes every prefill, decode and preemption due by `t`, in time order. */
  advanceTo(t: number, onFirstToken: FirstTokenListener, onPreempted: PreemptionListener, onFinished = noFinishListener): void {
    for (;;) {
      const decodeDoneAt = this.decodeDoneAt();
      const kvFullAt = this.kvFullAt();
      if (this.prefillDoneAt <= t && this.prefillDoneAt <= decodeDoneAt && this.prefillDoneAt <= kvFullAt) {
        this.completePrefill(onFirstToken, onFinished);
      } else if (kvFullAt <= t && kvFullAt < decodeDoneAt) {
        // A finish due at the same time frees the cache first.
        this.catchUpTo(kvFullAt);
        this.syncPrefill(kvFullAt);
        this.preemptLast(onPreempted);
        this.planPrefill();
      } else if (decodeDoneAt <= t) {
        this.catchUpTo(decodeDoneAt);
        this.syncPrefill(decodeDoneAt);
        // The head finishes now, whatever the rounding of the progress.
        this.progress = Math.max(this.progress, this.batch.peek()!.finishesAtProgress);
        const done = (seq: RunningSequence) => !seq.decoding || seq.finishesAtProgress <= this.progress + PROGRESS_EPSILON;
        for (let head = this.batch.peek(); head && done(head); head = this.batch.peek()) {
          this.batch.pop();
          if (head.decoding) {
            this.finish(head);
            onFinished(head, decodeDoneAt);
          }
        }
        this.planPrefill();
      } else {
        this.nextCompletionAtSeconds = Math.min(this.prefillDoneAt, decodeDoneAt, kvFullAt);
        this.boundPreemption();
        return;
      }
    }
  }

  /**
   * Sets `preemptionNotBeforeSeconds`: the cache as held now, with every sequence still waiting for its
   * prefill counted as if it joined the batch now (with its first token), growing at the rate of that whole
   * batch. Without admissions the batch only loses sequences after that, and n sequences add n tokens per
   * `decodeStepSeconds(n)`, a rate that grows with n, so the cache cannot fill sooner.
   */
  private boundPreemption(): void {
    const joining = this.prefillQueue.length - this.prefillHead;
    const batch = this.decodingCount + joining;
    if (batch === 0) {
      this.preemptionNotBeforeSeconds = Infinity;
      return;
    }
    const room = this.profile.kvCacheTokens - this.kvTokensAt(this.progressAt) - joining;
    this.preemptionNotBeforeSeconds = this.progressAt + (Math.max(0, room) / batch) * decodeStepSeconds(this.profile, batch);
  }

  private decodeDoneAt(): number {
    // Preempted sequences leave the heap when they reach its top.
    while (this.batch.size > 0 && !this.batch.peek()!.decoding) this.batch.pop();
    const first = this.batch.peek();
    if (first === undefined) return Infinity;
    return this.progressAt + (first.finishesAtProgress - this.progress) * this.stepSeconds();
  }

  /**
   * When the decoding sequences' growth fills the KV cache (now, if it is already full). Never while one
   * sequence runs alone: a request the profile takes fits its cache to its last token (`longestRequestTokens`),
   * so only the rounding of the progress could make it look full, and preempting it would leave it nowhere
   * to finish.
   */
  private kvFullAt(): number {
    const n = this.decodingCount;
    if (n === 0 || this.running === 1) return Infinity;
    const fullAtProgress = (this.profile.kvCacheTokens - this.promptTokens + this.joinedProgressSum + this.resumedDecodingCount) / n - 1;
    return this.progressAt + Math.max(0, fullAtProgress - this.progress) * this.stepSeconds();
  }

  /**
   * Preempts the sequence admitted last, as vLLM preempts the request it scheduled last: one still waiting
   * for its prefill (admitted after every decoding one), else the one that joined the batch last. It frees
   * its cache and is handed back.
   */
  private preemptLast(onPreempted: PreemptionListener): void {
    if (this.prefillHead < this.prefillQueue.length) {
      const prefilling = this.prefillQueue.pop()!;
      if (this.prefillHead === this.prefillQueue.length) {
        // It was the prompt being prefilled: what was computed of it is lost, as with recompute.
        this.prefillDoneAt = Infinity;
        this.prefillQueue = [];
        this.prefillHead = 0;
      }
      this.release(prefilling);
      this.admitsFromSeconds = this.progressAt + this.stepSeconds();
      onPreempted(prefilling, 0, prefilling.decodeTokens, this);
      return;
    }
    let seq = this.joinOrder.pop();
    while (seq && !seq.decoding) seq = this.joinOrder.pop();
    if (!seq) return;
    const decoded = Math.floor(this.progress - seq.joinedAtProgress + PROGRESS_EPSILON);
    this.leaveBatch(seq);
    this.release(seq);
    this.admitsFromSeconds = this.progressAt + this.stepSeconds();
    // A first admission also holds the first token, which its prefill produced.
    onPreempted(seq, decoded + (seq.resumed ? 0 : 1), seq.decodeTokens - decoded, this);
  }

  /** Brings the decode progress (and the tokens generated) up to `t`, before the next completion. */
  catchUpTo(t: number): void {
    const n = this.decodingCount;
    if (n > 0 && t > this.progressAt) {
      const gained = (t - this.progressAt) / this.stepSeconds();
      this.progress += gained;
      this.generatedTokens += gained * n;
    }
    if (t > this.progressAt) this.progressAt = t;
  }

  /** Seconds per step of the batch as it is now: a prefill step while prompts wait and prefill shares the GPU. */
  private stepSeconds(): number {
    const n = this.decodingCount;
    const prefilling = this.stepBudget !== undefined && this.prefillHead < this.prefillQueue.length;
    return prefilling ? prefillStepSeconds(this.profile, n, this.stepBudget!) : decodeStepSeconds(this.profile, n);
  }

  /** Prompt tokens per second a shared prefill gets beside the batch as it is now (0 when the batch fills the budget). */
  private sharedPrefillRate(): number {
    const n = this.decodingCount;
    return Math.max(0, this.stepBudget! - n) / prefillStepSeconds(this.profile, n, this.stepBudget!);
  }

  /** Brings a shared prefill's tokens left up to `t`, before the batch changes. */
  private syncPrefill(t: number): void {
    if (this.stepBudget === undefined || this.prefillHead === this.prefillQueue.length || t <= this.prefillAt) return;
    this.prefillLeft = Math.max(0, this.prefillLeft - this.sharedPrefillRate() * (t - this.prefillAt));
    this.prefillAt = t;
  }

  /** When a shared prefill's head prompt is done, at the rate the batch leaves it now. */
  private planPrefill(): void {
    if (this.stepBudget === undefined) return;
    const rate = this.prefillHead < this.prefillQueue.length ? this.sharedPrefillRate() : 0;
    this.prefillDoneAt = rate > 0 ? this.prefillAt + this.prefillLeft / rate : Infinity;
  }

  private completePrefill(onFirstToken: FirstTokenListener, onFinished: FinishListener): void {
    const at = this.prefillDoneAt;
    // The batch's progress up to now was at the steps of the queue as it was.
    this.catchUpTo(at);
    const seq = this.prefillQueue[this.prefillHead];
    this.prefillQueue[this.prefillHead++] = undefined as never;
    if (this.prefillHead === this.prefillQueue.length) {
      this.prefillDoneAt = Infinity;
      if (this.prefillHead >= 64) {
        this.prefillQueue = [];
        this.prefillHead = 0;
      }
    } else {
      if (this.prefillHead >= 256) {
        this.prefillQueue = this.prefillQueue.slice(this.prefillHead);
        this.prefillHead = 0;
      }
      const next = this.prefillQueue[this.prefillHead].promptTokens;
      if (this.stepBudget === undefined) {
        this.prefillDoneAt = at + next / this.profile.prefillTokensPerSecond;
      } else {
        this.prefillLeft = next;
        this.prefillAt = at;
      }
    }
    // A resumed sequence's prefill restores its cache; its first token was out before.
    if (!seq.resumed) {
      this.generatedTokens++;
      onFirstToken(seq, at);
    }
    if (seq.decodeTokens <= 0) {
      this.release(seq);
      this.planPrefill();
      onFinished(seq, at);
      return;
    }
    seq.joinedAtProgress = this.progress;
    seq.finishesAtProgress = this.progress + seq.decodeTokens;
    seq.decoding = true;
    this.decodingCount++;
    if (seq.resumed) this.resumedDecodingCount++;
    this.joinedProgressSum += this.progress;
    this.batch.push(seq);
    if (this.joinOrder.length > 2 * this.decodingCount + 64) this.joinOrder = this.joinOrder.filter((s) => s.decoding);
    this.joinOrder.push(seq);
    this.planPrefill();
  }

  private finish(seq: RunningSequence): void {
    this.leaveBatch(seq);
    this.release(seq);
  }

  private leaveBatch(seq: RunningSequence): void {
    seq.decoding = false;
    this.decodingCount--;
    if (seq.resumed) this.resumedDecodingCount--;
    // An empty batch starts the sum afresh, so rounding does not build up over a long trace.
    this.joinedProgressSum = this.decodingCount === 0 ? 0 : this.joinedProgressSum - seq.joinedAtProgress;
  }

  private release(seq: RunningSequence): void {
    this.running--;
    if (seq.measured) this.measuredRunning--;
    this.promptTokens -= seq.promptTokens;
  }
}
