/**
 * A service placed on a GPU pool: its placement comes from the pool, and the two are checked against each
 * other (GPUs per node, zones, model fit, GPU limit, capacity type, drain versus node grace and spot notice).
 */
import { GpuInstanceType, gpuHourlyUsd } from '../catalog/aws-gpu-instances';
import { checkFit, describeFit } from '../catalog/model-fit';
import * as d from '../defaults';
import { inFlightDrainSeconds } from '../drain';
import type { SpecIssue } from '../errors';
import type { ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import { maxGpusPerNode } from '../spec/gpu-node-pool';
import type { LlmInferenceServiceSpec, ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** Parses a CPU or memory quantity into cores or MiB. */
export function parseQuantity(q: string, unit: 'cores' | 'MiB'): number {
  const m = q.match(/^([0-9.]+)([a-zA-Z]*)$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  const factors: Record<string, number> = unit === 'cores'
    ? { '': 1, 'm': 1e-3 }
    : { 'Ki': 1 / 1024, 'Mi': 1, 'Gi': 1024, 'Ti': 1024 * 1024, 'K': 1e3 / 1048576, 'M': 1e6 / 1048576, 'G': 1e9 / 1048576, '': 1 / 1048576 };
  return factors[m[2]] === undefined ? NaN : n * factors[m[2]];
}

// A node's system reserve (an assumption): what the kubelet, the OS and the daemons take.
const NODE_RESERVED_VCPU = 0.5;
const NODE_ALLOCATABLE_MEMORY_SHARE = 0.9;

/**
 * Instance types of a pool a replica can land on: enough GPUs, and room for its CPU and memory requests
 * next to the node's system reserve (assumed 0.5 vCPU and 10% of memory).
 */
export function instancesForReplica(pool: ResolvedGpuNodePool, service: ResolvedLlmInferenceService): GpuInstanceType[] {
  const cpu = parseQuantity(service.resources.cpu, 'cores');
  const mem = parseQuantity(service.resources.memory, 'MiB');
  return pool.instances.filter((i) => i.gpuCount >= service.gpusPerReplica
    && i.vcpu - NODE_RESERVED_VCPU >= cpu && i.memoryMiB * NODE_ALLOCATABLE_MEMORY_SHARE >= mem);
}

/** The node a replica of a service lands on, as Karpenter launches it. */
export interface ReplicaHost {
  /** The instance type Karpenter launches for a pending replica. */
  readonly instance: GpuInstanceType;
  /** Its price per instance-hour, with the pool's overrides applied. */
  readonly hourlyUsd: number;
  /** Replicas of the service one such node holds (GPUs, CPU and memory). */
  readonly replicasPerNode: number;
}

/**
 * The node Karpenter launches for a pending replica: the cheapest instance type of the pool that holds one.
 *
 * A replica's pods spread over hosts (`kubernetes.io/hostname`, maxSkew 1, ScheduleAnyway). Karpenter keeps
 * a ScheduleAnyway constraint while a pod can still schedule with it and counts the pods of a hostname
 * domain's minimum as zero, since it can always launch one more node (kubernetes-sigs/karpenter
 * `pkg/controllers/provisioning/scheduling/preferences.go` relaxes only after a failure; `topologygroup.go`
 * `domainMinCount`). So every pending replica gets a NodeClaim of its own, launched as the cheapest type
 * that fits it; a larger type's per-GPU discount is not taken. Replicas created later can still fill a
 * node's free slots through kube-scheduler, for which the constraint is only a preference.
 * Undefined when no instance type of the pool holds a replica.
 */
export function replicaHost(pool: ResolvedGpuNodePool, service: ResolvedLlmInferenceService): ReplicaHost | undefined {
  const cpu = parseQuantity(service.resources.cpu, 'cores');
  const mem = parseQuantity(service.resources.memory, 'MiB');
  const price = (i: GpuInstanceType) => pool.priceOverrides[i.instanceType] ?? i.onDemandHourlyUsd;
  // Cheapest first; of equal prices, the smaller node.
  const instance = [...instancesForReplica(pool, service)].sort((a, b) => price(a) - price(b) || a.gpuCount - b.gpuCount)[0];
  if (!instance) return undefined;
  const replicasPerNode = Math.min(
    Math.floor(instance.gpuCount / service.gpusPerReplica),
    cpu > 0 ? Math.floor((instance.vcpu - NODE_RESERVED_VCPU) / cpu) : Infinity,
    mem > 0 ? Math.floor((instance.memoryMiB * NODE_ALLOCATABLE_MEMORY_SHARE) / mem) : Infinity,
  );
  return { instance, hourlyUsd: price(instance), replicasPerNode };
}

/**
 * What one GPU of a replica costs per hour on its pool: its host's price shared among the replicas the host
 * holds, per GPU of a replica. Undefined when no instance type of the pool holds a replica.
 */
export function replicaGpuHourlyUsd(pool: ResolvedGpuNodePool, service: ResolvedLlmInferenceService): number | undefined {
  const host = replicaHost(pool, service);
  return host && host.hourlyUsd / host.replicasPerNode / service.gpusPerReplica;
}

/** GPUs the pool launches on-demand: all of them on an on-demand pool, none on a spot one, `onDemandGpus` on a burst one. */
export function onDemandGpus(pool: Pick<ResolvedGpuNodePool, 'capacity' | 'gpuLimit'>): number {
  const cap = pool.capacity;
  return cap.kind === 'onDemand' ? pool.gpuLimit : cap.kind === 'spot' ? 0 : cap.onDemandGpus;
}

/** A service with its replica range, as it will run on a pool. */
export interface PooledService {
  readonly service: ResolvedLlmInferenceService;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** GPUs the services' floors hold (minReplicas x GPUs per replica, summed). */
export function floorGpus(services: readonly PooledService[]): number {
  return services.reduce((n, p) => n + p.minReplicas * p.service.gpusPerReplica, 0);
}

/**
 * Nodes of `host` the pool launches on-demand for a service before it goes to spot: the pool's on-demand GPUs
 * less the floors of its `otherServices` (which land there first), in whole nodes. All of the pool's limit on
 * an on-demand pool, none on a spot one.
 */
export function onDemandNodesFor(pool: ResolvedGpuNodePool, host: ReplicaHost, otherServices: readonly PooledService[]): number {
  return Math.max(0, Math.floor((onDemandGpus(pool) - floorGpus(otherServices)) / host.instance.gpuCount));
}

/** A spot node's price over the on-demand one for `host`, from the pool's `spotPriceOverrides` (1 without one for it). */
export function spotPriceRatio(pool: ResolvedGpuNodePool, host: ReplicaHost): number {
  return (pool.spotPriceOverrides[host.instance.instanceType] ?? host.hourlyUsd) / host.hourlyUsd;
}

/** The spec with its placement taken from the pool: pool label selector, GPU toleration, pool zones. */
export function placeOnPool(spec: LlmInferenceServiceSpec, pool: ResolvedGpuNodePool): LlmInferenceServiceSpec {
  return {
    ...spec,
    placement: {
      ...spec.placement,
      tolerateGpuTaint: true,
      nodeSelector: { ...(spec.placement?.nodeSelector ?? {}), [d.GPU_POOL_LABEL]: pool.name },
      zones: spec.placement?.zones ?? pool.zones,
    },
  };
}

/** Problems of one service on one pool. */
export function servicePoolIssues(service: ResolvedLlmInferenceService, pool: ResolvedGpuNodePool, path = 'service'): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const perNode = maxGpusPerNode(pool);
  const hosts = instancesForReplica(pool, service);
  if (service.gpusPerReplica <= perNode && hosts.length === 0) {
    issues.push({
      code: 'replica-fits-no-instance',
      path: `${path}.resources`,
      value: service.resources,
      problem: `no instance type of pool ${pool.name} with ${service.gpusPerReplica} GPUs has room for these CPU and memory requests`,
      fix: 'lower the requests or add larger instance types to the pool',
    });
  }
  if (service.gpusPerReplica > perNode) {
    issues.push({
      code: 'gpus-exceed-node',
      path: `${path}.gpusPerReplica`,
      value: service.gpusPerReplica,
      problem: `no instance type of pool ${pool.name} (${pool.instances.map((i) => i.instanceType).join(', ')}) has more than ${perNode} GPUs`,
      fix: `use at most ${perNode} GPUs per replica, or a pool with larger instances (e.g. g6e.48xlarge or p5.48xlarge)`,
    });
  }
  const outside = (service.placement.zones ?? []).filter((z) => !pool.zones.includes(z));
  if (outside.length > 0) {
    issues.push({
      code: 'zones-outside-pool',
      path: `${path}.placement.zones`,
      value: outside,
      problem: `pool ${pool.name} launches nodes only in ${pool.zones.join(', ')}; these replicas would stay Pending`,
      fix: 'keep the service zones within the pool zones, or leave them unset to take the pool zones',
    });
  }
  if (service.placement.gpuResourceName !== d.DEFAULT_GPU_RESOURCE) {
    issues.push({ code: 'gpu-resource-mismatch', path: `${path}.placement.gpuResourceName`, value: service.placement.gpuResourceName, problem: `GPU pools offer ${d.DEFAULT_GPU_RESOURCE}`, fix: 'leave gpuResourceName unset' });
  }
  if (service.modelProfile) {
    const candidates = hosts;
    const byGpu = new Map(candidates.map((i) => [i.gpuName, i]));
    for (const instance of byGpu.values()) {
      const fit = checkFit({
        model: service.modelProfile,
        gpuCount: service.gpusPerReplica,
        gpuMemoryMiB: instance.gpuMemoryMiB,
        gpuMemoryUtilization: service.gpuMemoryUtilization,
        maxModelLen: service.maxModelLen,
        maxNumSeqs: service.maxNumSeqs,
      });
      if (!fit.fits) {
        issues.push({
          code: 'model-does-not-fit',
          path: `${path}.model`,
          value: service.model,
          problem: `on ${service.gpusPerReplica} x ${instance.gpuName} (${instance.instanceType}) a replica ${describeFit(fit)}`,
          fix: 'use more or larger GPUs per replica, a quantized model, a shorter maxModelLen or fewer maxNumSeqs',
        });
        break;
      }
    }
  }
  const nodeGraceSeconds = durationSeconds(pool.terminationGracePeriod);
  if (nodeGraceSeconds < service.drain.terminationGracePeriodSeconds) {
    issues.push({
      code: 'node-grace-too-short',
      path: 'pool.terminationGracePeriod',
      value: pool.terminationGracePeriod,
      problem: `service ${service.name} needs ${service.drain.terminationGracePeriodSeconds} s to drain; Karpenter would kill it first`,
      fix: `set terminationGracePeriod to at least ${service.drain.terminationGracePeriodSeconds}s`,
    });
  }
  return issues;
}

/** Problems and warnings of a pool with all its services. */
export function poolCapacityIssues(pool: ResolvedGpuNodePool, services: readonly PooledService[]): { issues: SpecIssue[]; warnings: string[] } {
  const issues: SpecIssue[] = [];
  const warnings: string[] = [];
  const maxGpus = services.reduce((s, x) => s + x.maxReplicas * x.service.gpusPerReplica, 0);
  const onePerService = Math.max(0, ...services.map((x) => x.service.gpusPerReplica));
  if (onePerService > pool.gpuLimit) {
    issues.push({ code: 'gpu-limit-below-replica', path: 'pool.gpuLimit', value: pool.gpuLimit, problem: `one replica needs ${onePerService} GPUs`, fix: `raise gpuLimit to at least ${onePerService}` });
  } else if (maxGpus > pool.gpuLimit) {
    issues.push({
      code: 'gpu-limit-exceeded',
      path: 'pool.gpuLimit',
      value: pool.gpuLimit,
      problem: `the services' max replicas need ${maxGpus} GPUs (${services.map((x) => `${x.service.name}: ${x.maxReplicas} x ${x.service.gpusPerReplica}`).join(', ')})`,
      fix: `raise gpuLimit to ${maxGpus} or lower maxReplicas`,
    });
  }
  const interactiveFloor = floorGpus(services.filter((x) => x.service.workload === 'interactive'));
  const onDemand = onDemandGpus(pool);
  if (interactiveFloor > onDemand && !pool.allowSpotForInteractiveMinimum) {
    issues.push({
      code: 'interactive-floor-on-spot',
      path: 'pool.capacity',
      value: pool.capacity,
      problem: `interactive minimums need ${interactiveFloor} GPUs on on-demand capacity but the pool has ${onDemand}; a spot reclaim would take warm replicas away`,
      fix: pool.capacity.kind === 'spot' ? "use { kind: 'onDemandFloorSpotBurst', onDemandGpus: N }, or set allowSpotForInteractiveMinimum" : `set onDemandGpus to at least ${interactiveFloor}`,
    });
  }
  if (pool.capacity.kind !== 'onDemand') {
    // What runs at a reclaim has the in-flight window (preStop, then vLLM's --shutdown-timeout) to finish
    // before the instance goes; the grace period's buffer past it carries no request.
    for (const x of services) {
      const inFlight = inFlightDrainSeconds(x.service.drain);
      if (inFlight > d.SPOT_INTERRUPTION_NOTICE_SECONDS) {
        warnings.push(`${x.service.name}: the in-flight drain window (${inFlight} s: preStop and --shutdown-timeout) is longer than the 2-minute spot notice; `
          + 'answers still running at a spot reclaim are cut (`tokenscale simulate --spot-reclaims` counts them)');
      }
    }
  }
  return { issues, warnings };
}

/** Monthly cost range of services and caps of pools, at 730 hours a month. */
export interface CostEnvelope {
  readonly hoursPerMonth: number;
  readonly priceSource: string;
  readonly services: ReadonlyArray<{
    readonly name: string;
    readonly namespace: string;
    readonly pool: string;
    readonly gpuHourlyUsd: number;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly gpusPerReplica: number;
    readonly monthlyUsdAtMin: number;
    readonly monthlyUsdAtMax: number;
    /**
     * The same months with the replicas past the pool's on-demand capacity (less the other services' floors)
     * at the pool's spot price for the replica's node: what the service costs while spot holds, not a bound.
     * @default - none: the pool has no spot capacity, or sets no spot price for the node
     */
    readonly withSpot?: { readonly monthlyUsdAtMin: number; readonly monthlyUsdAtMax: number; readonly onDemandReplicas: number };
  }>;
  readonly pools: ReadonlyArray<{
    readonly name: string;
    readonly gpuLimit: number;
    readonly gpuHourlyUsd: number;
    readonly monthlyUsdCap: number;
    /**
     * The pool's spot prices by instance type, left out of the envelope (an upper bound: a spot price never
     * exceeds the on-demand one); the simulator prices spot hours with them.
     * @default - none set
     */
    readonly spotPriceOverrides?: Readonly<Record<string, number>>;
  }>;
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Services are priced at the node Karpenter launches for a replica (`replicaHost`: the cheapest instance
 * type that holds one), shared among the replicas it holds; pool caps at the most expensive GPU-hour of the
 * pool (a true upper bound).
 */
export function costEnvelope(
  entries: ReadonlyArray<{ pool: ResolvedGpuNodePool; services: readonly PooledService[] }>,
  priceSource: string,
): CostEnvelope {
  const services = entries.flatMap(({ pool, services: list }) => list.map((x) => {
    // A replica pays for the node it needs, shared with the replicas that fill the node's other slots.
    const price = replicaGpuHourlyUsd(pool, x.service) ?? Infinity;
    const perReplicaHourly = price * x.service.gpusPerReplica;
    const perReplica = perReplicaHourly * d.HOURS_PER_MONTH;
    const host = replicaHost(pool, x.service);
    const spotPriced = host && pool.capacity.kind !== 'onDemand' && pool.spotPriceOverrides[host.instance.instanceType] !== undefined;
    // Replicas fill the on-demand nodes first, then spot ones, as the simulator places them.
    const onDemandReplicas = spotPriced ? onDemandNodesFor(pool, host, list.filter((o) => o !== x)) * host.replicasPerNode : 0;
    const ratio = spotPriced ? spotPriceRatio(pool, host) : 1;
    const withSpotAt = (n: number) => round((Math.min(n, onDemandReplicas) + Math.max(0, n - onDemandReplicas) * ratio) * perReplica);
    const withSpot = spotPriced
      ? { withSpot: { monthlyUsdAtMin: withSpotAt(x.minReplicas), monthlyUsdAtMax: withSpotAt(x.maxReplicas), onDemandReplicas } } : {};
    return {
      name: x.service.name,
      namespace: x.service.namespace,
      pool: pool.name,
      gpuHourlyUsd: round(price),
      minReplicas: x.minReplicas,
      maxReplicas: x.maxReplicas,
      gpusPerReplica: x.service.gpusPerReplica,
      monthlyUsdAtMin: round(x.minReplicas * perReplica),
      monthlyUsdAtMax: round(x.maxReplicas * perReplica),
      ...withSpot,
    };
  }));
  const pools = entries.map(({ pool }) => {
    const price = Math.max(...pool.instances.map((i) => gpuHourlyUsd(i, pool.priceOverrides)));
    const spot = Object.keys(pool.spotPriceOverrides).length > 0 ? { spotPriceOverrides: { ...pool.spotPriceOverrides } } : {};
    const monthlyUsdCap = round(pool.gpuLimit * price * d.HOURS_PER_MONTH);
    return { name: pool.name, gpuLimit: pool.gpuLimit, gpuHourlyUsd: round(price), monthlyUsdCap, ...spot };
  });
  return { hoursPerMonth: d.HOURS_PER_MONTH, priceSource, services, pools };
}

/** Renders the envelope for the synth summary. */
export function formatCostEnvelope(envelope: CostEnvelope): string {
  const usd = (x: number) => `$${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  const lines = [`Cost envelope (USD/month at ${envelope.hoursPerMonth} h; ${envelope.priceSource}):`];
  for (const s of envelope.services) {
    lines.push(`  service ${s.namespace}/${s.name} on ${s.pool}: ${usd(s.monthlyUsdAtMin)} at ${s.minReplicas} .. ${usd(s.monthlyUsdAtMax)} at ${s.maxReplicas} replicas ($${s.gpuHourlyUsd}/GPU-h)`);
    if (s.withSpot) {
      const onDemand = s.withSpot.onDemandReplicas === 0 ? 'every replica on spot' : `replicas past ${s.withSpot.onDemandReplicas} on spot`;
      lines.push(`    at the pool's spot prices (${onDemand}): ${usd(s.withSpot.monthlyUsdAtMin)} .. ${usd(s.withSpot.monthlyUsdAtMax)}`);
    }
  }
  for (const p of envelope.pools) {
    lines.push(`  pool ${p.name}: cap ${usd(p.monthlyUsdCap)} (${p.gpuLimit} GPUs at up to $${p.gpuHourlyUsd}/GPU-h)`);
    if (p.spotPriceOverrides) {
      const prices = Object.entries(p.spotPriceOverrides).map(([type, price]) => `${type} $${price}/h`).join(', ');
      lines.push(`    spot prices (${prices}) are left out of this upper bound; the services' spot estimates and \`tokenscale simulate\` use them`);
    }
  }
  return lines.join('\n');
}

/** Seconds of a Karpenter duration such as `1h30m`. */
export function durationSeconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9]+)(h|m|s)/g)) total += Number(n) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  return total;
}
