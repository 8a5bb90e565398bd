/**
 * Classic Prometheus histograms as the simulator's policies read them: observations counted into fixed
 * buckets (vLLM's `le` bounds), and `histogram_quantile` over the counts of a window, with Prometheus's
 * linear interpolation inside the bucket that holds the rank. Source: promql/quantile.go (bucketQuantile)
 * and the `histogram_quantile` documentation: the lowest bucket starts at 0, a rank in the +Inf bucket
 * returns the highest finite bound, no observations give NaN.
 */

/** Index of the bucket `value` falls in: the first bound >= value, or `bounds.length` for +Inf. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (value <= bounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `histogram_quantile(q, ...)` over per-bucket counts (not cumulative; `counts.length` is
 * `bounds.length + 1`, the last being +Inf). NaN when there are no observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return NaN;
  const rank = q * total;
  let below = 0;
  for (let b = 0; b < bounds.length; b++) {
    const inBucket = counts[b];
    if (below + inBucket >= rank) {
      if (b === 0 && bounds[0] <= 0) return bounds[0];
      const start = b === 0 ? 0 : bounds[b - 1];
      return start + (bounds[b] - start) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1];
}
