import { POOL_FIXTURES } from '../fixtures/pools';
import {
  LLAMA_8B_ON_L4, NodePlacement, placeOnPool, poolSimulationOptions, resolveGpuNodePool, resolveLlmInferenceService, simulate,
  SimulationOptions, syntheticTrace,
} from 'tokenscale';

const fourSlots = () => new NodePlacement({ replicasPerNode: 4, provisioningSeconds: 120, emptyNodeSeconds: 60 });

describe('where new replicas go (kube-scheduler and Karpenter)', () => {
  test('a burst of pending replicas gets a node each: a launching node that holds one of them takes no second', () => {
    const nodes = fourSlots();
    const placed = [nodes.place(0), nodes.place(0), nodes.place(0)];
    expect(nodes.count).toBe(3);
    expect(new Set(placed).size).toBe(3);
    expect(placed.every((n) => n!.upAtSeconds === 120)).toBe(true);
  });

  test('once up, a node takes more: kube-scheduler picks the one with the fewest of the service\'s replicas', () => {
    const nodes = fourSlots();
    const a = nodes.place(0)!;
    const b = nodes.place(0)!;
    expect(nodes.place(200)).toBe(a);
    expect(nodes.place(200)).toBe(b);
    expect(nodes.place(200)).toBe(a);
    expect(a.replicas).toBe(3);
    expect(nodes.count).toBe(2);
  });

  test('a launching node whose replica is gone takes the next pending one (Karpenter nominates it)', () => {
    const nodes = fourSlots();
    const a = nodes.place(0)!;
    nodes.release(a, 30);
    expect(nodes.place(40)).toBe(a);
    expect(a.emptyUntilSeconds).toBe(Infinity);
    expect(nodes.count).toBe(1);
  });

  test('an empty node stays until consolidateAfter passes, then goes; a replica placed meanwhile keeps it', () => {
    const nodes = fourSlots();
    const a = nodes.place(0)!;
    const b = nodes.place(0)!;
    nodes.release(a, 500);
    nodes.release(b, 520);
    expect(nodes.nextExpirySeconds).toBe(560);
    // The one nearest its removal is taken first.
    expect(nodes.place(530)).toBe(a);
    expect(nodes.nextExpirySeconds).toBe(580);
    nodes.removeExpired(579);
    expect(nodes.count).toBe(2);
    nodes.removeExpired(580);
    expect(nodes.count).toBe(1);
    expect(nodes.nextExpirySeconds).toBe(Infinity);
  });

  test('the pool\'s GPU limit caps the nodes: a replica with no slot and no node left stays pending', () => {
    const nodes = new NodePlacement({ replicasPerNode: 2, provisioningSeconds: 120, emptyNodeSeconds: 0, maxNodes: 1 });
    const a = nodes.place(0)!;
    expect(nodes.place(0)).toBeUndefined();
    expect(nodes.place(200)).toBe(a);
    expect(nodes.place(200)).toBeUndefined();
    nodes.release(a, 300);
    nodes.release(a, 300);
    expect(nodes.count).toBe(0);
  });
});

describe('a pool\'s options for simulating a service', () => {
  test('the default example: one replica per g6.4xlarge, priced at $1.3232 per GPU-hour, limits and consolidation from the pool', () => {
    const pool = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12, consolidateAfter: '1m' });
    const service = resolveLlmInferenceService(placeOnPool({ name: 'llama', model: 'm/x' }, pool));
    expect(poolSimulationOptions(service, pool)).toEqual({
      gpuHourlyUsd: 1.3232,
      nodeInstanceType: 'g6.4xlarge',
      replicasPerNode: 1,
      schedulableReplicas: 12,
      maxNodes: 12,
      emptyNodeSeconds: 60,
      onDemandNodes: 12,
      hasSpot: false,
      spotPriceRatio: 1,
      zones: 1,
    });
  });

  test('2-GPU replicas on 4-GPU nodes: two per node, the GPU limit in whole nodes, less the other services\' floors', () => {
    const pool = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, instanceTypes: ['g6.12xlarge'], gpuLimit: 16 });
    const pair = resolveLlmInferenceService(placeOnPool({ name: 'pair', model: 'm/x', gpusPerReplica: 2 }, pool));
    const other = resolveLlmInferenceService(placeOnPool({ name: 'other', model: 'm/x' }, pool));
    expect(poolSimulationOptions(pair, pool, [{ service: other, minReplicas: 4, maxReplicas: 4 }])).toMatchObject({
      replicasPerNode: 2, schedulableReplicas: 6, maxNodes: 3, gpuHourlyUsd: 4.6016 / 4,
    });
  });
});

