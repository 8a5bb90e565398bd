import * as pulumi from '@pulumi/pulumi';
import { buildTokenAwareScaler, ResolvedTokenAwareScaler, tokenAwareScalerObjectList, TokenAwareScalerSpec, TokenscaleError } from '../core';
import { LlmInferenceService } from './llm-inference-service';
import { registerObject, validated } from './register';

/** Args of the TokenAwareScaler component: the core spec plus its target. */
export interface TokenAwareScalerArgs extends TokenAwareScalerSpec {
  /** The service to scale; it must be created with `autoscaled: true`. */
  readonly target: LlmInferenceService;
}

/**
 * Scales an LlmInferenceService on vLLM's signals (see the cdk8s construct of the same name).
 * The `hpa` engine's Prometheus Adapter is not yet available as a Pulumi component: use `keda`.
 */
export class TokenAwareScaler extends pulumi.ComponentResource {
  /** The spec with every default applied. */
  public readonly spec: ResolvedTokenAwareScaler;

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
      if (spec.engine === 'hpa') {
        throw new TokenscaleError([{
          code: 'engine-unavailable',
          path: 'scaler.engine',
          value: 'hpa',
          problem: 'the Pulumi front end has no PrometheusAdapter component yet, so External metrics would have no server',
          fix: "use engine: 'keda', or the cdk8s front end for the hpa engine",
        }], `TokenAwareScaler ${name}`);
      }
      return buildTokenAwareScaler(spec, target.spec);
    });
    this.spec = built.spec;
    for (const obj of tokenAwareScalerObjectList(built)) registerObject(this, name, obj, target.provider);
    this.registerOutputs({});
  }
}
