import * as pulumi from '@pulumi/pulumi';
import { AdapterExternalRule, buildPrometheusAdapter, PrometheusAdapterSpec } from '../core';
import { registerObject, validated } from './register';

/** Args of the PrometheusAdapter component. */
export interface PrometheusAdapterArgs extends PrometheusAdapterSpec {
  /** External-metric rules of the hpa-engine scalers it serves (`scaler.adapterRules`). */
  readonly rules: readonly AdapterExternalRule[];
  /** @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/** Prometheus Adapter serving External metrics (see the cdk8s construct). */
export class PrometheusAdapter extends pulumi.ComponentResource {
  public constructor(name: string, args: PrometheusAdapterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:PrometheusAdapter', name, {}, opts);
    const { provider, rules, ...spec } = args;
    for (const obj of validated(this, () => buildPrometheusAdapter(spec, rules))) registerObject(this, name, obj, provider);
    this.registerOutputs({});
  }
}
