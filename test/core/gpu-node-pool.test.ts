import { POOL_FIXTURES } from '../fixtures/pools';
import {
  AWS_GPU_INSTANCES, buildGpuNodePool, cheapestGpuHourlyUsd, checkFit, costEnvelope, formatCostEnvelope, GPU_PRICE_SOURCE, GpuNodePoolSpec,
  gpuNodePoolIssues, KNOWN_MODELS, placeOnPool, poolCapacityIssues, replicaGpuHourlyUsd, replicaHost, resolveGpuNodePool, resolveLlmInferenceService,
  servicePoolIssues,
} from 'tokenscale';

const l4Pool = resolveGpuNodePool(POOL_FIXTURES.minimal);

describe('GPU catalog', () => {
  test('covers g4dn, g5, g6, g6e, p4d and p5 with a dated, sourced price', () => {
    expect(new Set(AWS_GPU_INSTANCES.map((i) => i.family))).toEqual(new Set(['g4dn', 'g5', 'g6', 'g6e', 'p4d', 'p5']));
    expect(GPU_PRICE_SOURCE).toEqual({ region: 'us-east-1', date: '2026-11-22', source: expect.stringContaining('aws.amazon.com/ec2/pricing') });
    for (const i of AWS_GPU_INSTANCES) expect(i.onDemandHourlyUsd).toBeGreaterThan(0);
  });
});

describe('model fit', () => {
  const a10g = AWS_GPU_INSTANCES.find((i) => i.instanceType === 'g5.xlarge')!;
  const h100 = AWS_GPU_INSTANCES.find((i) => i.instanceType === 'p5.48xlarge')!;
  const llama8 = KNOWN_MODELS['meta-llama/Llama-3.1-8B-Instruct'];
  const llama70 = KNOWN_MODELS['meta-llama/Llama-3.1-70B-Instruct'];

  test('an 8B BF16 model fits one 24 GB GPU at a short context', () => {
    const fit = checkFit({
      model: llama8, gpuCount: 1, gpuMemoryMiB: a10g.gpuMemoryMiB, gpuMemoryUtilization: 0.9, maxModelLen: 4096, maxNumSeqs: 8,
    });
    expect(fit.fits).toBe(true);
    expect(fit.weightsGiB).toBeCloseTo(14.96, 1);
    expect(fit.kvCacheGiB).toBeCloseTo(4, 5); // 4096 x 8 tokens x 128 KiB
  });

  test('but not at its full 128K context with many sequences', () => {
    expect(checkFit({ model: llama8, gpuCount: 1, gpuMemoryMiB: a10g.gpuMemoryMiB, gpuMemoryUtilization: 0.9, maxNumSeqs: 4 }).fits).toBe(false);
  });

  test('a 70B FP16 model does not fit one 80 GB GPU, and fits eight', () => {
    const model = { ...llama70, dtype: 'fp16' as const };
    expect(checkFit({ model, gpuCount: 1, gpuMemoryMiB: h100.gpuMemoryMiB, gpuMemoryUtilization: 0.9, maxModelLen: 8192 }).fits).toBe(false);
    const eight = { model, gpuCount: 8, gpuMemoryMiB: h100.gpuMemoryMiB, gpuMemoryUtilization: 0.9, maxModelLen: 8192, maxNumSeqs: 64 };
    expect(checkFit(eight).fits).toBe(true);
  });
});

