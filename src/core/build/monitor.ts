import * as d from '../defaults';
import { selectorLabels, serviceLabels } from './labels';
import { API_PORT_NAME, METRICS_PORT_NAME } from './vllm-container';
import type { PodMonitor, ServiceMonitor } from '../k8s/monitoring';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

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
