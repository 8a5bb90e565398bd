import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AdapterExternalRule, adapterConfig, buildPrometheusAdapter, KubeObject, PrometheusAdapterSpec } from '../core';
import { withConstructPath } from './errors';

/** Props of the cluster's Prometheus Adapter. */
export interface PrometheusAdapterProps extends PrometheusAdapterSpec {}

const ENGINE = Symbol.for('tokenscale.scalerEngine');

/** Marks a construct as a scaler of the given engine, for the adapter's ownership check. */
export function markScalerEngine(scaler: IConstruct, engine: 'keda' | 'hpa'): void {
  (scaler as unknown as Record<symbol, string>)[ENGINE] = engine;
}

/**
 * Prometheus Adapter, one per cluster: serves the External metrics that TokenAwareScalers with the `hpa`
 * engine register into it. It claims `v1beta1.external.metrics.k8s.io`, which KEDA also claims, so an app
 * that has both fails validation.
 *
 * @example
 * const adapter = new PrometheusAdapter(chart, 'adapter');
 * new TokenAwareScaler(chart, 'scaler', { target: llama, engine: 'hpa', adapter });
 */
export class PrometheusAdapter extends Construct {
  private readonly rules: AdapterExternalRule[] = [];

  public constructor(scope: Construct, id: string, props: PrometheusAdapterProps = {}) {
    super(scope, id);
    const objects = withConstructPath(this, () => buildPrometheusAdapter(props, []));
    for (const obj of objects) {
      const body = obj.kind === 'ConfigMap'
        ? { ...obj, data: { 'config.yaml': Lazy.any({ produce: () => adapterConfig(this.rules) }) } }
        : obj;
      new ApiObject(this, obj.kind === 'Deployment' ? 'Resource' : `${obj.kind}-${obj.metadata.name}`, body as KubeObject);
    }
    this.node.addValidation({
      validate: () => {
        const keda = this.node.root.node.findAll().filter((c) => (c as unknown as Record<symbol, string>)[ENGINE] === 'keda');
        return keda.length === 0 ? [] : [
          `KEDA scalers (${keda.map((c) => c.node.path).join(', ')}) and a Prometheus Adapter both claim v1beta1.external.metrics.k8s.io; `
          + "use engine: 'hpa' for every scaler, or remove the adapter",
        ];
      },
    });
  }

  /** Registers external-metric rules (a scaler does this for its signals). */
  public addRules(...rules: AdapterExternalRule[]): void {
    this.rules.push(...rules);
  }

  /** The rules registered so far. */
  public get externalRules(): readonly AdapterExternalRule[] {
    return [...this.rules];
  }
}
