/**
 * The HPA arithmetic against the upstream controller's own test tables (kubernetes/kubernetes,
 * pkg/controller/podautoscaler): `TestScalingWithRules` in horizontal_test.go (rate limits with scale-event
 * history, through `convertDesiredReplicasWithBehaviorRate`) and the `TestReplicaCalc*` cases of
 * replica_calculator_test.go that a per-pod sample expresses (CPU requests of 1.0, so a level of 500m is
 * 50% utilization). Case names are upstream's.
 */
import {
  DEFAULT_HPA_BEHAVIOR, HpaBehavior, HpaMemory, HpaRules, limitRate, replicasForPodMetrics, ScaleEvent,
} from 'tokenscale';

const NOW = 10_000;

/** upstream generateScalingRules: a Pods and/or Percent policy, selectPolicy Max. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, stabilization: number): HpaRules {
  return {
    stabilizationWindowSeconds: stabilization,
    selectPolicy: 'Max',
    policies: [
      ...(pods !== 0 ? [{ type: 'Pods' as const, value: pods, periodSeconds: podsPeriod }] : []),
      ...(percent !== 0 ? [{ type: 'Percent' as const, value: percent, periodSeconds: percentPeriod }] : []),
    ],
  };
}

/** upstream generateEventsUniformDistribution: events centred in equal segments of the last `period` seconds. */
function uniform(changes: number[], period = 120): ScaleEvent[] {
  const segment = period / changes.length;
  return changes.map((replicas, i) => ({ timeSeconds: NOW - (period - segment * (i + 1) + segment / 2), replicas }));
}

interface RulesCase {
  name: string;
  up?: number[];
  down?: number[];
  min: number;
  max: number;
  scaleUp?: HpaRules;
  scaleDown?: HpaRules;
  current: number;
  desired: number;
  expected: number;
}