describe('GpuNodePool spec validation', () => {
  const base = POOL_FIXTURES.minimal;
  it.each([
    ['an instance type is unknown', { instanceTypes: ['g9.huge'] }, 'instance-type-unknown', 'pool.instanceTypes[0]'],
    ['a family is unknown', { instanceFamilies: ['x9'] }, 'instance-family-unknown', 'pool.instanceFamilies[0]'],
    ['zones are empty', { zones: [] }, 'zones-empty', 'pool.zones'],
    ['both role and instanceProfile are set', { nodeClass: { clusterName: 'c', role: 'r', instanceProfile: 'p' } }, 'node-identity-invalid', 'pool.nodeClass.role'],
    ['neither role nor instanceProfile is set', { nodeClass: { clusterName: 'c' } }, 'node-identity-invalid', 'pool.nodeClass.role'],
    ['the AMI is @latest', { nodeClass: { clusterName: 'c', role: 'r', amiAlias: 'al2023@latest' } }, 'ami-unpinned', 'pool.nodeClass.amiAlias'],
    ['the GPU limit is 0', { gpuLimit: 0 }, 'gpu-limit-invalid', 'pool.gpuLimit'],
    // Found by the 1,000-run invalid-fleet sweep: without it the NodePool's limit was the string "undefined".
    ['the GPU limit is missing', { gpuLimit: undefined }, 'gpu-limit-missing', 'pool.gpuLimit'],
    ['a duration is malformed', { consolidateAfter: '10 minutes' }, 'duration-invalid', 'pool.consolidateAfter'],
    ['spot prices are set on a pool that launches no spot node', { spotPriceOverrides: { 'g6.xlarge': 0.3 } }, 'spot-price-unused', 'pool.spotPriceOverrides'],
    ['a spot price is above the on-demand one', { capacity: { kind: 'spot' }, spotPriceOverrides: { 'g6.xlarge': 0.9 } }, 'spot-price-above-on-demand',
      'pool.spotPriceOverrides.g6.xlarge'],
    ['a spot price is above a negotiated on-demand one', { capacity: { kind: 'spot' }, priceOverrides: { 'g6.xlarge': 0.5 }, spotPriceOverrides: { 'g6.xlarge': 0.6 } },
      'spot-price-above-on-demand', 'pool.spotPriceOverrides.g6.xlarge'],
    ['a spot price is 0', { capacity: { kind: 'spot' }, spotPriceOverrides: { 'g6.xlarge': 0 } }, 'price-invalid', 'pool.spotPriceOverrides.g6.xlarge'],
    ['a spot price names no catalog type', { capacity: { kind: 'spot' }, spotPriceOverrides: { 'g9.huge': 0.3 } }, 'instance-type-unknown', 'pool.spotPriceOverrides.g9.huge'],
    ['spot prices are not a map', { capacity: { kind: 'spot' }, spotPriceOverrides: [0.3] }, 'price-invalid', 'pool.spotPriceOverrides'],
  ])('fails when %s', (_what, patch, code, path) => {
    expect(gpuNodePoolIssues({ ...base, ...patch } as GpuNodePoolSpec).map((i) => [i.code, i.path])).toContainEqual([code, path]);
  });
});

test('spot prices at or below the on-demand ones pass on a pool with spot capacity', () => {
  const spot = { ...POOL_FIXTURES.minimal, capacity: { kind: 'onDemandFloorSpotBurst', onDemandGpus: 1 }, spotPriceOverrides: { 'g6.xlarge': 0.8048, 'g6.4xlarge': 0.45 } };
  expect(gpuNodePoolIssues(spot as GpuNodePoolSpec)).toEqual([]);
});

