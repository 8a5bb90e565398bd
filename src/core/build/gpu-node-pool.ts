/**
 * Karpenter objects of a GPU pool (reference.md 6.1, 6.2): NodePool(s) and the EC2NodeClass.
 */
import * as d from '../defaults';
import { TokenscaleError } from '../errors';
import type { KubeObject } from '../k8s/object';
import { GpuNodePoolSpec, resolveGpuNodePool, ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import { gpuNodePoolIssues } from '../spec/gpu-node-pool-issues';

/** Every object of a pool. */
export interface GpuNodePoolObjects {
  readonly spec: ResolvedGpuNodePool;
  readonly nodePools: readonly KubeObject[];
  readonly nodeClass: KubeObject;
}

export function validateGpuNodePool(spec: GpuNodePoolSpec): ResolvedGpuNodePool {
  const issues = gpuNodePoolIssues(spec);
  if (issues.length > 0) throw new TokenscaleError(issues, `GpuNodePool ${JSON.stringify((spec as { name?: unknown })?.name ?? '')}`);
  return resolveGpuNodePool(spec);
}

function labels(pool: ResolvedGpuNodePool): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'tokenscale', [d.GPU_POOL_LABEL]: pool.name };
}

function nodePool(pool: ResolvedGpuNodePool, name: string, capacityTypes: string[], gpus: number, weight?: number): KubeObject {
  const instanceRequirement = pool.instanceTypesExplicit
    ? { key: 'node.kubernetes.io/instance-type', operator: 'In', values: pool.instances.map((i) => i.instanceType) }
    : { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: [...pool.families] };
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name, labels: labels(pool) },
    spec: {
      ...(weight !== undefined ? { weight } : {}),
      limits: { [d.DEFAULT_GPU_RESOURCE]: String(gpus) },
      disruption: {
        // Never bin-pack busy model servers: only empty nodes are consolidated.
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: pool.consolidateAfter,
        budgets: [{ nodes: pool.disruptionBudgetNodes }],
      },
      template: {
        metadata: { labels: { ...pool.labels, [d.GPU_POOL_LABEL]: pool.name } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.name },
          requirements: [
            instanceRequirement,
            { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: capacityTypes },
            { key: d.ZONE_LABEL, operator: 'In', values: [...pool.zones] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
          ],
          taints: [{ key: d.GPU_TAINT_KEY, value: 'true', effect: 'NoSchedule' }],
          expireAfter: pool.expireAfter,
          terminationGracePeriod: pool.terminationGracePeriod,
        },
      },
    },
  };
}

function nodeClass(pool: ResolvedGpuNodePool): KubeObject {
  const nc = pool.nodeClass;
  const bottlerocket = nc.amiAlias.startsWith('bottlerocket@');
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: pool.name, labels: labels(pool) },
    spec: {
      amiSelectorTerms: [{ alias: nc.amiAlias }],
      ...(nc.role ? { role: nc.role } : { instanceProfile: nc.instanceProfile }),
      subnetSelectorTerms: [{ tags: { ...nc.subnetTags } }],
      securityGroupSelectorTerms: [{ tags: { ...nc.securityGroupTags } }],
      ...(Object.keys(nc.tags).length > 0 ? { tags: { ...nc.tags } } : {}),
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [{
        // AL2023 boots from /dev/xvda; Bottlerocket keeps images and data on /dev/xvdb.
        deviceName: bottlerocket ? '/dev/xvdb' : '/dev/xvda',
        ...(bottlerocket ? {} : { rootVolume: true }),
        ebs: { volumeSize: `${nc.rootVolumeGiB}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      }],
    },
  };
}

/** Builds the NodePool(s) and EC2NodeClass of a valid pool spec. */
export function buildGpuNodePool(spec: GpuNodePoolSpec): GpuNodePoolObjects {
  const pool = validateGpuNodePool(spec);
  const cap = pool.capacity;
  const nodePools = cap.kind === 'onDemandFloorSpotBurst'
    ? [
      // Higher weight first: the warm floor lands on on-demand, bursts past it on spot.
      nodePool(pool, `${pool.name}-on-demand`, ['on-demand'], cap.onDemandGpus, 100),
      nodePool(pool, `${pool.name}-spot`, ['spot'], pool.gpuLimit - cap.onDemandGpus, 10),
    ]
    : [nodePool(pool, pool.name, [cap.kind === 'spot' ? 'spot' : 'on-demand'], pool.gpuLimit)];
  return { spec: pool, nodePools, nodeClass: nodeClass(pool) };
}

/** The pool's objects in apply order (the class before the pools that reference it). */
export function gpuNodePoolObjectList(objects: GpuNodePoolObjects): KubeObject[] {
  return [objects.nodeClass, ...objects.nodePools];
}
