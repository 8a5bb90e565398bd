/**
 * One simulated vLLM replica, advanced from event to event rather than step by step. Prefill is a
 * first-come-first-served server at the profile's prefill rate; the prefill produces the first token.
 * Decode is shared: every sequence in the batch gains one token per decode step, and a step takes
 * `decodeStepSeconds(profile, batch size)`, so the replica tracks one progress counter (tokens per sequence
 * since it started) and a heap of the progress at which each sequence finishes. Work per request is
 * O(log batch), whatever its length.
 */
import { decodeStepSeconds, ReplicaProfile } from './replica-profile';
import { RunningSequence, SequenceHeap } from './sequence-heap';

/** Called when a sequence's first token is out, at `timeSeconds`. */
export type FirstTokenListener = (seq: RunningSequence, timeSeconds: number) => void;

// Progress values within this many tokens of a sequence's finish count as finished (float rounding).
const PROGRESS_EPSILON = 1e-9;

export class ReplicaState {
  /** Serves from this time on (cold start done). */
  readonly readyAtSeconds: number;
  /** Draining until this time (no new requests; what still runs then is lost). Infinity while serving. */
  drainUntilSeconds = Infinity;
  /** Sequences admitted and not finished. */
  running = 0;
  /** Of `running`, those that arrived after the warm-up. */
  measuredRunning = 0;
  /** Output tokens this replica has produced (first tokens included), up to its last event or `catchUpTo`. */
  generatedTokens = 0;
  /** Time of the next prefill or decode completion (Infinity when idle). */
  nextCompletionAtSeconds = Infinity;

  private readonly profile: ReplicaProfile;
  private prefillQueue: RunningSequence[] = [];
  private prefillHead = 0;
  private prefillDoneAt = Infinity;
  private readonly batch = new SequenceHeap();
  private progress = 0;
  private progressAt = 0;
  private joinedProgressSum = 0;
  private promptTokens = 0;

  constructor(profile: ReplicaProfile, readyAtSeconds: number) {
    this.profile = profile;
    this.readyAtSeconds = readyAtSeconds;
    this.progressAt = readyAtSeconds;
  }

  get draining(): boolean {
    return this.drainUntilSeconds !== Infinity;
  }

  /** Tokens in the KV cache at `t`: prompts of running sequences plus what they have generated. */
  kvTokensAt(t: number): number {
    const n = this.batch.size;
    if (n === 0) return this.promptTokens;
    const progress = this.progress + (t - this.progressAt) / decodeStepSeconds(this.profile, n);
    // Each decoding sequence holds its first token plus what it decoded since joining.
    return this.promptTokens + n * (progress + 1) - this.joinedProgressSum;
  }

  /** Whether the replica has a slot and KV room for a request of these sizes at `t`. */
  fits(promptTokens: number, outputTokens: number, t: number): boolean {
    return this.running < this.profile.maxNumSeqs && this.kvTokensAt(t) + promptTokens + outputTokens <= this.profile.kvCacheTokens;
  }

  /** Takes a request at `t`: it queues for prefill behind the ones admitted before it. */
  admit(seq: RunningSequence, t: number): void {
    this.running++;
    if (seq.measured) this.measuredRunning++;
    this.promptTokens += seq.promptTokens;
    if (this.prefillHead === this.prefillQueue.length) {
      this.prefillDoneAt = t + seq.promptTokens / this.profile.prefillTokensPerSecond;
      this.nextCompletionAtSeconds = Math.min(this.nextCompletionAtSeconds, this.prefillDoneAt);
    }
    this.prefillQueue.push(seq);
  }

  /** Completes every prefill and decode due by `t`, in time order. */
  advanceTo(t: number, onFirstToken: FirstTokenListener): void {
    for (;;) {
      const decodeDoneAt = this.decodeDoneAt();
      if (this.prefillDoneAt <= t && this.prefillDoneAt <= decodeDoneAt) {
        this.completePrefill(onFirstToken);
      } else if (decodeDoneAt <= t) {
        this.catchUpTo(decodeDoneAt);
        // The head finishes now, whatever the rounding of the progress.
        this.progress = Math.max(this.progress, this.batch.peek()!.finishesAtProgress);
        while ((this.batch.peek()?.finishesAtProgress ?? Infinity) <= this.progress + PROGRESS_EPSILON) this.finish(this.batch.pop()!);
      } else {
        this.nextCompletionAtSeconds = Math.min(this.prefillDoneAt, decodeDoneAt);
        return;
      }
    }
  }

  private decodeDoneAt(): number {
    const first = this.batch.peek();
    if (first === undefined) return Infinity;
    return this.progressAt + (first.finishesAtProgress - this.progress) * decodeStepSeconds(this.profile, this.batch.size);
  }

  /** Brings the decode progress (and the tokens generated) up to `t`, before the next completion. */
  catchUpTo(t: number): void {
    const n = this.batch.size;
    if (n > 0 && t > this.progressAt) {
      const gained = (t - this.progressAt) / decodeStepSeconds(this.profile, n);
      this.progress += gained;
      this.generatedTokens += gained * n;
    }
    if (t > this.progressAt) this.progressAt = t;
  }

  private completePrefill(onFirstToken: FirstTokenListener): void {
    const at = this.prefillDoneAt;
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
      this.prefillDoneAt = at + this.prefillQueue[this.prefillHead].promptTokens / this.profile.prefillTokensPerSecond;
    }
    this.catchUpTo(at);
    this.generatedTokens++;
    onFirstToken(seq, at);
    if (seq.decodeTokens <= 0) {
      this.release(seq);
      return;
    }
    seq.joinedAtProgress = this.progress;
    seq.finishesAtProgress = this.progress + seq.decodeTokens;
    this.joinedProgressSum += this.progress;
    this.batch.push(seq);
  }

  private finish(seq: RunningSequence): void {
    // An empty batch starts the sum afresh, so rounding does not build up over a long trace.
    this.joinedProgressSum = this.batch.size === 0 ? 0 : this.joinedProgressSum - seq.joinedAtProgress;
    this.release(seq);
  }

  private release(seq: RunningSequence): void {
    this.running--;
    if (seq.measured) this.measuredRunning--;
    this.promptTokens -= seq.promptTokens;
  }
}
