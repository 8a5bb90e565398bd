/**
 * Latencies counted at millisecond resolution up to 65.535 s and at second resolution beyond (values past
 * ~18 h count in the last bucket): quantiles exact to the precision results are reported in (ms), in memory
 * that does not grow with the number of requests, for one array increment per value.
 */
const BUCKETS = 65536;

export class LatencyHistogram {
  /** Values recorded. */
  count = 0;
  private readonly millis = new Uint32Array(BUCKETS);
  private readonly seconds = new Uint32Array(BUCKETS);

  record(valueSeconds: number): void {
    const ms = Math.round(valueSeconds * 1000);
    if (ms < BUCKETS) this.millis[ms < 0 ? 0 : ms]++;
    else this.seconds[Math.min(BUCKETS - 1, Math.round(valueSeconds))]++;
    this.count++;
  }

  /** The value of rank floor(q x count) among the sorted values, rounded to its bucket; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.min(this.count - 1, Math.floor(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.millis[i];
      if (seen > rank) return i / 1000;
    }
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.seconds[i];
      if (seen > rank) return i;
    }
    return BUCKETS - 1;
  }
}
