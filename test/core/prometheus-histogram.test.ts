import * as fc from 'fast-check';
import { bucketIndex, histogramQuantile, TTFT_BUCKETS_SECONDS } from 'tokenscale';

// histogram_quantile semantics: promql/quantile.go and the function's documentation.
describe('histogram_quantile as Prometheus computes it', () => {
  const bounds = [0.1, 0.5, 1];

  test('interpolates linearly inside the bucket that holds the rank', () => {
    // rank 50 of 100: 10 below 0.1, 40 below 0.5, so 10 of the 60 in (0.5, 1].
    expect(histogramQuantile(0.5, bounds, [10, 30, 60, 0])).toBeCloseTo(0.5 + 0.5 * (10 / 60), 12);
    // The lowest bucket starts at 0.
    expect(histogramQuantile(0.05, bounds, [10, 30, 60, 0])).toBeCloseTo(0.05, 12);
  });

  test('a rank in the +Inf bucket gives the highest finite bound; no observations give NaN', () => {
    expect(histogramQuantile(0.99, bounds, [0, 0, 1, 9])).toBe(1);
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeNaN();
    expect(histogramQuantile(-0.1, bounds, [1, 0, 0, 0])).toBe(-Infinity);
    expect(histogramQuantile(1.1, bounds, [1, 0, 0, 0])).toBe(Infinity);
  });

  test('bucketIndex puts a value on a bound in that bound\'s bucket (le is inclusive)', () => {
    expect(bucketIndex(TTFT_BUCKETS_SECONDS, 1.0)).toBe(TTFT_BUCKETS_SECONDS.indexOf(1.0));
    expect(bucketIndex(TTFT_BUCKETS_SECONDS, 1.0001)).toBe(TTFT_BUCKETS_SECONDS.indexOf(2.5));
    expect(bucketIndex(TTFT_BUCKETS_SECONDS, 1e9)).toBe(TTFT_BUCKETS_SECONDS.length);
  });

  test('over vLLM\'s TTFT buckets the estimate lies in the bucket of the exact quantile', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      (values, q) => {
        const counts = new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0);
        for (const v of values) counts[bucketIndex(TTFT_BUCKETS_SECONDS, v)]++;
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
        const b = bucketIndex(TTFT_BUCKETS_SECONDS, exact);
        const estimate = histogramQuantile(q, TTFT_BUCKETS_SECONDS, counts);
        const low = b === 0 ? 0 : TTFT_BUCKETS_SECONDS[b - 1];
        const high = b === TTFT_BUCKETS_SECONDS.length ? TTFT_BUCKETS_SECONDS[b - 1] : TTFT_BUCKETS_SECONDS[b];
        expect(estimate).toBeGreaterThanOrEqual(low - 1e-9);
        expect(estimate).toBeLessThanOrEqual(high + 1e-9);
      },
    ), { numRuns: 300, seed: 20261202 });
  });
});
