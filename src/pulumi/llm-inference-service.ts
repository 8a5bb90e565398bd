import * as pulumi from '@pulumi/pulumi';
import {
  buildPlacedService, llmInferenceServiceObjectList, LlmInferenceServiceSpec, poolCapacityIssues, ResolvedLlmInferenceService, TokenscaleError,
} from '../core';
import type { ComplianceEnvelope } from './compliance-envelope';
import type { GpuNodePool } from './gpu-node-pool';
import { registerObject, validated } from './register';

/** Args of the LlmInferenceService component: the core spec (plain values) plus wiring. */
export interface LlmInferenceServiceArgs extends Omit<LlmInferenceServiceSpec, 'name'> {
  /** Name of the service and of all its objects. @default - the component name */
  readonly name?: string;
  /**
   * A TokenAwareScaler owns the replica count: `spec.replicas` is left out of the Deployment. Pulumi
   * registers objects once, so this is declared up front (the scaler checks it).
   * @default false
   */
  readonly autoscaled?: boolean;
  /** GPU pool the replicas run on (placement from it, checked against it). @default - no pool */
  readonly nodePool?: GpuNodePool;
  /** Envelope whose defaults apply and whose rules the objects must pass. @default - none */
  readonly envelope?: ComplianceEnvelope;
  /** Kubernetes provider of the child resources. @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/**
 * A vLLM inference service as a Pulumi component: the same objects as the cdk8s construct, each a
 * first-class Kubernetes resource.
 *
 * @example
 * const llama = new LlmInferenceService('llama-8b', { model: 'meta-llama/Llama-3.1-8B-Instruct', namespace: 'llm' });
 */
export class LlmInferenceService extends pulumi.ComponentResource {
  /** The spec with every default applied. */
  public readonly spec: ResolvedLlmInferenceService;
  /** Name of the Service clients call. */
  public readonly serviceName: string;
  /** The Deployment, the scale target of a scaler. */
  public readonly deployment: pulumi.CustomResource;
  /** The pool the replicas run on. @default - none */
  public readonly nodePool?: GpuNodePool;
  /** The envelope the service is checked against. @default - none */
  public readonly envelope?: ComplianceEnvelope;
  /** Whether a scaler owns the replica count. */
  public readonly autoscaled: boolean;
  /** The provider children use, for components that attach to this one. @default - the default provider */
  public readonly provider?: pulumi.ProviderResource;

  public constructor(name: string, args: LlmInferenceServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:LlmInferenceService', name, {}, opts);
    const { provider, autoscaled, nodePool, envelope, ...rest } = args;
    const named = { ...rest, name: rest.name ?? name };
    const built = validated(this, () => {
      const b = buildPlacedService(named, { envelope: envelope?.spec, pool: nodePool?.spec }, { omitReplicas: autoscaled === true });
      if (nodePool && !autoscaled) {
        // A fixed replica count counts against the pool now; a scaler records its range when it attaches.
        nodePool.place(b.spec.name, { service: b.spec, minReplicas: b.spec.replicas, maxReplicas: b.spec.replicas });
        const issues = poolCapacityIssues(nodePool.spec, nodePool.placedServices).issues;
        if (issues.length > 0) throw new TokenscaleError(issues, `LlmInferenceService ${name}`);
      }
      envelope?.enforce(llmInferenceServiceObjectList(b), `LlmInferenceService ${name}`);
      return b;
    });
    this.nodePool = nodePool;
    this.envelope = envelope;
    this.spec = built.spec;
    this.autoscaled = autoscaled === true;
    this.provider = provider;
    this.serviceName = built.service.metadata.name;
    const objects = llmInferenceServiceObjectList(built);
    const children = objects.map((obj) => registerObject(this, name, obj, provider));
    this.deployment = children[objects.findIndex((o) => o.kind === 'Deployment')];
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
