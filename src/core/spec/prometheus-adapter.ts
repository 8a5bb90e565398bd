/**
 * The spec of the cluster's Prometheus Adapter, which serves the External metrics the HPA engine of
 * TokenAwareScaler reads (reference.md section 3).
 */
import * as d from '../defaults';
import type { SpecIssue } from '../errors';
import { checkInteger, checkKnownKeys } from './checks';
import { checkNamespace } from './names';

/** Prometheus Adapter settings. */
export interface PrometheusAdapterSpec {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** @default 'http://prometheus-operated.monitoring.svc:9090' */
  readonly prometheusUrl?: string;
  /** @default 'registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0' */
  readonly image?: string;
  /** @default 2 */
  readonly replicas?: number;
}

/** One external metric rule in the adapter's configuration. */
export interface AdapterExternalRule {
  /** External metric name the HPA asks for. */
  readonly name: string;
  /** Series selector the adapter uses to discover the metric. */
  readonly seriesQuery: string;
  /** The PromQL that computes the value (no template fields: it is already scoped to its service). */
  readonly metricsQuery: string;
}

/** A resolved adapter spec. */
export interface ResolvedPrometheusAdapter {
  readonly name: string;
  readonly namespace: string;
  readonly prometheusUrl: string;
  readonly image: string;
  readonly replicas: number;
}

export function resolvePrometheusAdapter(spec: PrometheusAdapterSpec = {}): ResolvedPrometheusAdapter {
  return {
    name: 'prometheus-adapter',
    namespace: spec.namespace ?? d.DEFAULT_MONITORING_NAMESPACE,
    prometheusUrl: spec.prometheusUrl ?? d.DEFAULT_PROMETHEUS_ADDRESS,
    image: spec.image ?? d.PROMETHEUS_ADAPTER_IMAGE,
    replicas: spec.replicas ?? 2,
  };
}

export function prometheusAdapterIssues(spec: PrometheusAdapterSpec = {}, path = 'adapter'): SpecIssue[] {
  const issues = [...checkKnownKeys(path, spec, ['namespace', 'prometheusUrl', 'image', 'replicas'])];
  if (spec.namespace !== undefined) issues.push(...checkNamespace(`${path}.namespace`, spec.namespace));
  if (spec.prometheusUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(spec.prometheusUrl)) {
    issues.push({ code: 'prometheus-address-invalid', path: `${path}.prometheusUrl`, value: spec.prometheusUrl, problem: 'it is not an http(s) URL', fix: `use e.g. "${d.DEFAULT_PROMETHEUS_ADDRESS}"` });
  }
  issues.push(...checkInteger(`${path}.replicas`, spec.replicas, { min: 1, max: 10, code: 'replicas-invalid', fix: 'use 2 for availability' }));
  return issues;
}
