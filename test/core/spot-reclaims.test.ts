/**
 * Spot capacity in the simulator: which nodes launch on spot, when they are reclaimed, what an interruption
 * notice does to their replicas (drain cut at the reclaim, replacements at once), and how a comparison and
 * its report show it.
 */
import { POOL_FIXTURES } from '../fixtures/pools';
import {
  buildTokenAwareScaler, comparePolicies, comparisonTable, LLAMA_8B_ON_L4, NodePlacement, placeOnPool, poolSimulationOptions, resolveGpuNodePool,
  resolveLlmInferenceService, simulate, SimulationOptions, spotNote, staticPolicy, syntheticTrace, TraceRequest,
} from 'tokenscale';

const spotNodes = (onDemandNodes: number, reclaimsPerNodeHour: number, seed = 1) => {
  let x = seed;
  // A fixed sequence of uniform numbers, so the tests know each life: -ln(1 - u) hours over the rate.
  const random = () => (x = (x * 0.37 + 0.21) % 1);
  return { onDemandNodes, reclaimsPerNodeHour, noticeSeconds: 120, random };
};

describe('spot nodes in the pool (Karpenter: on-demand NodePool first, spot past its limit)', () => {
  test('nodes launch on-demand up to the limit, then on spot with a reclaim time and a notice 2 minutes before', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 60, emptyNodeSeconds: 300, spot: spotNodes(2, 1) });
    const [a, b, c] = [nodes.place(0)!, nodes.place(0)!, nodes.place(10)!];
    expect([a.spot, b.spot, c.spot]).toEqual([false, false, true]);
    expect(a.reclaimAtSeconds).toBe(Infinity);
    // The first draw of the sequence is 0.58: a life of -ln(0.42) hours from launch.
    expect(c.reclaimAtSeconds).toBeCloseTo(10 - Math.log(1 - 0.58) * 3600, 6);
    expect(c.noticeAtSeconds).toBeCloseTo(c.reclaimAtSeconds - 120, 6);
    expect(nodes.nextNoticeSeconds).toBe(c.noticeAtSeconds);
    expect(nodes.spotCount).toBe(1);
  });

  test('an on-demand node that goes frees its place: the next node launches on-demand again', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 60, emptyNodeSeconds: 0, spot: spotNodes(1, 1) });
    const a = nodes.place(0)!;
    expect(nodes.place(0)!.spot).toBe(true);
    nodes.release(a, 100);
    expect(nodes.place(100)!.spot).toBe(false);
  });

  test('under its notice a node takes no replica and goes once its last replica leaves; an empty one goes at once', () => {
    const nodes = new NodePlacement({ replicasPerNode: 2, provisioningSeconds: 0, emptyNodeSeconds: 3600, spot: spotNodes(0, 1) });
    const a = nodes.place(0)!;
    expect(nodes.place(0)).toBe(a);
    const c = nodes.place(0)!;
    nodes.release(c, 10);
    // Lives of -ln(0.42) and -ln(0.5754) hours: c's notice comes first, while it waits empty for consolidation.
    expect(c.noticeAtSeconds).toBeLessThan(a.noticeAtSeconds);
    expect(nodes.nextNoticeSeconds).toBe(c.noticeAtSeconds);
    expect(nodes.takeNoticed(c.noticeAtSeconds - 1)).toEqual([]);
    expect(nodes.takeNoticed(c.noticeAtSeconds)).toEqual([c]);
    expect(nodes.count).toBe(1);
    expect(nodes.nextNoticeSeconds).toBe(a.noticeAtSeconds);
    expect(nodes.takeNoticed(a.noticeAtSeconds)).toEqual([a]);
    expect(a.noticed).toBe(true);
    // A new replica goes to a new node, never to the noticed one, which goes when its two replicas have left.
    expect(nodes.place(a.noticeAtSeconds)).not.toBe(a);
    nodes.release(a, a.noticeAtSeconds + 5);
    expect(nodes.count).toBe(2);
    nodes.release(a, a.noticeAtSeconds + 6);
    expect(nodes.count).toBe(1);
  });

  test('by zone: nodes spread over the zones, and every spot node of a zone shares its zone\'s reclaim; a later node gets the next', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 0, emptyNodeSeconds: 0, spot: { ...spotNodes(0, 1), zones: 3 } });
    const placed = Array.from({ length: 6 }, () => nodes.place(0)!);
    expect(placed.map((n) => n.zone)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(placed[3].reclaimAtSeconds).toBe(placed[0].reclaimAtSeconds);
    expect(placed[4].reclaimAtSeconds).toBe(placed[1].reclaimAtSeconds);
    expect(new Set(placed.slice(0, 3).map((n) => n.reclaimAtSeconds)).size).toBe(3);
    // Zone 0's notice takes both of its nodes at once.
    const first = Math.min(...placed.map((n) => n.noticeAtSeconds));
    const noticed = nodes.takeNoticed(first);
    expect(noticed).toHaveLength(2);
    expect(new Set(noticed.map((n) => n.zone)).size).toBe(1);
    // A node launched in that zone once it takes spot launches again is reclaimed with the zone's next reclaim.
    const zone = noticed[0].zone;
    const later = nodes.place(first + 180)!;
    expect(later.zone).toBe(zone);
    expect(later.noticeAtSeconds).toBeGreaterThan(first);
  });

  test('by zone: after a notice, spot launches skip that zone for 3 minutes (Karpenter marks the offering unavailable)', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 0, emptyNodeSeconds: 0, spot: { ...spotNodes(0, 1), zones: 2 } });
    const [a, b] = [nodes.place(0)!, nodes.place(0)!];
    const [first, second] = a.noticeAtSeconds < b.noticeAtSeconds ? [a, b] : [b, a];
    const at = first.noticeAtSeconds;
    expect(nodes.takeNoticed(at)).toEqual([first]);
    // The noticed zone is the emptier one now, but a spot launch goes to the other.
    expect(nodes.place(at)!.zone).toBe(second.zone);
    expect(nodes.place(at + 179)!.zone).toBe(second.zone);
    expect(nodes.place(at + 180)!.zone).toBe(first.zone);
  });

  test('by zone: with every zone just noticed, a spot launch waits; an on-demand one does not', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 0, emptyNodeSeconds: 0, spot: { ...spotNodes(1, 1), zones: 1 } });
    const onDemand = nodes.place(0)!;
    const spot = nodes.place(0)!;
    expect([onDemand.spot, spot.spot]).toEqual([false, true]);
    expect(nodes.takeNoticed(spot.noticeAtSeconds)).toEqual([spot]);
    expect(nodes.place(spot.noticeAtSeconds + 1)).toBeUndefined();
    nodes.release(onDemand, spot.noticeAtSeconds + 2);
    expect(nodes.place(spot.noticeAtSeconds + 2)!.spot).toBe(false);
  });

  test('a rate of 0 launches spot nodes that are never reclaimed', () => {
    const nodes = new NodePlacement({ replicasPerNode: 1, provisioningSeconds: 0, emptyNodeSeconds: 0, spot: spotNodes(0, 0) });
    const a = nodes.place(0)!;
    expect(a.spot).toBe(true);
    expect(a.noticeAtSeconds).toBe(Infinity);
    expect(nodes.nextNoticeSeconds).toBe(Infinity);
  });
});

