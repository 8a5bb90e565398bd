import { buildTokenAwareScaler, PolicyObservation, resolveLlmInferenceService, TTFT_BUCKETS_SECONDS, tokenscalePolicy } from 'tokenscale';

const quiet = (t: number, replicas: number): PolicyObservation => ({
  timeSeconds: t,
  currentReplicas: replicas,
  readyReplicas: replicas,
  waiting: 0,
  running: 0,
  arrivalRate: 0,
  kvCacheUsage: 0,
  ttftBucketCounts: new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0),
  generatedTokens: 0,
  periodSeconds: 15,
});

function replicasOver(policy: ReturnType<typeof tokenscalePolicy>, syncs: number, start: number): number[] {
  const seen: number[] = [];
  let replicas = start;
  for (let i = 1; i <= syncs; i++) {
    replicas = policy.decide(quiet(i * 15, replicas));
    seen.push(replicas);
  }
  return seen;
}

describe('the tokenscale policy reads its queries as KEDA and the HPA do', () => {
  const signals = [{ kind: 'queueDepth' as const, targetPerReplica: 5 }, { kind: 'timeToFirstToken' as const, targetSeconds: 1 }];

  test('an interactive service: a TTFT window without first tokens reads 0 while replicas report, and scale-down proceeds', () => {
    const service = resolveLlmInferenceService({ name: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const withTtft = tokenscalePolicy(buildTokenAwareScaler({ signals, maxReplicas: 8 }, service).spec);
    const queueOnly = tokenscalePolicy(buildTokenAwareScaler({ signals: [signals[0]], maxReplicas: 8 }, service).spec);
    // 40 quiet syncs (10 minutes): past the scale-down stabilization window.
    expect(replicasOver(queueOnly, 40, 6).at(-1)).toBe(2);
    expect(replicasOver(withTtft, 40, 6).at(-1)).toBe(2);
  });

  test('an interactive service: with no replica reporting, the queries are empty, an error: scale-down waits, then the fallback holds', () => {
    const service = resolveLlmInferenceService({ name: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const policy = tokenscalePolicy(buildTokenAwareScaler({ signals, maxReplicas: 8, fallbackReplicas: 4 }, service).spec);
    const seen: number[] = [];
    let replicas = 3;
    for (let i = 1; i <= 40; i++) {
      replicas = policy.decide({ ...quiet(i * 15, replicas), readyReplicas: 0 });
      seen.push(replicas);
    }
    // Three errors keep the count; from the fourth, KEDA's fallback reports max(current, 4) for each trigger.
    expect(seen.slice(0, 3)).toEqual([3, 3, 3]);
    expect(seen.at(-1)).toBe(4);
  });

  test('a batch service (ignoreNullValues): an empty TTFT query reads as no load and scale-down proceeds', () => {
    const service = resolveLlmInferenceService({ name: 'jobs', model: 'meta-llama/Llama-3.1-8B-Instruct', workload: 'batch' });
    const withTtft = tokenscalePolicy(buildTokenAwareScaler({ signals, maxReplicas: 8, minReplicas: 1 }, service).spec);
    expect(replicasOver(withTtft, 40, 6).at(-1)).toBe(1);
  });

  test('the TTFT signal proposes replicas x histogram_quantile / target over its window', () => {
    const service = resolveLlmInferenceService({ name: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    const policy = tokenscalePolicy(buildTokenAwareScaler({ signals: [signals[1]], maxReplicas: 8 }, service).spec);
    const counts = new Array<number>(TTFT_BUCKETS_SECONDS.length + 1).fill(0);
    counts[TTFT_BUCKETS_SECONDS.indexOf(2.5)] = 100; // every first token in (1, 2.5]: p95 interpolates to 2.425
    // 2 replicas x 2.425 / 1 = 4.85: ceil 5, within the scale-up policies (4 pods or 100% per 60 s).
    expect(policy.decide({ ...quiet(15, 2), ttftBucketCounts: counts })).toBe(5);
  });
});

describe('a KEDA scaler that rests at zero (minReplicaCount 0): KEDA moves between 0 and 1, its HPA from 1 up', () => {
  const service = resolveLlmInferenceService({ name: 'jobs', model: 'meta-llama/Llama-3.1-8B-Instruct', workload: 'batch' });
  const jobs = { kind: 'prometheusQuery' as const, name: 'jobs', query: 'sum(job_queue_depth)', targetPerReplica: 20, activationThreshold: 1 };
  const scaler = (signals: Parameters<typeof buildTokenAwareScaler>[0]['signals']) => buildTokenAwareScaler({ minReplicas: 0, maxReplicas: 8, signals }, service).spec;

  test('at zero it wakes to 1 when requests wait (its custom query stands for them), and stays at 0 while none do', () => {
    const policy = tokenscalePolicy(scaler([jobs, { kind: 'queueDepth', targetPerReplica: 20 }]));
    expect(policy.decide(quiet(15, 0))).toBe(0);
    expect(policy.decide({ ...quiet(30, 0), readyReplicas: 0, waiting: 500 })).toBe(1);
  });

  test('a replica still loading its model is kept while requests wait for it, though no vLLM query has data yet', () => {
    const policy = tokenscalePolicy(scaler([jobs, { kind: 'queueDepth', targetPerReplica: 20 }]));
    const seen = Array.from({ length: 40 }, (_, i) => policy.decide({ ...quiet((i + 1) * 15, 1), readyReplicas: 0, waiting: 500 }));
    expect(Math.min(...seen)).toBe(1);
  });

  test('with no trigger active it goes to zero after the 300-s cooldown, not before; its HPA never proposes zero', () => {
    const policy = tokenscalePolicy(scaler([jobs, { kind: 'queueDepth', targetPerReplica: 20 }]));
    // Active at 15 s (requests wait), then quiet: 0 once 300 s have passed since.
    const first = policy.decide({ ...quiet(15, 1), waiting: 10 });
    const seen = [first, ...Array.from({ length: 24 }, (_, i) => policy.decide(quiet((i + 2) * 15, 1)))];
    const zeroAt = (seen.indexOf(0) + 1) * 15;
    expect(seen.slice(0, seen.indexOf(0)).every((n) => n === 1)).toBe(true);
    expect(zeroAt).toBe(15 + 300);
  });

  test('while its replicas run requests it stays up, though nothing waits: the in-flight trigger keeps KEDA active', () => {
    const policy = tokenscalePolicy(scaler([jobs, { kind: 'queueDepth', targetPerReplica: 20 }]));
    // Eight replicas keep up with the load for half an hour: no queue, 100 requests running each.
    const seen = Array.from({ length: 120 }, (_, i) => policy.decide({ ...quiet((i + 1) * 15, 8), running: 800 }));
    expect(Math.min(...seen)).toBeGreaterThan(0);
    // The work done, it goes to zero after the cooldown.
    const after = Array.from({ length: 25 }, (_, i) => policy.decide(quiet((121 + i) * 15, 1)));
    expect(after.indexOf(0)).toBe(19);
  });

  test('the in-flight trigger is emitted for a KEDA scaler that rests at zero only, and never proposes more than one replica', () => {
    const resting = buildTokenAwareScaler({ minReplicas: 0, maxReplicas: 8, signals: [jobs, { kind: 'queueDepth', targetPerReplica: 20 }] }, service);
    const trigger = resting.scaledObject!.spec.triggers.find((t) => t.name === 'in-flight')!;
    expect(trigger.metadata.query).toBe('sum(vllm:num_requests_running{namespace="default",model_name="meta-llama/Llama-3.1-8B-Instruct"})');
    expect(trigger.metadata.activationThreshold).toBe('0');
    // More sequences than 8 replicas can run at vLLM's largest default --max-num-seqs (1,024): ceil(running / 8,192) <= 1.
    expect(trigger.metadata.threshold).toBe('8192');
    const capped = resolveLlmInferenceService({ name: 'jobs', model: 'meta-llama/Llama-3.1-8B-Instruct', workload: 'batch', maxNumSeqs: 64 });
    const cappedTrigger = buildTokenAwareScaler({ minReplicas: 0, maxReplicas: 8, signals: [jobs] }, capped).scaledObject!.spec.triggers.find((t) => t.name === 'in-flight')!;
    expect(cappedTrigger.metadata.threshold).toBe('512');
    const floored = buildTokenAwareScaler({ minReplicas: 1, maxReplicas: 8, signals: [jobs] }, service);
    expect(floored.scaledObject!.spec.triggers.map((t) => t.name)).toEqual(['jobs']);
  });

  test('without a custom query (a scheduled window wakes it), waiting requests do not wake it: nothing the simulation reads does', () => {
    const scheduled = buildTokenAwareScaler({
      minReplicas: 0,
      maxReplicas: 8,
      signals: [{ kind: 'queueDepth', targetPerReplica: 20 }],
      scheduled: [{ start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC', desiredReplicas: 2 }],
    }, service).spec;
    expect(tokenscalePolicy(scheduled).decide({ ...quiet(15, 0), readyReplicas: 0, waiting: 500 })).toBe(0);
  });
});
