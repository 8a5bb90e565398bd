import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  buildGpuNodePool, GpuNodePoolSpec, gpuNodePoolObjectList, KubeObject, PooledService, poolCapacityIssues, ResolvedGpuNodePool,
  formatIssue,
} from '../core';
import { withConstructPath } from './errors';
import type { LlmInferenceService } from './llm-inference-service';

/** Props of a GpuNodePool: the core spec, with the name defaulting to the construct id. */
export interface GpuNodePoolProps extends Omit<GpuNodePoolSpec, 'name'> {
  /** @default - the construct id */
  readonly name?: string;
}

/**
 * A Karpenter GPU node pool: NodePool(s) and an EC2NodeClass with inference-safe disruption (only empty
 * nodes consolidated, a node grace that covers pod drains), a GPU limit that caps spend, pinned AMIs and
 * IMDSv2. Services placed on it take their placement from it and are checked against it.
 *
 * @example
 * const pool = new GpuNodePool(chart, 'gpu-l4', {
 *   instanceFamilies: ['g6'], zones: ['us-east-1a', 'us-east-1b'], gpuLimit: 8,
 *   nodeClass: { clusterName: 'prod', role: 'KarpenterNodeRole-prod' },
 * });
 * new LlmInferenceService(chart, 'llama', { model: 'meta-llama/Llama-3.1-8B-Instruct', nodePool: pool });
 */
export class GpuNodePool extends Construct {
  public readonly spec: ResolvedGpuNodePool;
  /** The NodePool objects (two with an on-demand floor and spot burst). */
  public readonly nodePools: readonly ApiObject[];
  /** The EC2NodeClass (construct id `Resource`). */
  public readonly nodeClass: ApiObject;
  private readonly services: LlmInferenceService[] = [];
  private readonly objects: KubeObject[];

  public constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const built = withConstructPath(this, () => buildGpuNodePool({ ...props, name: props.name ?? id }));
    this.spec = built.spec;
    this.objects = gpuNodePoolObjectList(built);
    this.nodeClass = new ApiObject(this, 'Resource', built.nodeClass);
    this.nodePools = built.nodePools.map((np) => new ApiObject(this, `NodePool-${np.metadata.name}`, np));
    this.node.addValidation({ validate: () => this.capacity().issues.map(formatIssue) });
  }

  /** Registers a service placed on this pool (done by LlmInferenceService). */
  public addService(service: LlmInferenceService): void {
    this.services.push(service);
  }

  /** The services on this pool with their replica ranges. */
  public get pooledServices(): PooledService[] {
    return this.services.map((s) => ({ service: s.spec, minReplicas: s.replicaRange.min, maxReplicas: s.replicaRange.max }));
  }

  /** GPU-limit and capacity-type problems across the pool's services, and spot-drain warnings. */
  public capacity(): { issues: ReturnType<typeof poolCapacityIssues>['issues']; warnings: string[] } {
    return poolCapacityIssues(this.spec, this.pooledServices);
  }

  /** The objects as core built them. */
  public get kubeObjects(): KubeObject[] {
    return [...this.objects];
  }
}