describe('simulated spot reclaims', () => {
  const trace = [...syntheticTrace({ seed: 5, durationSeconds: 3600, meanRatePerSecond: 2, burstsPerHour: 0 })];
  const base: Omit<SimulationOptions, 'policy'> = { profile: LLAMA_8B_ON_L4, initialReplicas: 4, drainSeconds: 71, replicaHourlyUsd: 1, ttftSloSeconds: 2.5 };
  const run = (extra: Partial<SimulationOptions> = {}, on: readonly TraceRequest[] = trace) => (
    simulate(on, { ...base, policy: staticPolicy(4), ...extra }));

  test('every node on-demand, or spot never reclaimed, serves as without spot; spot GPU-hours are counted', () => {
    const plain = run();
    const allOnDemand = run({ spot: { onDemandNodes: 4, reclaimsPerNodeHour: 5 } });
    const neverReclaimed = run({ spot: { onDemandNodes: 1, reclaimsPerNodeHour: 0 } });
    expect(allOnDemand).toEqual(plain);
    expect({ ...neverReclaimed, spotReplicaHours: 0 }).toEqual(plain);
    expect(plain).toMatchObject({ spotReplicaHours: 0, spotReclaims: 0, lostOnReclaim: 0 });
    // Three of the four nodes are spot.
    expect(neverReclaimed.spotReplicaHours / neverReclaimed.gpuReplicaHours).toBeCloseTo(0.75, 2);
  });

  test('spot replica-hours cost the spot price: the on-demand price times the ratio', () => {
    const r = run({ replicaHourlyUsd: 2, spot: { onDemandNodes: 1, reclaimsPerNodeHour: 0, priceRatio: 0.4 } });
    expect(r.costUsd).toBeCloseTo(2 * (r.gpuReplicaHours - r.spotReplicaHours) + 0.8 * r.spotReplicaHours, 1);
    expect(r.costUsd).toBeLessThan(2 * r.gpuReplicaHours * 0.6);
  });

  test('a reclaimed node\'s replicas are replaced at once: the serving count holds, every request is served', () => {
    const r = run({ spot: { onDemandNodes: 0, reclaimsPerNodeHour: 3 } });
    expect(r.spotReclaims).toBeGreaterThan(3);
    expect(r.requests).toBe(trace.length);
    expect(r.series.every((s) => s.replicas === 4)).toBe(true);
    // Answers fit the 71-s drain, shorter than the notice: nothing is cut.
    expect(r.lostOnReclaim).toBe(0);
    // Each reclaim costs a cold start on a new node beside the draining one.
    expect(r.gpuReplicaHours).toBeGreaterThan(run().gpuReplicaHours);
    expect(JSON.stringify(run({ spot: { onDemandNodes: 0, reclaimsPerNodeHour: 3 } }))).toBe(JSON.stringify(r));
    expect(JSON.stringify(run({ spot: { onDemandNodes: 0, reclaimsPerNodeHour: 3, seed: 2 } }))).not.toBe(JSON.stringify(r));
  });

  test('by zone, a node is reclaimed about as often as on its own, and every request is still served', () => {
    const opts = { replicasPerNode: 1, spot: { onDemandNodes: 0, reclaimsPerNodeHour: 2 } };
    const runs = [1, 2, 3, 4, 5, 6].map((seed) => [
      run({ ...opts, spot: { ...opts.spot, seed } }),
      run({ ...opts, spot: { ...opts.spot, seed, zones: 2 } }),
    ]);
    const total = (i: number) => runs.reduce((n, r) => n + r[i].spotReclaims, 0);
    // Four nodes, two hours in all: about 2 x 4 x 1.1 h x 6 seeds either way (not a tight bound: seeded draws).
    expect(total(1) / total(0)).toBeGreaterThan(0.5);
    expect(total(1) / total(0)).toBeLessThan(2);
    expect(runs.every(([, byZone]) => byZone.requests === trace.length)).toBe(true);
  });

  test('answers longer than the notice are cut at the reclaim, however long the drain window; on-demand they finish', () => {
    // Answers of 3,000 tokens take minutes to decode; a 10-minute drain window would let them finish.
    const long = Array.from({ length: 120 }, (_, i) => ({ arrivalSeconds: i * 30, promptTokens: 200, outputTokens: 3000 }));
    const reclaimed = run({ drainSeconds: 600, spot: { onDemandNodes: 0, reclaimsPerNodeHour: 3 } }, long);
    expect(reclaimed.spotReclaims).toBeGreaterThan(0);
    expect(reclaimed.lostOnReclaim).toBeGreaterThan(0);
    expect(reclaimed.lostOnScaleDown).toBe(0);
    const onDemand = run({ drainSeconds: 600 }, long);
    expect(onDemand.lostOnReclaim + onDemand.lostOnScaleDown).toBe(0);
  });
});

