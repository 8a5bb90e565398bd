import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubeObject } from './object';

/**
 * The parts of prometheus-operator's `monitoring.coreos.com/v1` kinds that tokenscale emits.
 * Field names follow the upstream CRDs (prometheus-operator v0.93.0).
 */
export interface ScrapeEndpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly scrapeTimeout: string;
  /** Relabelings of the target before the scrape: the pod's zone as the series' `zone` label. */
  readonly relabelings: TargetRelabeling[];
}

/** A relabeling of a scrape target, applied before the scrape (`RelabelConfig`). */
export interface TargetRelabeling {
  /** Sets `targetLabel` to the source labels' values, joined (an empty value removes the label). */
  readonly action: 'replace';
  /** Labels of the discovered target to read, such as `__meta_kubernetes_pod_label_<name>`. */
  readonly sourceLabels: string[];
  /** The label the series get. */
  readonly targetLabel: string;
}

export interface ServiceMonitor extends KubeObject {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'ServiceMonitor';
  readonly spec: {
    readonly selector: LabelSelector;
    readonly namespaceSelector: { readonly matchNames: string[] };
    readonly endpoints: ScrapeEndpoint[];
  };
}

export interface PodMonitor extends KubeObject {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PodMonitor';
  readonly spec: {
    readonly selector: LabelSelector;
    readonly namespaceSelector: { readonly matchNames: string[] };
    readonly podMetricsEndpoints: ScrapeEndpoint[];
  };
}
