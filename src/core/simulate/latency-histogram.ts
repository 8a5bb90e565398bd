/**
 * Latencies counted at a fine resolution (1 ms unless set) up to 65,536 of its steps, and at second
 * resolution beyond (values past ~18 h count in the last bucket): quantiles exact to the resolution results
 * are reported in, in memory that does not grow with the number of requests, for one array increment per
 * value.
 */
const BUCKETS = 65536;

export class LatencyHistogram {
  /** Values recorded. */
  count = 0;
  private readonly fine = new Uint32Array(BUCKETS);
  private readonly seconds = new Uint32Array(BUCKETS);
  private readonly stepsPerSecond: number;

  /**
   * @param stepsPerSecond fine buckets per second: 1000 (1 ms) for TTFT and queue waits; completion times,
   * tens of seconds long, at 100 (10 ms) keep their buckets in a tenth of the memory the simulation touches.
   */
  constructor(stepsPerSecond = 1000) {
    this.stepsPerSecond = stepsPerSecond;
  }

  record(valueSeconds: number): void {
    const step = Math.round(valueSeconds * this.stepsPerSecond);
    if (step < BUCKETS) this.fine[step < 0 ? 0 : step]++;
    else this.seconds[Math.min(BUCKETS - 1, Math.round(valueSeconds))]++;
    this.count++;
  }

  /** The value of rank floor(q x count) among the sorted values, rounded to its bucket; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.min(this.count - 1, Math.floor(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.fine[i];
      if (seen > rank) return i / this.stepsPerSecond;
    }
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.seconds[i];
      if (seen > rank) return i;
    }
    return BUCKETS - 1;
  }
}
