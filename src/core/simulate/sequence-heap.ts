/**
 * A binary min-heap of running sequences keyed by the decode progress at which each one finishes: the
 * replica pops the sequences whose last token is decoded without scanning the batch.
 */

/** A request on a replica: admitted, prefilling or decoding. */
export interface RunningSequence {
  readonly arrivalSeconds: number;
  readonly promptTokens: number;
  /** Output tokens after the first (which the prefill produces). */
  readonly decodeTokens: number;
  /** Output tokens of the whole answer, the first included, kept across preemptions. */
  readonly answerTokens: number;
  /** Counted in the results (arrived after the warm-up). */
  readonly measured: boolean;
  /** Back after a preemption: its first token is already out (and its TTFT recorded). */
  readonly resumed: boolean;
  /** In its replica's decode batch (false before its prefill ends and once it finished or was preempted). */
  decoding: boolean;
  /** The replica's decode progress, in tokens per sequence, when this sequence joined the batch. */
  joinedAtProgress: number;
  /** The replica's decode progress at which this sequence has decoded its last token. */
  finishesAtProgress: number;
}

export class SequenceHeap {
  private readonly items: RunningSequence[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The sequence that finishes first, if any. */
  peek(): RunningSequence | undefined {
    return this.items[0];
  }

  push(seq: RunningSequence): void {
    const items = this.items;
    let i = items.length;
    items.push(seq);
    while (i > 0) {
      const parent = Math.floor((i - 1) / 2);
      if (items[parent].finishesAtProgress <= seq.finishesAtProgress) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = seq;
  }

  pop(): RunningSequence | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && items[right].finishesAtProgress < items[left].finishesAtProgress ? right : left;
      if (items[child].finishesAtProgress >= last.finishesAtProgress) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
