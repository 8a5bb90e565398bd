import * as pulumi from '@pulumi/pulumi';
import { buildGpuNodePool, GpuNodePoolSpec, gpuNodePoolObjectList, NodeClassSpec, PooledService, ResolvedGpuNodePool } from '../core';
import { createInterruptionQueue, createNodeRole } from './aws-node-iam';
import { registerObject, validated } from './register';

/** How nodes get their IAM identity. */
export type NodeIdentity =
  /** Create a node role with Karpenter's managed policies and an instance profile. */
  | { readonly createRole: true }
  /** Use an existing role (Karpenter manages its instance profile). */
  | { readonly roleName: pulumi.Input<string> }
  /** Use an existing instance profile. */
  | { readonly instanceProfileName: pulumi.Input<string> };

/** Args of the GpuNodePool component: the core spec (plain values) plus AWS wiring. */
export interface GpuNodePoolArgs extends Omit<GpuNodePoolSpec, 'name' | 'nodeClass'> {
  /** @default - the component name */
  readonly name?: string;
  /** EC2NodeClass settings except the identity. */
  readonly nodeClass: Omit<NodeClassSpec, 'role' | 'instanceProfile'>;
  /** Node IAM identity. @default { createRole: true } */
  readonly nodeIdentity?: NodeIdentity;
  /** Create the spot-interruption SQS queue and EventBridge rules for Karpenter. @default true */
  readonly interruptionQueue?: boolean;
  /** Kubernetes provider of the Karpenter objects. @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

const PLACEHOLDER = 'pulumi-input';

/**
 * A Karpenter GPU pool (see the cdk8s construct) with the AWS resources it needs: node role and
 * instance profile, and the interruption queue with its EventBridge rules.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  public readonly spec: ResolvedGpuNodePool;
  /** Name of the node role (created or given). @default - none with an instance profile identity */
  public readonly nodeRoleName?: pulumi.Output<string>;
  /** Name of the created instance profile. @default - none unless the role is created */
  public readonly instanceProfileName?: pulumi.Output<string>;
  /** Name of the interruption queue, for Karpenter's `settings.interruptionQueue`. @default - none when disabled */
  public readonly interruptionQueueName?: pulumi.Output<string>;

  private readonly placed = new Map<string, PooledService>();

  public constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:GpuNodePool', name, {}, opts);
    const { nodeIdentity = { createRole: true }, interruptionQueue = true, provider, nodeClass, ...spec } = args;
    const identity = 'instanceProfileName' in nodeIdentity ? { instanceProfile: PLACEHOLDER } : { role: PLACEHOLDER };
    // Everything that shapes the manifests is validated before any resource is registered.
    const built = validated(this, () => buildGpuNodePool({ ...spec, name: spec.name ?? name, nodeClass: { ...nodeClass, ...identity } }));
    this.spec = built.spec;
    const tags = { ...built.spec.nodeClass.tags };
    let roleName: pulumi.Input<string> | undefined;
    let profileName: pulumi.Input<string> | undefined;
    if ('createRole' in nodeIdentity) {
      const created = createNodeRole(name, this, tags);
      roleName = created.role.name;
      this.nodeRoleName = created.role.name;
      this.instanceProfileName = created.instanceProfile.name;
    } else if ('roleName' in nodeIdentity) {
      roleName = nodeIdentity.roleName;
      this.nodeRoleName = pulumi.output(nodeIdentity.roleName);
    } else {
      profileName = nodeIdentity.instanceProfileName;
    }
    if (interruptionQueue) this.interruptionQueueName = createInterruptionQueue(name, this, tags).name;
    for (const obj of gpuNodePoolObjectList(built)) {
      const wired = obj.kind === 'EC2NodeClass'
        ? { ...obj, spec: { ...(obj.spec as object), ...(roleName ? { role: roleName } : { instanceProfile: profileName }) } }
        : obj;
      registerObject(this, name, wired as never, provider);
    }
    this.registerOutputs({
      nodeRoleName: this.nodeRoleName, instanceProfileName: this.instanceProfileName, interruptionQueueName: this.interruptionQueueName,
    });
  }

  /** Records a service placed on the pool with its replica range (done by the service and its scaler). */
  public place(serviceName: string, placed: PooledService): void {
    this.placed.set(serviceName, placed);
  }

  /** The services placed on this pool so far. */
  public get placedServices(): PooledService[] {
    return [...this.placed.values()];
  }
}
