import * as fc from 'fast-check';
import { BLOCK_REQUESTS, TraceCursor, TraceRequest } from 'tokenscale';

function requests(n: number): TraceRequest[] {
  return Array.from({ length: n }, (_, i) => ({ arrivalSeconds: i / 10, promptTokens: i, outputTokens: 2 * i }));
}

function taken(cursor: TraceCursor): TraceRequest[] {
  const out: TraceRequest[] = [];
  for (; !cursor.done; cursor.advance()) out.push(cursor.next);
  return out;
}

describe('TraceCursor', () => {
  test('an array and a generator over it give the same requests, across block boundaries', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 * BLOCK_REQUESTS + 5 }), (n) => {
      const trace = requests(n);
      function* streamed() {
        yield* trace;
      }
      expect(taken(new TraceCursor(trace))).toEqual(trace);
      expect(taken(new TraceCursor(streamed()))).toEqual(trace);
    }), { numRuns: 25, seed: 20261202 });
  });

  test('an empty trace is done at once', () => {
    expect(new TraceCursor([]).done).toBe(true);
    expect(new TraceCursor(new Set<TraceRequest>()).done).toBe(true);
  });

  test('reads an iterator at most one block ahead of the request it is at', () => {
    let pulled = 0;
    function* counted() {
      for (const r of requests(10 * BLOCK_REQUESTS)) {
        pulled++;
        yield r;
      }
    }
    const cursor = new TraceCursor(counted());
    for (let i = 0; i < 2 * BLOCK_REQUESTS + 3; i++) {
      expect(pulled - i).toBeLessThanOrEqual(BLOCK_REQUESTS);
      expect(cursor.next.promptTokens).toBe(i);
      cursor.advance();
    }
  });

  test('an error of the reader reaches the caller', () => {
    function* failing() {
      yield* requests(5);
      throw new Error('line 7: malformed');
    }
    expect(() => taken(new TraceCursor(failing()))).toThrow('line 7: malformed');
  });
});
