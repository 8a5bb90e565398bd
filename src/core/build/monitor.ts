import * as d from '../defaults';
import { selectorLabels, serviceLabels } from './labels';
import { API_PORT_NAME, METRICS_PORT_NAME } from './vllm-container';
import type { PodMonitor, ServiceMonitor, TargetRelabeling } from '../k8s/monitoring';
import { ZONE_SERIES_LABEL } from '../metrics/vllm';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/**
 * The pod's `topology.kubernetes.io/zone` label (copied from its node at binding from Kubernetes 1.35; see
 * vllm-container.ts) as the `zone` label of its series. Prometheus attaches the labels of the pod behind each
 * endpoint as `__meta_kubernetes_pod_label_<name>`, with every character of the name outside [a-zA-Z0-9_] turned
 * into `_` (strutil.SanitizeLabelName); a pod without the label gives an empty value, which Prometheus drops, so
 * the series then carry no `zone`.
 */
const ZONE_RELABELING: TargetRelabeling = {
  action: 'replace',
  sourceLabels: [`__meta_kubernetes_pod_label_${d.ZONE_LABEL.replace(/[^a-zA-Z0-9_]/g, '_')}`],
  targetLabel: ZONE_SERIES_LABEL,
};

/** The prometheus-operator object that scrapes `/metrics`, or undefined when monitoring is off. */
export function buildMonitor(service: ResolvedLlmInferenceService): ServiceMonitor | PodMonitor | undefined {
  const metadata = {
    name: service.name,
    namespace: service.namespace,
    labels: { ...serviceLabels(service), ...service.monitoring.labels },
  };
  const endpoint = (port: string) => ({
    port,
    path: '/metrics',
    interval: service.monitoring.interval,
    scrapeTimeout: d.DEFAULT_SCRAPE_TIMEOUT,
    relabelings: [ZONE_RELABELING],
  });
  const selector = { matchLabels: selectorLabels(service) };
  const namespaceSelector = { matchNames: [service.namespace] };
  switch (service.monitoring.kind) {
    case 'serviceMonitor':
      return {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata,
        spec: { selector, namespaceSelector, endpoints: [endpoint(METRICS_PORT_NAME)] },
      };
    case 'podMonitor':
      return {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata,
        spec: { selector, namespaceSelector, podMetricsEndpoints: [endpoint(API_PORT_NAME)] },
      };
    case 'none':
      return undefined;
  }
}