const scalingWithRules: RulesCase[] = [
  { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7 },
  { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2 },
  { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, expected: 0 },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, expected: 10 },
  { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, expected: 150 },
  {
    name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
    current: 3,
    desired: 1000,
    min: 1,
    max: 2000,
    scaleUp: rules(0, 0, 1, 60, 0),
    expected: 4,
  },
  { name: 'scaleUp with default behavior', current: 10, desired: 50, min: 1, max: 1000, expected: 20 },
  { name: 'scaleUp with pods policy larger than percent policy', current: 10, desired: 500, min: 1, max: 1000, scaleUp: rules(100, 60, 100, 60, 0), expected: 110 },
  { name: 'scaleUp with percent policy larger than pods policy', current: 10, desired: 500, min: 1, max: 1000, scaleUp: rules(2, 60, 100, 60, 0), expected: 20 },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', current: 10, desired: 50, min: 1, max: 1000, scaleUp: rules(100, 60, 0, 0, 0), expected: 50 },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large percent policy',
    current: 10,
    desired: 50,
    min: 1,
    max: 1000,
    scaleUp: rules(10000, 60, 0, 0, 0),
    expected: 50,
  },
  { name: 'scaleUp with pod policy limitation', current: 10, desired: 50, min: 1, max: 1000, scaleUp: rules(30, 60, 0, 0, 0), expected: 40 },
  { name: 'scaleUp with percent policy limitation', current: 10, desired: 50, min: 1, max: 1000, scaleUp: rules(0, 0, 200, 60, 0), expected: 30 },
  {
    name: 'scaleDown with percent policy larger than pod policy',
    current: 100,
    desired: 2,
    min: 1,
    max: 1000,
    scaleDown: rules(20, 60, 1, 60, 300),
    expected: 80,
  },
  {
    name: 'scaleDown with pod policy larger than percent policy',
    current: 100,
    desired: 2,
    min: 1,
    max: 1000,
    scaleDown: rules(2, 60, 1, 60, 300),
    expected: 98,
  },
  {
    name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy',
    current: 10,
    desired: 0,
    min: 1,
    max: 1000,
    scaleDown: rules(100, 60, 0, 0, 300),
    expected: 1,
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large percent policy',
    current: 10,
    desired: 2,
    min: 5,
    max: 1000,
    scaleDown: rules(0, 0, 100, 60, 300),
    expected: 5,
  },
  { name: 'scaleDown with pod policy limitation', current: 10, desired: 2, min: 1, max: 1000, scaleDown: rules(5, 60, 0, 0, 300), expected: 5 },
  { name: 'scaleDown with percent policy limitation', current: 10, desired: 5, min: 1, max: 1000, scaleDown: rules(0, 0, 50, 60, 300), expected: 5 },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events',
    up: [1, 5, 9],
    current: 100,
    desired: 500,
    min: 1,
    max: 200,
    scaleUp: rules(300, 60, 0, 0, 0),
    expected: 200,
  },
  {
    name: 'scaleUp with spec MaxReplicas limitation with large percent policy and events',
    up: [1, 5, 9],
    current: 100,
    desired: 500,
    min: 1,
    max: 200,
    scaleUp: rules(0, 0, 10000, 60, 0),
    expected: 200,
  },
  {
    name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
    up: [1, 5, 9],
    current: 100,
    desired: 500,
    min: 1,
    max: 1000,
    scaleUp: rules(5, 120, 0, 0, 0),
    expected: 100,
  },
  {
    name: 'scaleUp with pod policy and previous scale up events',
    up: [1, 5, 9],
    current: 100,
    desired: 500,
    min: 1,
    max: 1000,
    scaleUp: rules(150, 120, 0, 0, 0),
    expected: 235,
  },
  {
    name: 'scaleUp with percent policy and previous scale up events',
    up: [1, 5, 9],
    current: 100,
    desired: 500,
    min: 1,
    max: 1000,
    scaleUp: rules(0, 0, 200, 120, 0),
    expected: 255,
  },
  {
    name: 'scaleUp with percent policy and previous scale up and down events',
    up: [4],
    down: [2],
    current: 6,
    desired: 24,
    min: 1,
    max: 1000,
    scaleUp: rules(0, 0, 300, 300, 0),
    expected: 16,
  },
  { name: 'scaleDown with default policy and previous events', down: [1, 5, 9], current: 10, desired: 5, min: 1, max: 1000, expected: 5 },
  {
    name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
    down: [1, 5, 9],
    current: 100,
    desired: 0,
    min: 1,
    max: 1000,
    scaleDown: rules(115, 120, 0, 0, 300),
    expected: 1,
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large pod policy and previous events',
    down: [1, 5, 9],
    current: 100,
    desired: 0,
    min: 5,
    max: 1000,
    scaleDown: rules(130, 120, 0, 0, 300),
    expected: 5,
  },
  {
    name: 'scaleDown with spec MinReplicas limitation with large percent policy and previous events',
    down: [1, 5, 9],
    current: 100,
    desired: 2,
    min: 5,
    max: 1000,
    scaleDown: rules(0, 0, 100, 120, 300),
    expected: 5,
  },
  {
    name: 'scaleDown with pod policy limitation and previous events',
    down: [1, 5, 9],
    current: 100,
    desired: 2,
    min: 1,
    max: 1000,
    scaleDown: rules(5, 120, 0, 0, 300),
    expected: 100,
  },
  {
    name: 'scaleDown with percent policy limitation and previous events',
    down: [2, 4, 6],
    current: 100,
    desired: 0,
    min: 1,
    max: 1000,
    scaleDown: rules(0, 0, 50, 120, 300),
    expected: 56,
  },
  {
    name: 'scaleDown with percent policy and previous scale up and down events',
    up: [2],
    down: [4],
    current: 10,
    desired: 1,
    min: 1,
    max: 1000,
    scaleDown: rules(0, 0, 50, 180, 0),
    expected: 6,
  },
  {
    name: 'scaleDown with previous events preventing further scale down',
    down: [10, 10, 10],
    current: 100,
    desired: 0,
    min: 1,
    max: 1000,
    scaleDown: rules(0, 0, 10, 120, 300),
    expected: 100,
  },
  {
    name: 'scaleDown with with previous events still allowing more scale down',
    down: [10, 10, 10],
    current: 10,
    desired: 5,
    min: 1,
    max: 1000,
    scaleDown: rules(0, 0, 1000, 120, 300),
    expected: 5,
  },
  {
    name: "check 'outdated' flag for events for one behavior for up",
    up: [8, 12, 9, 11],
    current: 100,
    desired: 200,
    min: 1,
    max: 1000,
    scaleUp: rules(1000, 60, 0, 0, 0),
    expected: 200,
  },
  {
    name: "check that events were not marked 'outdated' for two different policies in the behavior for up",
    up: [8, 12, 9, 11],
    current: 100,
    desired: 200,
    min: 1,
    max: 1000,
    scaleUp: rules(1000, 120, 100, 60, 0),
    expected: 200,
  },
  {
    name: "check that events were marked 'outdated' for two different policies in the behavior for up",
    up: [8, 12, 9, 11],
    current: 100,
    desired: 200,
    min: 1,
    max: 1000,
    scaleUp: rules(1000, 30, 100, 60, 0),
    expected: 200,
  },
  {
    name: "check 'outdated' flag for events for one behavior for down",
    down: [8, 12, 9, 11],
    current: 100,
    desired: 5,
    min: 1,
    max: 1000,
    scaleDown: rules(1000, 60, 0, 0, 300),
    expected: 5,
  },
  {
    name: "check that events were not marked 'outdated' for two different policies in the behavior for down",
    down: [8, 12, 9, 11],
    current: 100,
    desired: 5,
    min: 1,
    max: 1000,
    scaleDown: rules(1000, 120, 100, 60, 300),
    expected: 5,
  },
  {
    name: "check that events were marked 'outdated' for two different policies in the behavior for down",
    down: [8, 12, 9, 11],
    current: 100,
    desired: 5,
    min: 1,
    max: 1000,
    scaleDown: rules(1000, 30, 100, 60, 300),
    expected: 5,
  },
];