describe('services on pools', () => {
  const service = (patch: Record<string, unknown> = {}, pool = l4Pool) =>
    resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, ...patch }, pool));

  test('take their selector, toleration and zones from the pool', () => {
    const s = service();
    expect(s.placement.nodeSelector).toEqual({ 'tokenscale.io/gpu-pool': 'gpu' });
    expect(s.placement.zones).toEqual(['us-east-1a']);
    expect(servicePoolIssues(s, l4Pool)).toEqual([]);
  });

  test('fail when a replica needs more GPUs than any instance of the pool has', () => {
    expect(servicePoolIssues(service({ gpusPerReplica: 16, tensorParallelSize: 16 }), l4Pool).map((i) => i.code)).toContain('gpus-exceed-node');
  });

  test('fail when their zones are outside the pool', () => {
    const issues = servicePoolIssues(service({ placement: { zones: ['us-east-1a', 'us-west-2a'] } }), l4Pool);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'zones-outside-pool', value: ['us-west-2a'] }));
  });

  test('fail when the model does not fit, with the numbers in the message', () => {
    const issues = servicePoolIssues(service({ maxModelLen: undefined, maxNumSeqs: 16 }), l4Pool);
    const fit = issues.find((i) => i.code === 'model-does-not-fit')!;
    expect(fit.problem).toMatch(/on 1 x l4 \(g6\.\w+\) a replica needs [0-9.]+ GiB \(weights 15\.0 \+ KV cache 256\.0 for 16 x 131072 tokens \+ reserve 1\.5\) but has 20\.1 GiB/);
  });

  test('fail when max replicas exceed the pool GPU limit, or the limit is below one replica', () => {
    const s = service();
    expect(poolCapacityIssues(l4Pool, [{ service: s, minReplicas: 2, maxReplicas: 6 }]).issues).toEqual([
      expect.objectContaining({ code: 'gpu-limit-exceeded', path: 'pool.gpuLimit', value: 4 }),
    ]);
    const big = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, instanceFamilies: ['g6'], gpuLimit: 2 });
    const s4 = service({ gpusPerReplica: 4, tensorParallelSize: 4 }, big);
    expect(poolCapacityIssues(big, [{ service: s4, minReplicas: 1, maxReplicas: 1 }]).issues.map((i) => i.code)).toContain('gpu-limit-below-replica');
  });

  test('fail when an interactive minimum would run on spot, unless allowed', () => {
    const spot = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, capacity: { kind: 'spot' } });
    const s = service({}, spot);
    expect(poolCapacityIssues(spot, [{ service: s, minReplicas: 2, maxReplicas: 2 }]).issues.map((i) => i.code)).toEqual(['interactive-floor-on-spot']);
    const allowed = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, capacity: { kind: 'spot' }, allowSpotForInteractiveMinimum: true });
    expect(poolCapacityIssues(allowed, [{ service: s, minReplicas: 2, maxReplicas: 2 }]).issues).toEqual([]);
  });

  test('warn when the in-flight drain window is longer than the 2-minute spot notice; the grace period\'s buffer past it does not count', () => {
    const burst = resolveGpuNodePool(POOL_FIXTURES.burst);
    const slow = resolveLlmInferenceService(placeOnPool({ name: 'slow', model: 'm/x', drain: { maxOutputTokens: 4096 } }, burst));
    const { preStopSeconds, shutdownTimeoutSeconds } = slow.drain;
    expect(poolCapacityIssues(burst, [{ service: slow, minReplicas: 1, maxReplicas: 2 }]).warnings).toEqual([
      expect.stringContaining(`slow: the in-flight drain window (${preStopSeconds + shutdownTimeoutSeconds} s: preStop and --shutdown-timeout) is longer `
        + 'than the 2-minute spot notice; answers still running at a spot reclaim are cut'),
    ]);
    // A drain whose grace period passes 120 s only by its buffer: everything in flight ends before the reclaim.
    const buffered = resolveLlmInferenceService(placeOnPool({ name: 'ok', model: 'm/x', drain: { maxOutputTokens: 1000, decodeTokensPerSecond: 10 } }, burst));
    expect(buffered.drain.terminationGracePeriodSeconds).toBeGreaterThan(120);
    expect(buffered.drain.preStopSeconds + buffered.drain.shutdownTimeoutSeconds).toBeLessThanOrEqual(120);
    expect(poolCapacityIssues(burst, [{ service: buffered, minReplicas: 1, maxReplicas: 2 }]).warnings).toEqual([]);
  });
});

