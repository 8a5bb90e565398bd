/**
 * kube-state-metrics series tokenscale's alerts read. kube-prometheus-stack (which `ClusterAddons` installs)
 * runs kube-state-metrics and scrapes it with `honorLabels: true` at Prometheus's default interval (its
 * values.yaml, `kube-state-metrics.prometheus.monitor`), so a pod series keeps its own `namespace` and `pod`
 * labels. From kubernetes/kube-state-metrics `docs/metrics/workload/pod-metrics.md`: every pod series carries
 * the labels `namespace`, `pod` and `uid`.
 */
export const KUBE_STATE_METRICS = {
  /**
   * Gauge, Unix seconds: the pod's `metadata.deletionTimestamp`, present while the pod terminates. For a
   * graceful delete the API server sets it to the delete request's time plus the grace period: the moment the
   * kubelet sends SIGKILL (ObjectMeta in the Kubernetes API). Experimental, exported by default.
   */
  podDeletionTimestamp: 'kube_pod_deletion_timestamp',
} as const;

/**
 * How often Prometheus scrapes a target whose monitor sets no interval, seconds: the prometheus-operator
 * default of the Prometheus resource's `scrapeInterval` (Documentation/api.md: "Default: 30s"), which
 * kube-prometheus-stack keeps, kube-state-metrics included.
 */
export const DEFAULT_PROMETHEUS_SCRAPE_SECONDS = 30;