describe('TestScalingWithRules (horizontal_test.go)', () => {
  it.each(scalingWithRules.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Unset rules take upstream's defaults (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules).
    const behavior: HpaBehavior = { scaleUp: c.scaleUp ?? DEFAULT_HPA_BEHAVIOR.scaleUp, scaleDown: c.scaleDown ?? DEFAULT_HPA_BEHAVIOR.scaleDown };
    const memory: HpaMemory = { recommendations: [], scaleUpEvents: uniform(c.up ?? []), scaleDownEvents: uniform(c.down ?? []) };
    expect(limitRate(NOW, c.current, c.desired, c.min, c.max, memory, behavior)).toBe(c.expected);
  });
});

describe('TestReplicaCalc* (replica_calculator_test.go)', () => {
  const cases: Array<[string, { ready: number[]; unready: number; missing: number }, number, number, 'Resource' | 'Pods', number]> = [
    ['TestReplicaCalcScaleUpCM', { ready: [20000, 10000, 30000], unready: 0, missing: 0 }, 15000, 3, 'Pods', 4],
    // Readiness only sets CPU samples aside: the unready pod's custom metric counts.
    ['TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', { ready: [50000, 10000, 30000], unready: 0, missing: 0 }, 15000, 3, 'Pods', 6],
    ['TestReplicaCalcScaleDownCM', { ready: [12000, 12000, 12000, 12000, 12000], unready: 0, missing: 0 }, 20000, 5, 'Pods', 3],
    ['TestReplicaCalcToleranceCM', { ready: [20000, 21000, 21000], unready: 0, missing: 0 }, 20000, 3, 'Pods', 3],
    ['TestReplicaCalcScaleDown', { ready: [10, 30, 50, 25, 25], unready: 0, missing: 0 }, 50, 5, 'Resource', 3],
    ['TestReplicaCalcScaleDownIncludeUnreadyPods', { ready: [10, 30, 50], unready: 2, missing: 0 }, 50, 5, 'Resource', 2],
    ['TestReplicaCalcScaleDownExcludeUnscheduledPods', { ready: [10], unready: 4, missing: 0 }, 50, 5, 'Resource', 1],
    ['TestReplicaCalcMissingMetricsNoChangeEq', { ready: [100], unready: 0, missing: 1 }, 100, 2, 'Resource', 2],
    ['TestReplicaCalcMissingMetricsNoChangeGt', { ready: [190], unready: 0, missing: 1 }, 100, 2, 'Resource', 2],
    ['TestReplicaCalcMissingMetricsNoChangeLt', { ready: [60], unready: 0, missing: 1 }, 100, 2, 'Resource', 2],
    ['TestReplicaCalcMissingMetricsUnreadyChange', { ready: [45], unready: 1, missing: 1 }, 50, 3, 'Resource', 3],
    ['TestReplicaCalcMissingMetricsUnreadyScaleUp', { ready: [200], unready: 1, missing: 1 }, 50, 3, 'Resource', 4],
    // Missing pods count as 100% of their request on a scale-down of a Resource metric, not as the target.
    ['TestReplicaCalcMissingMetricsUnreadyScaleDown', { ready: [10, 10], unready: 1, missing: 1 }, 50, 4, 'Resource', 3],
  ];
  it.each(cases)('%s', (_name, sample, target, current, source, expected) => {
    expect(replicasForPodMetrics(sample, target, current, undefined, source)).toBe(expected);
  });
});