describe('cost envelope', () => {
  test('prices a replica at the node Karpenter launches for it: the cheapest type that holds one, not the cheapest GPU-hour', () => {
    const pool = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, instanceTypes: ['g6.4xlarge', 'g6.12xlarge'], gpuLimit: 8 });
    const s = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x' }, pool));
    // g6.12xlarge would hold 4 replicas at $1.1504 each, but every pending replica gets a node of its own (hostname
    // spread), launched as the cheapest type that fits it: a g6.4xlarge at $1.3232.
    expect(replicaHost(pool, s)).toMatchObject({ instance: { instanceType: 'g6.4xlarge' }, hourlyUsd: 1.3232, replicasPerNode: 1 });
    // The pool's cheapest GPU-hour is only a floor.
    expect(cheapestGpuHourlyUsd(pool)).toBeCloseTo(1.1504, 9);
    expect(replicaGpuHourlyUsd(pool, s)).toBeCloseTo(1.3232, 9);
    const env = costEnvelope([{ pool, services: [{ service: s, minReplicas: 2, maxReplicas: 6 }] }], 'test prices');
    expect(env.services[0]).toMatchObject({ gpuHourlyUsd: 1.32, monthlyUsdAtMin: 1931.87, monthlyUsdAtMax: 5795.62 });
    expect(env.pools[0]).toEqual({ name: 'gpu', gpuLimit: 8, gpuHourlyUsd: 1.32, monthlyUsdCap: Math.round(8 * 1.3232 * 730 * 100) / 100 });
  });

  test('shares a node among the replicas it holds: two 2-GPU replicas on a 4-GPU node, four 1-GPU ones when it is the only type', () => {
    const pool = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, instanceTypes: ['g6.12xlarge', 'g6.48xlarge'], gpuLimit: 16 });
    const pair = resolveLlmInferenceService(placeOnPool({ name: 'pair', model: 'm/x', gpusPerReplica: 2 }, pool));
    expect(replicaHost(pool, pair)).toMatchObject({ instance: { instanceType: 'g6.12xlarge' }, replicasPerNode: 2 });
    expect(replicaGpuHourlyUsd(pool, pair)).toBeCloseTo(4.6016 / 4, 9);
    const single = resolveLlmInferenceService(placeOnPool({ name: 'single', model: 'm/x' }, pool));
    expect(replicaHost(pool, single)).toMatchObject({ instance: { instanceType: 'g6.12xlarge' }, replicasPerNode: 4 });
    // Host CPU and memory bound the slots too: 40 vCPU per replica leaves room for one on a 48-vCPU node.
    const hungry = resolveLlmInferenceService(placeOnPool({ name: 'hungry', model: 'm/x', resources: { cpu: '40', memory: '32Gi' } }, pool));
    expect(replicaHost(pool, hungry)).toMatchObject({ instance: { instanceType: 'g6.12xlarge' }, replicasPerNode: 1 });
    expect(replicaGpuHourlyUsd(pool, hungry)).toBeCloseTo(4.6016, 9);
  });

  test('keeps on-demand prices on a spot pool, its upper bound, and names the spot prices it leaves out', () => {
    const pool = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 8, capacity: { kind: 'spot' }, spotPriceOverrides: { 'g6.4xlarge': 0.55 } });
    const s = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x', workload: 'batch' }, pool));
    const env = costEnvelope([{ pool, services: [{ service: s, minReplicas: 0, maxReplicas: 8 }] }], 'test prices');
    expect(env.services[0]).toMatchObject({ gpuHourlyUsd: 1.32 });
    expect(env.pools[0].spotPriceOverrides).toEqual({ 'g6.4xlarge': 0.55 });
    expect(formatCostEnvelope(env)).toContain('    spot prices (g6.4xlarge $0.55/h) are left out of this upper bound; the services\' spot estimates and `tokenscale simulate` use them');
    expect(costEnvelope([{ pool: l4Pool, services: [] }], 'x').pools[0]).not.toHaveProperty('spotPriceOverrides');
  });

  test('estimates a service at the pool\'s spot prices: replicas past the on-demand GPUs left by the other floors on spot', () => {
    const pool = resolveGpuNodePool({
      ...POOL_FIXTURES.minimal, gpuLimit: 12, capacity: { kind: 'onDemandFloorSpotBurst', onDemandGpus: 3 }, spotPriceOverrides: { 'g6.4xlarge': 0.5 },
    });
    const llama = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x' }, pool));
    const other = resolveLlmInferenceService(placeOnPool({ name: 'other', model: 'm/y' }, pool));
    const env = costEnvelope([{ pool, services: [{ service: llama, minReplicas: 2, maxReplicas: 8 }, { service: other, minReplicas: 1, maxReplicas: 2 }] }], 'x');
    const month = (onDemand: number, spot: number) => Math.round((onDemand * 1.3232 + spot * 0.5) * 730 * 100) / 100;
    // llama: 3 on-demand GPUs less other's floor of 1 leave it 2 on-demand replicas; other: 3 less llama's 2 leave 1.
    expect(env.services[0].withSpot).toEqual({ monthlyUsdAtMin: month(2, 0), monthlyUsdAtMax: month(2, 6), onDemandReplicas: 2 });
    expect(env.services[1].withSpot).toEqual({ monthlyUsdAtMin: month(1, 0), monthlyUsdAtMax: month(1, 1), onDemandReplicas: 1 });
    // An estimate, under the on-demand upper bound.
    expect(env.services[0].withSpot!.monthlyUsdAtMax).toBeLessThan(env.services[0].monthlyUsdAtMax);
    expect(formatCostEnvelope(env)).toContain(`    at the pool's spot prices (replicas past 2 on spot): $${month(2, 0).toLocaleString('en-US', { maximumFractionDigits: 0 })} .. `);
    // No spot price for the node, or no spot capacity: no estimate.
    const unpriced = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12, capacity: { kind: 'spot' } });
    const onUnpriced = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x', workload: 'batch' }, unpriced));
    expect(costEnvelope([{ pool: unpriced, services: [{ service: onUnpriced, minReplicas: 0, maxReplicas: 4 }] }], 'x').services[0]).not.toHaveProperty('withSpot');
    const onDemand = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x' }, l4Pool));
    expect(costEnvelope([{ pool: l4Pool, services: [{ service: onDemand, minReplicas: 1, maxReplicas: 4 }] }], 'x').services[0]).not.toHaveProperty('withSpot');
  });

  test('is monotonic in max replicas', () => {
    const s = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x' }, l4Pool));
    const at = (max: number) => costEnvelope([{ pool: l4Pool, services: [{ service: s, minReplicas: 1, maxReplicas: max }] }], 'x').services[0].monthlyUsdAtMax;
    for (let max = 1; max < 10; max++) expect(at(max + 1)).toBeGreaterThan(at(max));
  });
});

