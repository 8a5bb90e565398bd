import * as pulumi from '@pulumi/pulumi';
import {
  AdapterExternalRule, buildTokenAwareScaler, poolCapacityIssues, ResolvedTokenAwareScaler, scalerBoundsInEnvelope, tokenAwareScalerObjectList,
  TokenAwareScalerSpec,
  TokenscaleError,
} from '../core';
import { LlmInferenceService } from './llm-inference-service';
import { registerObject, validated } from './register';

/** Args of the TokenAwareScaler component: the core spec plus its target. */
export interface TokenAwareScalerArgs extends TokenAwareScalerSpec {
  /** The service to scale; it must be created with `autoscaled: true`. */
  readonly target: LlmInferenceService;
}

/**
 * Scales an LlmInferenceService on vLLM's signals (see the cdk8s construct of the same name). With the
 * `hpa` engine, pass `adapterRules` of every such scaler to the cluster's PrometheusAdapter component.
 */
export class TokenAwareScaler extends pulumi.ComponentResource {
  /** The spec with every default applied. */
  public readonly spec: ResolvedTokenAwareScaler;
  /** External-metric rules for the PrometheusAdapter component (hpa engine). */
  public readonly adapterRules: readonly AdapterExternalRule[];

  public constructor(name: string, args: TokenAwareScalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:TokenAwareScaler', name, {}, opts);
    const { target, ...spec } = args;
    const built = validated(this, () => {
      if (!target.autoscaled) {
        throw new TokenscaleError([{
          code: 'target-not-autoscaled',
          path: 'scaler.target',
          value: target.spec.name,
          problem: 'its Deployment sets spec.replicas, which every update would reset under the autoscaler',
          fix: 'create the LlmInferenceService with autoscaled: true',
        }], `TokenAwareScaler ${name}`);
      }
      const b = buildTokenAwareScaler({ ...spec, ...scalerBoundsInEnvelope(spec, target.spec, target.envelope?.spec) }, target.spec);
      if (target.nodePool) {
        target.nodePool.place(target.spec.name, { service: target.spec, minReplicas: b.spec.minReplicas, maxReplicas: b.spec.maxReplicas });
        const issues = poolCapacityIssues(target.nodePool.spec, target.nodePool.placedServices).issues;
        if (issues.length > 0) throw new TokenscaleError(issues, `TokenAwareScaler ${name}`);
      }
      target.envelope?.enforce(tokenAwareScalerObjectList(b), `TokenAwareScaler ${name}`);
      return b;
    });
    this.spec = built.spec;
    this.adapterRules = built.adapterRules;
    for (const obj of tokenAwareScalerObjectList(built)) registerObject(this, name, obj, target.provider);
    this.registerOutputs({});
  }
}
