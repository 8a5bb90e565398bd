/**
 * What a service's GPU pool sets in a simulation: the price of a replica, the node Karpenter launches for
 * it and how many replicas that node holds, the GPU limit left to the service, and how long an empty node
 * stays (the pool's `WhenEmpty` consolidation after `consolidateAfter`).
 */
import { durationSeconds, floorGpus, onDemandNodesFor, PooledService, replicaGpuHourlyUsd, replicaHost, spotPriceRatio } from '../cost/placement';
import type { ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** The pool's part of a comparison's options (see PolicyComparisonOptions). */
export interface PoolSimulationOptions {
  /** One GPU of a replica per hour: the node's price shared among the replicas it holds, USD. */
  readonly gpuHourlyUsd: number;
  /** The instance type of the node a replica gets. */
  readonly nodeInstanceType: string;
  /** Replicas one node holds. */
  readonly replicasPerNode: number;
  /** Replicas the GPU limit left to the service allows. */
  readonly schedulableReplicas: number;
  /** Nodes the GPU limit left to the service allows. */
  readonly maxNodes: number;
  /** How long an empty node stays, billed, seconds. */
  readonly emptyNodeSeconds: number;
  /**
   * Nodes the pool launches on-demand for the service before it goes to spot: all of `maxNodes` on an
   * on-demand pool, none on a spot one, and on `onDemandFloorSpotBurst` its on-demand GPUs less the other
   * services' floors (which land there first) over GPUs per node.
   */
  readonly onDemandNodes: number;
  /** The pool launches spot nodes for the service (its capacity is `spot` or `onDemandFloorSpotBurst`). */
  readonly hasSpot: boolean;
  /** A spot node's price over the on-demand one, for the node a replica gets (1 without `spotPriceOverrides` for it). */
  readonly spotPriceRatio: number;
  /** Zones the pool launches nodes in. */
  readonly zones: number;
}

/**
 * The pool's options for simulating `service`, with the floors of the pool's `otherServices` taken from its
 * GPU limit. Undefined when no instance type of the pool holds a replica.
 */
export function poolSimulationOptions(
  service: ResolvedLlmInferenceService, pool: ResolvedGpuNodePool, otherServices: readonly PooledService[] = [],
): PoolSimulationOptions | undefined {
  const host = replicaHost(pool, service);
  if (!host) return undefined;
  const gpus = pool.gpuLimit - floorGpus(otherServices);
  const maxNodes = Math.max(0, Math.floor(gpus / host.instance.gpuCount));
  return {
    gpuHourlyUsd: replicaGpuHourlyUsd(pool, service)!,
    nodeInstanceType: host.instance.instanceType,
    replicasPerNode: host.replicasPerNode,
    schedulableReplicas: Math.max(0, Math.floor(gpus / service.gpusPerReplica)),
    maxNodes,
    emptyNodeSeconds: durationSeconds(pool.consolidateAfter),
    onDemandNodes: Math.min(maxNodes, onDemandNodesFor(pool, host, otherServices)),
    hasSpot: pool.capacity.kind !== 'onDemand',
    spotPriceRatio: spotPriceRatio(pool, host),
    zones: pool.zones.length,
  };
}
