/**
 * Prometheus Adapter objects (reference.md section 3, after the upstream deploy/manifests): the config
 * ConfigMap, Deployment, Service, the `v1beta1.external.metrics.k8s.io` APIService and RBAC. Only the
 * External metrics API is claimed: `metrics.k8s.io` stays with metrics-server, and KEDA must not run in the
 * same cluster (it registers the same APIService).
 */
import { stringify } from 'yaml';
import { PROMETHEUS_ADAPTER_RELIST_INTERVAL } from '../defaults';
import { TokenscaleError } from '../errors';
import type { KubeObject } from '../k8s/object';
import { AdapterExternalRule, PrometheusAdapterSpec, prometheusAdapterIssues, resolvePrometheusAdapter } from '../spec/prometheus-adapter';

const LABELS = { 'app.kubernetes.io/name': 'prometheus-adapter', 'app.kubernetes.io/managed-by': 'tokenscale' };

/** The adapter's `config.yaml`: one external rule per signal. */
export function adapterConfig(rules: readonly AdapterExternalRule[]): string {
  return stringify({
    externalRules: rules.map((r) => ({
      seriesQuery: r.seriesQuery,
      // The query is already scoped to its service's namespace; do not inject the HPA's namespace.
      resources: { namespaced: false },
      name: { as: r.name },
      metricsQuery: r.metricsQuery,
    })),
  }, { lineWidth: 0 });
}

/** Builds every adapter object with the given external rules. */
export function buildPrometheusAdapter(spec: PrometheusAdapterSpec, rules: readonly AdapterExternalRule[]): KubeObject[] {
  const issues = prometheusAdapterIssues(spec);
  const names = new Set<string>();
  rules.forEach((r, i) => {
    if (names.has(r.name)) issues.push({ code: 'external-metric-duplicate', path: `adapter.rules[${i}].name`, value: r.name, problem: 'two rules serve the same metric', fix: 'give each scaler a distinct service name' });
    names.add(r.name);
  });
  if (issues.length > 0) throw new TokenscaleError(issues, 'PrometheusAdapter');
  const a = resolvePrometheusAdapter(spec);
  const meta = (name: string, namespace: string | undefined = a.namespace) => ({ name, ...(namespace ? { namespace } : {}), labels: LABELS });
  const sa = { kind: 'ServiceAccount', name: a.name, namespace: a.namespace };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(a.name), automountServiceAccountToken: true },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${a.name}-config`), data: { 'config.yaml': adapterConfig(rules) } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(a.name, undefined),
      rules: [{ apiGroups: [''], resources: ['nodes', 'namespaces', 'pods', 'services'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(a.name, undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: a.name },
      subjects: [sa],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(`${a.name}:system:auth-delegator`, undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [sa],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(`${a.name}-auth-reader`, 'kube-system'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [sa],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(`${a.name}-external-metrics`, undefined),
      rules: [{ apiGroups: ['external.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(`${a.name}-hpa-external-metrics`, undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${a.name}-external-metrics` },
      subjects: [{ kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(a.name),
      spec: {
        replicas: a.replicas,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: a.name,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'prometheus-adapter',
              image: a.image,
              args: [
                '--cert-dir=/var/run/serving-cert',
                '--config=/etc/adapter/config.yaml',
                `--metrics-relist-interval=${PROMETHEUS_ADAPTER_RELIST_INTERVAL}`,
                `--prometheus-url=${a.prometheusUrl}`,
                '--secure-port=6443',
              ],
              ports: [{ name: 'https', containerPort: 6443, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5, failureThreshold: 5 },
              resources: { requests: { cpu: '102m', memory: '180Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/adapter', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'serving-cert', mountPath: '/var/run/serving-cert' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: `${a.name}-config` } },
              { name: 'tmp', emptyDir: {} },
              { name: 'serving-cert', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(a.name),
      spec: { selector: LABELS, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: meta('v1beta1.external.metrics.k8s.io', undefined),
      spec: {
        service: { name: a.name, namespace: a.namespace, port: 443 },
        group: 'external.metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
}
