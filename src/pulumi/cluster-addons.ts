import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/** Pinned Helm charts of the add-ons the constructs rely on. */
export const ADDON_CHARTS = {
  /** prometheus-operator v0.93.0, the version of the ServiceMonitor/PodMonitor/PrometheusRule CRDs tokenscale targets. */
  prometheus: { chart: 'kube-prometheus-stack', version: '88.1.3', repo: 'https://prometheus-community.github.io/helm-charts' },
  /** KEDA v2.20.2, the version of the ScaledObject CRD tokenscale targets. */
  keda: { chart: 'keda', version: '2.20.2', repo: 'https://kedacore.github.io/charts' },
  /** Karpenter v1.14.1 (NodePool, EC2NodeClass). */
  karpenter: { chart: 'oci://public.ecr.aws/karpenter/karpenter', version: '1.14.1' },
  /** Gatekeeper v3.23.0 (ConstraintTemplate). */
  gatekeeper: { chart: 'gatekeeper', version: '3.23.0', repo: 'https://open-policy-agent.github.io/gatekeeper/charts' },
} as const;

/** Args of the ClusterAddons component. */
export interface ClusterAddonsArgs {
  /** EKS cluster name, for Karpenter. */
  readonly clusterName: pulumi.Input<string>;
  /** Interruption queue of a GpuNodePool, for Karpenter. @default - interruption handling off */
  readonly interruptionQueueName?: pulumi.Input<string>;
  /** Install kube-prometheus-stack. @default true */
  readonly prometheus?: boolean;
  /** Install KEDA (leave off when scalers use the hpa engine). @default true */
  readonly keda?: boolean;
  /** Install Karpenter. @default true */
  readonly karpenter?: boolean;
  /** Install Gatekeeper (for envelopes enforced at `gatekeeper`). @default false */
  readonly gatekeeper?: boolean;
  /** @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/**
 * The cluster add-ons tokenscale's objects need, as Helm releases with pinned charts, installed in an order
 * that puts CRDs before the custom resources that use them: pass `addons.ready` as `dependsOn` to the
 * components.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** The releases, for `dependsOn`. */
  public readonly ready: pulumi.Resource[] = [];

  public constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:ClusterAddons', name, {}, opts);
    const o = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
    const release = (id: string, a: k8s.helm.v3.ReleaseArgs, dependsOn: pulumi.Resource[] = []) => {
      const r = new k8s.helm.v3.Release(`${name}-${id}`, a, { ...o, dependsOn });
      this.ready.push(r);
      return r;
    };
    const prometheus = args.prometheus === false ? undefined : release('prometheus', {
      chart: ADDON_CHARTS.prometheus.chart,
      version: ADDON_CHARTS.prometheus.version,
      repositoryOpts: { repo: ADDON_CHARTS.prometheus.repo },
      namespace: 'monitoring',
      createNamespace: true,
      // Select every ServiceMonitor and PrometheusRule, not only the chart's own release label.
      values: {
        prometheus: {
          prometheusSpec: {
            serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false, ruleSelectorNilUsesHelmValues: false,
          },
        },
      },
    });
    const after = prometheus ? [prometheus] : [];
    if (args.keda !== false) {
      release('keda', { chart: ADDON_CHARTS.keda.chart, version: ADDON_CHARTS.keda.version, repositoryOpts: { repo: ADDON_CHARTS.keda.repo }, namespace: 'keda', createNamespace: true }, after);
    }
    if (args.karpenter !== false) {
      release('karpenter', {
        chart: ADDON_CHARTS.karpenter.chart,
        version: ADDON_CHARTS.karpenter.version,
        namespace: 'kube-system',
        values: {
          settings: { clusterName: args.clusterName, ...(args.interruptionQueueName ? { interruptionQueue: args.interruptionQueueName } : {}) },
        },
      });
    }
    if (args.gatekeeper === true) {
      release('gatekeeper', {
        chart: ADDON_CHARTS.gatekeeper.chart,
        version: ADDON_CHARTS.gatekeeper.version,
        repositoryOpts: { repo: ADDON_CHARTS.gatekeeper.repo },
        namespace: 'gatekeeper-system',
        createNamespace: true,
      });
    }
    this.registerOutputs({});
  }
}
