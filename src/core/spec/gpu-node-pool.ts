/**
 * The spec of a GPU node pool: Karpenter NodePool(s) and an EC2NodeClass for GPU nodes, with disruption
 * settings safe for inference and a GPU limit that caps spend.
 */
import { AWS_GPU_INSTANCES, GpuInstanceType } from '../catalog/aws-gpu-instances';
import * as d from '../defaults';

/**
 * Which capacity the pool buys.
 *
 * @discriminator kind
 */
export type CapacitySpec =
  | { readonly kind: 'onDemand' }
  | { readonly kind: 'spot' }
  /**
   * Two weighted pools: on-demand up to `onDemandGpus` (the warm floor lands there first), spot for the
   * rest of `gpuLimit`.
   */
  | { readonly kind: 'onDemandFloorSpotBurst'; readonly onDemandGpus: number };

/** The EC2NodeClass of the pool. */
export interface NodeClassSpec {
  /** Cluster name, used in the default subnet and security-group discovery tags. */
  readonly clusterName: string;
  /** Node IAM role name; exactly one of role and instanceProfile. @default - none */
  readonly role?: string;
  /** Instance profile name; exactly one of role and instanceProfile. @default - none */
  readonly instanceProfile?: string;
  /** AMI alias, pinned. @default 'al2023@v20260903' */
  readonly amiAlias?: string;
  /** Root volume size in GiB. @default 200 */
  readonly rootVolumeGiB?: number;
  /** Subnet selector tags. @default { 'karpenter.sh/discovery': clusterName } */
  readonly subnetTags?: Readonly<Record<string, string>>;
  /** Security-group selector tags. @default { 'karpenter.sh/discovery': clusterName } */
  readonly securityGroupTags?: Readonly<Record<string, string>>;
  /** Cost-allocation tags on instances and volumes. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The spec of a GPU node pool. */
export interface GpuNodePoolSpec {
  /** Name of the pool (and of its NodePool and EC2NodeClass). */
  readonly name: string;
  /** Instance families from the catalog (one of families or instanceTypes). @default ['g6'] */
  readonly instanceFamilies?: readonly string[];
  /** Exact instance types from the catalog. @default - all of the families' types */
  readonly instanceTypes?: readonly string[];
  /** Zones nodes may launch in. */
  readonly zones: readonly string[];
  /** Most GPUs the pool may run at once: the hard cap on spend (`limits["nvidia.com/gpu"]`). */
  readonly gpuLimit: number;
  /** @default { kind: 'onDemand' } */
  readonly capacity?: CapacitySpec;
  /** Let an interactive service's minimum land on spot. @default false */
  readonly allowSpotForInteractiveMinimum?: boolean;
  /** Empty nodes are removed after this long (they bill until then). @default '1m' */
  readonly consolidateAfter?: string;
  /** @default '720h' */
  readonly expireAfter?: string;
  /** Longest a node drain may take before pods are killed; must cover the services' grace periods. @default '1h' */
  readonly terminationGracePeriod?: string;
  /** Share of nodes disrupted at once. @default '10%' */
  readonly disruptionBudgetNodes?: string;
  /** Extra node labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** USD per instance-hour by instance type (spot or negotiated rates). @default - catalog on-demand prices */
  readonly priceOverrides?: Readonly<Record<string, number>>;
  /**
   * USD per instance-hour on spot, by instance type, for a pool with spot capacity: the simulator prices its
   * spot node-hours with them. The cost envelope keeps on-demand prices, its upper bound: a spot price never
   * exceeds the on-demand one, and it moves.
   * @default - spot priced as on-demand (`priceOverrides`, else the catalog)
   */
  readonly spotPriceOverrides?: Readonly<Record<string, number>>;
  readonly nodeClass: NodeClassSpec;
}

/** A pool with defaults applied. */
export interface ResolvedGpuNodePool {
  readonly name: string;
  readonly instances: readonly GpuInstanceType[];
  /** Whether the pool names exact instance types rather than families. */
  readonly instanceTypesExplicit: boolean;
  readonly families: readonly string[];
  readonly zones: readonly string[];
  readonly gpuLimit: number;
  readonly capacity: CapacitySpec;
  readonly allowSpotForInteractiveMinimum: boolean;
  readonly consolidateAfter: string;
  readonly expireAfter: string;
  readonly terminationGracePeriod: string;
  readonly disruptionBudgetNodes: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priceOverrides: Readonly<Record<string, number>>;
  readonly spotPriceOverrides: Readonly<Record<string, number>>;
  readonly nodeClass: Required<Omit<NodeClassSpec, 'role' | 'instanceProfile'>> & Pick<NodeClassSpec, 'role' | 'instanceProfile'>;
}

export function resolveGpuNodePool(spec: GpuNodePoolSpec): ResolvedGpuNodePool {
  const instances = spec.instanceTypes
    ? AWS_GPU_INSTANCES.filter((i) => spec.instanceTypes!.includes(i.instanceType))
    : AWS_GPU_INSTANCES.filter((i) => (spec.instanceFamilies ?? ['g6']).includes(i.family));
  const discovery = { 'karpenter.sh/discovery': spec.nodeClass.clusterName };
  return {
    name: spec.name,
    instances,
    instanceTypesExplicit: spec.instanceTypes !== undefined,
    families: [...new Set(instances.map((i) => i.family))],
    zones: [...spec.zones],
    gpuLimit: spec.gpuLimit,
    capacity: spec.capacity ?? { kind: 'onDemand' },
    allowSpotForInteractiveMinimum: spec.allowSpotForInteractiveMinimum ?? false,
    consolidateAfter: spec.consolidateAfter ?? d.DEFAULT_CONSOLIDATE_AFTER,
    expireAfter: spec.expireAfter ?? d.DEFAULT_EXPIRE_AFTER,
    terminationGracePeriod: spec.terminationGracePeriod ?? d.DEFAULT_NODE_TERMINATION_GRACE,
    disruptionBudgetNodes: spec.disruptionBudgetNodes ?? d.DEFAULT_DISRUPTION_BUDGET_NODES,
    labels: { ...(spec.labels ?? {}) },
    priceOverrides: { ...(spec.priceOverrides ?? {}) },
    spotPriceOverrides: { ...(spec.spotPriceOverrides ?? {}) },
    nodeClass: {
      clusterName: spec.nodeClass.clusterName,
      role: spec.nodeClass.role,
      instanceProfile: spec.nodeClass.instanceProfile,
      amiAlias: spec.nodeClass.amiAlias ?? d.DEFAULT_AMI_ALIAS,
      rootVolumeGiB: spec.nodeClass.rootVolumeGiB ?? d.DEFAULT_ROOT_VOLUME_GIB,
      subnetTags: { ...(spec.nodeClass.subnetTags ?? discovery) },
      securityGroupTags: { ...(spec.nodeClass.securityGroupTags ?? discovery) },
      tags: { ...(spec.nodeClass.tags ?? {}) },
    },
  };
}

/** Most GPUs any instance type of the pool offers. */
export function maxGpusPerNode(pool: Pick<ResolvedGpuNodePool, 'instances'>): number {
  return Math.max(0, ...pool.instances.map((i) => i.gpuCount));
}

/**
 * The cheapest GPU-hour among the pool's instance types: a floor on what a GPU costs. A replica pays for the
 * node Karpenter launches for it, which can cost more per GPU (see `replicaHost`).
 */
export function cheapestGpuHourlyUsd(pool: Pick<ResolvedGpuNodePool, 'instances' | 'priceOverrides'>, gpusPerReplica = 1): number {
  const fitting = pool.instances.filter((i) => i.gpuCount >= gpusPerReplica);
  return Math.min(...fitting.map((i) => (pool.priceOverrides[i.instanceType] ?? i.onDemandHourlyUsd) / i.gpuCount));
}