describe('GpuNodePool default configuration', () => {
  const built = buildGpuNodePool(POOL_FIXTURES.minimal);
  const np = built.nodePools[0] as any;
  const nc = built.nodeClass as any;

  test('on-demand g6 nodes in the given zones, NVIDIA, amd64, tainted, GPU-limited', () => {
    expect(np.spec.limits).toEqual({ 'nvidia.com/gpu': '4' });
    expect(np.spec.template.spec.requirements).toEqual([
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6'] },
      { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
    ]);
    expect(np.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
  });

  test('disruption: only empty nodes, after 10 minutes, 10% at a time; 720h expiry; 1h node grace', () => {
    expect(np.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '1m', budgets: [{ nodes: '10%' }] });
    expect(np.spec.template.spec.expireAfter).toBe('720h');
    expect(np.spec.template.spec.terminationGracePeriod).toBe('1h');
  });

  test('node class: pinned AL2023, IMDSv2 only, encrypted 200 GiB gp3 root, discovery tags', () => {
    expect(nc.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260903' }]);
    expect(nc.spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
    expect(nc.spec.blockDeviceMappings).toEqual([{ deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }]);
    expect(nc.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'prod' } }]);
    expect(nc.spec.role).toBe('KarpenterNodeRole-prod');
  });

  test('an on-demand floor with spot burst is two weighted pools splitting the GPU limit', () => {
    const burst = buildGpuNodePool(POOL_FIXTURES.burst).nodePools as any[];
    expect(burst.map((p) => [p.metadata.name, p.spec.weight, p.spec.limits['nvidia.com/gpu'], p.spec.template.spec.requirements[2].values])).toEqual([
      ['gpu-burst-on-demand', 100, '4', ['on-demand']],
      ['gpu-burst-spot', 10, '12', ['spot']],
    ]);
  });
});
