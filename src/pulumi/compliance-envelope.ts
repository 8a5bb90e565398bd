import * as pulumi from '@pulumi/pulumi';
import {
  admissionObjects, boundRules, checkObjects, ComplianceEnvelopeSpec, KubeObject, ResolvedComplianceEnvelope, TokenscaleError,
  validateComplianceEnvelope,
} from '../core';
import { registerObject, validated } from './register';

/** Args of the ComplianceEnvelope component. */
export interface ComplianceEnvelopeArgs extends ComplianceEnvelopeSpec {
  /** @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/**
 * The compliance envelope as a Pulumi component: it registers the admission objects, and components
 * created with `envelope: this` take their defaults from it and are checked against its rules before any
 * of their children is registered.
 */
export class ComplianceEnvelope extends pulumi.ComponentResource {
  public readonly spec: ResolvedComplianceEnvelope;

  public constructor(name: string, args: ComplianceEnvelopeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:ComplianceEnvelope', name, {}, opts);
    const { provider, ...spec } = args;
    this.spec = validated(this, () => validateComplianceEnvelope(spec));
    for (const obj of admissionObjects(this.spec)) registerObject(this, name, obj, provider);
    this.registerOutputs({});
  }

  /** Throws a TokenscaleError listing every violation of the objects (waivers applied). */
  public enforce(objects: readonly KubeObject[], component: string): void {
    const { violations } = checkObjects(objects, boundRules(this.spec), this.spec.waivers);
    if (violations.length > 0) {
      throw new TokenscaleError(violations.map((v) => ({
        code: `envelope-${v.rule}`, path: v.object, value: v.rule, problem: v.message, fix: 'bring the object inside the envelope or add a waiver with a reason',
      })), component);
    }
  }
}
