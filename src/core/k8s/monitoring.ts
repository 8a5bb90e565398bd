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
  readonly relabelings: TargetRelabeling[];
}

/** A relabeling of a scrape target, applied before the scrape (`RelabelConfig`). */
export interface TargetRelabeling {
  readonly action: 'replace';
  readonly sourceLabels: string[];
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
