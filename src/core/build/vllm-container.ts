/**
 * The vLLM server container: command, arguments, probes, drain and security settings
 * (reference.md section 1).
 */
import type { Container, EnvVar, VolumeMount } from 'kubernetes-types/core/v1';
import * as d from '../defaults';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** Container and volume names of the server pod. */
export const VLLM_CONTAINER = 'vllm';
export const API_PORT_NAME = 'http';
export const METRICS_PORT_NAME = 'metrics';

/** Mount paths: the only writable places under a read-only root filesystem. */
export const PATHS = {
  modelCache: '/var/cache/models',
  home: '/home/vllm',
  tmp: '/tmp',
  shm: '/dev/shm',
} as const;

/** `vllm serve` arguments derived from the spec. The model is positional (reference.md 1.2). */
export function vllmArgs(service: ResolvedLlmInferenceService): string[] {
  const args = [
    service.model,
    '--served-model-name', service.servedModelName,
    '--port', String(d.VLLM_PORT),
    '--tensor-parallel-size', String(service.tensorParallelSize),
  ];
  if (service.pipelineParallelSize > 1) args.push('--pipeline-parallel-size', String(service.pipelineParallelSize));
  args.push('--gpu-memory-utilization', String(service.gpuMemoryUtilization));
  if (service.maxModelLen !== undefined) args.push('--max-model-len', String(service.maxModelLen));
  if (service.maxNumSeqs !== undefined) args.push('--max-num-seqs', String(service.maxNumSeqs));
  if (service.maxNumBatchedTokens !== undefined) args.push('--max-num-batched-tokens', String(service.maxNumBatchedTokens));
  if (service.downloadDir !== undefined) args.push('--download-dir', service.downloadDir);
  // Reject new requests on SIGTERM and wait this long for in-flight ones (vllm-project/vllm#36666).
  args.push(`--shutdown-timeout=${service.drain.shutdownTimeoutSeconds}`);
  // An upper bound on every request's max_tokens (`get_max_tokens`, vllm/entrypoints/serve/utils/api_utils.py).
  if (service.drain.capOutputTokens) args.push(`--override-generation-config=${JSON.stringify({ max_new_tokens: service.drain.maxOutputTokens })}`);
  return [...args, ...service.extraEngineArgs];
}

/** Environment variables that carry the pod's topology labels, and the labels. */
const TOPOLOGY_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['TOPOLOGY_ZONE', d.ZONE_LABEL],
  ['TOPOLOGY_REGION', d.REGION_LABEL],
];

function env(service: ResolvedLlmInferenceService): EnvVar[] {
  const vars: EnvVar[] = [
    // The image's HOME is /root; the server runs as a non-root user with a read-only root filesystem.
    { name: 'HOME', value: PATHS.home },
    { name: 'HF_HOME', value: `${PATHS.modelCache}/huggingface` },
    // Provenance: each log line can be tied to the pod, node and namespace that served it.
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    // Data residency: the zone and region the pod runs in. From Kubernetes 1.35 the PodTopologyLabels admission
    // plugin (feature gate PodTopologyLabelsAdmission, beta and on by default) copies the node's
    // topology.kubernetes.io/{zone,region} labels onto the pod at binding (plugin/pkg/admission/podtopologylabels);
    // where it is off, a missing label reads as empty (pkg/fieldpath/fieldpath.go), so the variables are set but empty.
    ...TOPOLOGY_LABELS.map(([name, label]) => ({ name, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${label}']` } } })),
  ];
  if (service.hfTokenSecret) {
    vars.push({
      name: 'HF_TOKEN',
      valueFrom: { secretKeyRef: { name: service.hfTokenSecret.secretName, key: service.hfTokenSecret.key } },
    });
  }
  return vars;
}

function mounts(service: ResolvedLlmInferenceService): VolumeMount[] {
  const cacheReadOnly = service.modelCache.kind === 'persistentVolumeClaim' && service.modelCache.readOnly === true;
  return [
    { name: 'model-cache', mountPath: PATHS.modelCache, ...(cacheReadOnly ? { readOnly: true } : {}) },
    { name: 'home', mountPath: PATHS.home },
    { name: 'tmp', mountPath: PATHS.tmp },
    { name: 'shm', mountPath: PATHS.shm },
  ];
}

/** The server container. */
export function vllmContainer(service: ResolvedLlmInferenceService): Container {
  const gpus = String(service.gpusPerReplica);
  const health = { path: '/health', port: API_PORT_NAME };
  return {
    name: VLLM_CONTAINER,
    image: service.image,
    command: ['vllm', 'serve'],
    args: vllmArgs(service),
    ports: [{ name: API_PORT_NAME, containerPort: d.VLLM_PORT, protocol: 'TCP' }],
    env: env(service),
    resources: {
      requests: { cpu: service.resources.cpu, memory: service.resources.memory, [service.placement.gpuResourceName]: gpus },
      limits: { memory: service.resources.memory, [service.placement.gpuResourceName]: gpus },
    },
    // Model download, load and CUDA-graph capture take minutes; liveness and readiness wait for it.
    startupProbe: {
      httpGet: health,
      periodSeconds: d.STARTUP_PROBE_PERIOD_SECONDS,
      timeoutSeconds: d.PROBE_TIMEOUT_SECONDS,
      failureThreshold: Math.ceil(service.startupBudgetSeconds / d.STARTUP_PROBE_PERIOD_SECONDS),
    },
    readinessProbe: {
      httpGet: health,
      periodSeconds: d.READINESS_PERIOD_SECONDS,
      timeoutSeconds: d.PROBE_TIMEOUT_SECONDS,
      failureThreshold: d.READINESS_FAILURE_THRESHOLD,
    },
    livenessProbe: {
      httpGet: health,
      periodSeconds: d.LIVENESS_PERIOD_SECONDS,
      timeoutSeconds: d.LIVENESS_TIMEOUT_SECONDS,
      failureThreshold: d.LIVENESS_FAILURE_THRESHOLD,
    },
    // Endpoints drop the pod during this pause, before SIGTERM starts vLLM's drain. The sleep action
    // (Kubernetes >= 1.30) needs no shell in the image.
    lifecycle: { preStop: { sleep: { seconds: service.drain.preStopSeconds } } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: mounts(service),
  };
}
