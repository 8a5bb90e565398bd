/**
 * The simulator's place in a trace: the next request, read ahead in blocks. An array is read where it is;
 * any other iterable (a file reader, a generator) is drained a block at a time into a reused array, so the
 * event loop reads an array slot per arrival and the iterator's calls run in a small loop of their own.
 * Memory stays flat: a block holds at most `BLOCK_REQUESTS` requests, whatever the trace's length.
 */
import type { TraceRequest } from './trace';

/** Requests read ahead from an iterator at a time. */
export const BLOCK_REQUESTS = 1024;

/** A cursor over a trace, at its first request once constructed. */
export class TraceCursor {
  /** True once every request has been taken. */
  done = false;
  /** The next request; only meaningful while not `done`. */
  next: TraceRequest = { arrivalSeconds: 0, promptTokens: 0, outputTokens: 0 };

  private readonly iterator: Iterator<TraceRequest> | undefined;
  private readonly block: TraceRequest[];
  private index = 0;
  private length: number;

  constructor(trace: Iterable<TraceRequest>) {
    if (Array.isArray(trace)) {
      this.iterator = undefined;
      this.block = trace;
      this.length = trace.length;
    } else {
      this.iterator = trace[Symbol.iterator]();
      this.block = [];
      this.length = 0;
    }
    this.advance();
  }

  /** Moves to the request after `next` (sets `done` after the last). */
  advance(): void {
    if (this.index === this.length && this.iterator !== undefined) this.readBlock(this.iterator);
    if (this.index < this.length) this.next = this.block[this.index++];
    else this.done = true;
  }

  private readBlock(iterator: Iterator<TraceRequest>): void {
    let n = 0;
    for (; n < BLOCK_REQUESTS; n++) {
      const r = iterator.next();
      if (r.done) break;
      this.block[n] = r.value;
    }
    // Drop what the last block held beyond this one, so no request outlives its turn.
    this.block.length = n;
    this.index = 0;
    this.length = n;
  }
}