describe('simulated nodes with several replicas each', () => {
  const trace = [...syntheticTrace({ seed: 3, durationSeconds: 1800, meanRatePerSecond: 2 })];
  const base: Omit<SimulationOptions, 'policy'> = {
    profile: { ...LLAMA_8B_ON_L4, nodeProvisioningSeconds: 120 }, initialReplicas: 1, drainSeconds: 71, replicaHourlyUsd: 1, ttftSloSeconds: 2.5,
  };
  // Up from 4 replicas (one full 4-slot node) to 8 at the first sync, all at once or one every five minutes.
  const burst = { name: 'burst', decide: () => 8 };
  const stepwise = { name: 'stepwise', decide: (o: { timeSeconds: number }) => Math.min(8, 4 + Math.floor(o.timeSeconds / 300)) };

  test('one replica per node bills what the replicas run, whatever the order they come in', () => {
    const a = simulate(trace, { ...base, initialReplicas: 4, policy: burst });
    const b = simulate(trace, { ...base, initialReplicas: 4, policy: burst, replicasPerNode: 1 });
    expect(b).toEqual(a);
  });

  test('a burst that finds no free slot launches a node per replica and bills every slot; replicas added one by one share a node', () => {
    const single = simulate(trace, { ...base, initialReplicas: 4, policy: burst });
    const burstOnFour = simulate(trace, { ...base, initialReplicas: 4, policy: burst, replicasPerNode: 4 });
    // The full first node and four nodes a quarter full: 20 slots billed for 8 replicas.
    expect(burstOnFour.series.at(-1)).toMatchObject({ replicas: 8, nodes: 5 });
    expect(burstOnFour.gpuReplicaHours / single.gpuReplicaHours).toBeCloseTo(2.5, 1);
    expect(burstOnFour.warmStarts).toBe(0);
    // Stepwise, the fifth replica launches a second node and the next three join it once it is up.
    const stepwiseOnFour = simulate(trace, { ...base, initialReplicas: 4, policy: stepwise, replicasPerNode: 4 });
    expect(stepwiseOnFour.warmStarts).toBe(3);
    expect(stepwiseOnFour.series.at(-1)).toMatchObject({ replicas: 8, nodes: 2 });
    expect(stepwiseOnFour.gpuReplicaHours).toBeLessThan(burstOnFour.gpuReplicaHours / 2);
  });

  test('replicas a node still launching cannot take go pending once the pool has no node left', () => {
    const capped = simulate(trace, { ...base, initialReplicas: 4, policy: burst, replicasPerNode: 4, maxNodes: 3 });
    // Two new nodes, one replica each while they launch; the last two wait.
    expect(capped.series.find((x) => x.t >= 60)).toMatchObject({ replicas: 6, nodes: 3 });
    expect(capped.blockedScaleUps).toBeGreaterThan(0);
    // Once the two new nodes are up, kube-scheduler fills their free slots: the rest are placed.
    expect(capped.series.at(-1)).toMatchObject({ replicas: 8, nodes: 3 });
  });

  test('a scale-down takes a replica that shares its node before one alone, and the emptier node stays', () => {
    // One replica per sync up to 3 (the second joins the first one's node, the third gets a node of its own),
    // then down to 2 at 400 s: the ReplicaSet controller removes one of the doubled-up pair, so both nodes stay.
    const shape = { name: 'shape', decide: (o: { timeSeconds: number }) => (o.timeSeconds < 400 ? Math.min(3, 1 + Math.floor(o.timeSeconds / 15)) : 2) };
    const onTwo = simulate(trace, { ...base, policy: shape, replicasPerNode: 2 });
    const at = (t: number) => onTwo.series.find((x) => x.t >= t)!;
    expect(at(300)).toMatchObject({ replicas: 3, nodes: 2 });
    expect(at(600)).toMatchObject({ replicas: 2, nodes: 2 });
    expect(onTwo.lostOnScaleDown).toBe(0);
  });
});
