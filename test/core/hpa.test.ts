/**
 * The HPA arithmetic against the worked examples and algorithm description of the Kubernetes
 * documentation (https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/).
 */
import {
  DEFAULT_HPA_BEHAVIOR, EMPTY_HPA_MEMORY, HpaBehavior, HpaMemory, hpaSync, replicasForAverageValue, replicasForPodMetrics, replicasForRatio,
  scaleDownLimit, scaleUpLimit, stabilize,
} from 'tokenscale';

describe('HPA replica calculation', () => {
  it.each([
    // "if the current metric value is 200m, and the desired value is 100m, the number of replicas will be doubled"
    [200, 100, 4, 8],
    // "If the current value is instead 50m, you'll halve the number of replicas"
    [50, 100, 4, 2],
    // "skips any scaling action if the ratio is sufficiently close to 1.0 (within ... 0.1 by default)"
    [109, 100, 4, 4],
    [91, 100, 4, 4],
    [111, 100, 4, 5],
  ])('ratio %d/%d with %d pods gives %d replicas', (current, target, pods, expected) => {
    expect(replicasForRatio(current, target, pods, pods)).toBe(expected);
  });

  test('AverageValue divides the total by the per-replica target, independent of readiness', () => {
    expect(replicasForAverageValue(23, 5, 2)).toBe(5);
    expect(replicasForAverageValue(10.4, 5, 2)).toBe(2); // ratio 1.04: within tolerance
  });
});

describe('HPA per-pod metrics with unready and missing pods (the documentation\'s algorithm details)', () => {
  const cases: Array<[string, { ready: number[]; unready: number; missing: number }, number, number, number]> = [
    ['all ready, within the 10% tolerance: no change', { ready: [52, 48], unready: 0, missing: 0 }, 50, 2, 2],
    ['all ready, twice the target: ceil(2 x 2)', { ready: [100, 100], unready: 0, missing: 0 }, 50, 2, 4],
    ['scale-up with unready pods: they count as 0, and 0.9 is within tolerance', { ready: [90, 90], unready: 2, missing: 0 }, 50, 4, 4],
    ['scale-up with an unready pod: ceil(4/3 x 3)', { ready: [100, 100], unready: 1, missing: 0 }, 50, 3, 4],
    ['scale-down with missing pods: they count as the target, ceil(0.6 x 4)', { ready: [10, 10], unready: 0, missing: 2 }, 50, 4, 3],
    ['scale-up that missing pods reverse: no change', { ready: [60], unready: 0, missing: 1 }, 50, 2, 2],
    ['scale-down ignores unready pods', { ready: [10, 10], unready: 2, missing: 0 }, 50, 4, 1],
    ['no ready pod reports: no change', { ready: [], unready: 2, missing: 1 }, 50, 3, 3],
  ];
  it.each(cases)('%s', (_name, sample, target, current, expected) => {
    expect(replicasForPodMetrics(sample, target, current)).toBe(expected);
  });
});

describe('HPA scaling policies', () => {
  const down = (policies: HpaBehavior['scaleDown']['policies'], selectPolicy: 'Max' | 'Min' | 'Disabled' = 'Max') =>
    ({ stabilizationWindowSeconds: 0, selectPolicy, policies });
  const docPolicies = [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }, { type: 'Percent' as const, value: 10, periodSeconds: 60 }];

  test('the documented scale-down: 80 -> 72 -> 64 (10%), then 4 pods at a time below 40', () => {
    expect(scaleDownLimit(0, 80, EMPTY_HPA_MEMORY, down(docPolicies))).toBe(72);
    // "when the number of replicas is 72, 10% of the pods is 7.2 but the number is rounded up to 8"
    expect(scaleDownLimit(0, 72, EMPTY_HPA_MEMORY, down(docPolicies))).toBe(64);
    expect(scaleDownLimit(0, 39, EMPTY_HPA_MEMORY, down(docPolicies))).toBe(35);
  });

  test('selectPolicy Min picks the smallest change; Disabled forbids the direction', () => {
    expect(scaleDownLimit(0, 80, EMPTY_HPA_MEMORY, down(docPolicies, 'Min'))).toBe(76);
    expect(scaleDownLimit(0, 80, EMPTY_HPA_MEMORY, down(docPolicies, 'Disabled'))).toBe(80);
  });

  test('the default scale-up adds 4 pods or 100% every 15 s, whichever is more', () => {
    expect(scaleUpLimit(0, 2, EMPTY_HPA_MEMORY, DEFAULT_HPA_BEHAVIOR.scaleUp)).toBe(6);
    expect(scaleUpLimit(0, 10, EMPTY_HPA_MEMORY, DEFAULT_HPA_BEHAVIOR.scaleUp)).toBe(20);
  });

  test('a period counts the changes already made in it (event history)', () => {
    const memory: HpaMemory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [{ timeSeconds: 30, replicas: 8 }] };
    // 72 now, 8 removed 30 s ago: the period started at 80, so 10% allows nothing more until it ends.
    expect(scaleDownLimit(60, 72, memory, down(docPolicies))).toBe(72);
    expect(scaleDownLimit(91, 72, memory, down(docPolicies))).toBe(64);
  });
});

describe('HPA stabilization', () => {
  test('scale down uses the highest recommendation of the window', () => {
    const recommendations = [{ timeSeconds: 100, replicas: 9 }, { timeSeconds: 200, replicas: 6 }];
    const memory: HpaMemory = { recommendations, scaleUpEvents: [], scaleDownEvents: [] };
    expect(stabilize(390, 10, 3, memory, DEFAULT_HPA_BEHAVIOR)).toBe(9);
    expect(stabilize(401, 10, 3, memory, DEFAULT_HPA_BEHAVIOR)).toBe(6); // the 9 left the 300 s window
  });

  test('a full sync: up fast, down only after the window, one policy step at a time', () => {
    const behavior: HpaBehavior = {
      scaleUp: DEFAULT_HPA_BEHAVIOR.scaleUp,
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] },
    };
    let memory = EMPTY_HPA_MEMORY;
    let replicas = 2;
    const step = (t: number, proposal: number) => {
      const r = hpaSync(t, replicas, proposal, 1, 10, memory, behavior);
      replicas = r.replicas;
      memory = r.memory;
      return replicas;
    };
    expect(step(0, 12)).toBe(6); // max(2 + 4, 2 x 2)
    expect(step(15, 12)).toBe(10); // next period; capped at maxReplicas
    expect(step(30, 2)).toBe(10); // the window still holds 12
    expect(step(90, 2)).toBe(9); // window passed: one pod per 30 s
    expect(step(105, 2)).toBe(9);
    expect(step(121, 2)).toBe(8);
  });
});
