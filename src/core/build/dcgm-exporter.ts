/**
 * NVIDIA's DCGM exporter as a DaemonSet on GPU nodes only (reference.md section 2): unlike the upstream
 * chart, it tolerates the `nvidia.com/gpu` taint GPU pools carry and selects NVIDIA nodes, so it neither
 * misses tainted GPU nodes nor crash-loops on CPU nodes.
 */
import * as d from '../defaults';
import { TokenscaleError } from '../errors';
import type { KubeObject } from '../k8s/object';
import { checkNamespace } from '../spec/names';

/** DCGM exporter settings. */
export interface DcgmExporterSpec {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** @default 'nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless' */
  readonly image?: string;
  /** Labels your Prometheus selects ServiceMonitors by. @default - none */
  readonly monitorLabels?: Readonly<Record<string, string>>;
}

const NAME = 'dcgm-exporter';
const PORT = 9400;

export function buildDcgmExporter(spec: DcgmExporterSpec = {}): KubeObject[] {
  const issues = spec.namespace !== undefined ? checkNamespace('dcgmExporter.namespace', spec.namespace) : [];
  if (issues.length > 0) throw new TokenscaleError(issues, 'DcgmExporter');
  const namespace = spec.namespace ?? d.DEFAULT_MONITORING_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/managed-by': 'tokenscale' };
  const selector = { 'app.kubernetes.io/name': NAME };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace, labels }, automountServiceAccountToken: false },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: NAME, namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            nodeSelector: { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' },
            tolerations: [{ key: d.GPU_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{
              name: NAME,
              image: spec.image ?? d.DCGM_EXPORTER_IMAGE,
              args: ['-f', '/etc/dcgm-exporter/default-counters.csv'],
              env: [
                { name: 'DCGM_EXPORTER_LISTEN', value: `:${PORT}` },
                { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              ],
              ports: [{ name: 'metrics', containerPort: PORT, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/health', port: PORT }, initialDelaySeconds: 45, periodSeconds: 5 },
              readinessProbe: { httpGet: { path: '/health', port: PORT }, initialDelaySeconds: 45 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '512Mi' } },
              // As upstream: root with SYS_ADMIN only, for the DCGM_FI_PROF_* profiling counters.
              securityContext: { runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } },
              volumeMounts: [{ name: 'pod-gpu-resources', mountPath: '/var/lib/kubelet/pod-resources', readOnly: true }],
            }],
            volumes: [{ name: 'pod-gpu-resources', hostPath: { path: '/var/lib/kubelet/pod-resources' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace, labels },
      spec: { selector, ports: [{ name: 'metrics', port: PORT, targetPort: 'metrics', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: NAME, namespace, labels: { ...labels, ...(spec.monitorLabels ?? {}) } },
      // honorLabels false: the exporter's pod/namespace labels arrive as exported_pod/exported_namespace.
      spec: { selector: { matchLabels: selector }, namespaceSelector: { matchNames: [namespace] }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s', honorLabels: false }] },
    },
  ];
}