describe('spot in a comparison and its report', () => {
  const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
  const scaler = buildTokenAwareScaler({ signals: [{ kind: 'queueDepth', targetPerReplica: 5 }], maxReplicas: 6 }, service).spec;
  const trace = [...syntheticTrace({ seed: 9, durationSeconds: 1800, meanRatePerSecond: 2 })];
  const options = { scaler, profile: LLAMA_8B_ON_L4, gpuHourlyUsd: 1, ttftSloSeconds: 2.5, policies: ['tokenscale', 'static'] as const, foresight: false };

  test('without spot: no spot column, no note', () => {
    const c = comparePolicies(trace, options);
    expect(c.spot).toBeUndefined();
    expect(comparisonTable(c)).not.toContain('spot');
    expect(spotNote(c)).toBe('');
  });

  test('with reclaims: every policy meets the same pool, the table counts reclaims and cuts, the note names the spot GPU-hours', () => {
    const c = comparePolicies(trace, { ...options, spot: { onDemandNodes: 2, reclaimsPerNodeHour: 2, seed: 3 } });
    expect(c.spot).toEqual({ onDemandNodes: 2, reclaimsPerNodeHour: 2, seed: 3 });
    const table = comparisonTable(c).split('\n');
    expect(table[0]).toContain('| spot reclaims / lost at reclaim |');
    expect(table.every((line) => line.split('|').length === table[0].split('|').length)).toBe(true);
    const staticRun = c.results.find((r) => r.policy === 'static-6')!;
    expect(staticRun.spotReclaims).toBeGreaterThan(0);
    expect(staticRun.spotGpuHours).toBeGreaterThan(0);
    expect(table[3]).toContain(` ${staticRun.spotReclaims} / ${staticRun.lostOnReclaim} |`);
    expect(spotNote(c)).toContain('the pool launches 2 nodes on-demand, then spot');
    expect(spotNote(c)).toContain(`static-6 ${staticRun.spotReclaims} reclaims, ${staticRun.lostOnReclaim} request`);
    expect(spotNote(c)).toContain(`${staticRun.spotGpuHours.toFixed(2)} of ${staticRun.gpuHours.toFixed(2)} GPU-hours on spot`);
  });

  test('spot never reclaimed: the note says so and how to ask for reclaims, and how spot is priced', () => {
    const c = comparePolicies(trace, { ...options, spot: { onDemandNodes: 0, reclaimsPerNodeHour: 0 } });
    expect(spotNote(c)).toMatch(/^Spot: the pool launches every node on spot\. No spot node is reclaimed in this run; pass a reclaim rate/);
    expect(spotNote(c)).toContain('Costs price spot GPU-hours as on-demand ones: give the pool\'s spotPriceOverrides');
    const priced = comparePolicies(trace, { ...options, spot: { onDemandNodes: 0, reclaimsPerNodeHour: 0, priceRatio: 0.35 } });
    expect(spotNote(priced)).toContain('Costs price spot GPU-hours at 35% of on-demand (the pool\'s spotPriceOverrides).');
    const [own, cheap] = [c, priced].map((x) => x.results.find((r) => r.policy === 'static-6')!);
    expect(cheap.gpuHours).toBe(own.gpuHours);
    expect(cheap.costUsd).toBeCloseTo(own.costUsd * 0.35, 1);
  });
});

describe('a pool\'s spot capacity for the simulation', () => {
  const model = { name: 'llama', model: 'm/x' };
  test('on-demand: every node; spot: none; a burst pool: its on-demand GPUs less the other services\' floors, in whole nodes', () => {
    const onDemand = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12 });
    const onDemandService = resolveLlmInferenceService(placeOnPool(model, onDemand));
    expect(poolSimulationOptions(onDemandService, onDemand)).toMatchObject({ onDemandNodes: 12, hasSpot: false });
    const spot = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12, capacity: { kind: 'spot' } });
    expect(poolSimulationOptions(resolveLlmInferenceService(placeOnPool(model, spot)), spot)).toMatchObject({ onDemandNodes: 0, hasSpot: true });
    const burst = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12, capacity: { kind: 'onDemandFloorSpotBurst', onDemandGpus: 4 } });
    const service = resolveLlmInferenceService(placeOnPool(model, burst));
    const other = resolveLlmInferenceService(placeOnPool({ name: 'other', model: 'm/x' }, burst));
    expect(poolSimulationOptions(service, burst)).toMatchObject({ onDemandNodes: 4, maxNodes: 12, hasSpot: true, spotPriceRatio: 1 });
    // The replica's node is a g6.4xlarge ($1.3232 on-demand): its spot price sets the ratio.
    const priced = resolveGpuNodePool({ ...POOL_FIXTURES.minimal, gpuLimit: 12, capacity: { kind: 'spot' }, spotPriceOverrides: { 'g6.4xlarge': 0.5 } });
    expect(poolSimulationOptions(resolveLlmInferenceService(placeOnPool(model, priced)), priced)!.spotPriceRatio).toBeCloseTo(0.5 / 1.3232, 9);
    const withOther = poolSimulationOptions(service, burst, [{ service: other, minReplicas: 3, maxReplicas: 3 }]);
    expect(withOther).toMatchObject({ onDemandNodes: 1, maxNodes: 9 });
  });
});
