/**
 * The spec of an LLM inference service: a vLLM OpenAI-compatible server on GPUs, with everything a
 * production deployment needs around it. Plain, readonly and YAML-friendly: the cdk8s props, the Pulumi
 * args and the CLI's YAML all use it.
 */
import { KNOWN_MODELS, ModelProfile } from '../catalog/models';
import * as d from '../defaults';
import { DrainTimings, drainTimings } from '../drain';

/** How a service is used: `interactive` services answer people and keep warm capacity; `batch` ones may wait. */
export type WorkloadClass = 'interactive' | 'batch';

/** A key of a Kubernetes Secret in the service's namespace. */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /**
   * Key within the Secret.
   * @default 'token'
   */
  readonly key?: string;
}

/**
 * Where downloaded model weights are kept.
 *
 * @discriminator kind
 */
export type ModelCacheSpec =
  /** A per-pod emptyDir: every new pod downloads the weights again. */
  | { readonly kind: 'emptyDir'; /** @default '50Gi' */ readonly sizeLimit?: string }
  /** An existing PersistentVolumeClaim, typically ReadOnlyMany or ReadWriteMany, shared by all replicas. */
  | { readonly kind: 'persistentVolumeClaim'; readonly claimName: string; /** @default false */ readonly readOnly?: boolean };

/** Host resources of one replica (GPUs are set by `gpusPerReplica`). */
export interface ReplicaResourcesSpec {
  /**
   * CPU request. No CPU limit is set: throttling the API server adds latency to every token.
   * @default '4'
   */
  readonly cpu?: string;
  /**
   * Memory request and limit (equal, so the pod is not evicted under node memory pressure first).
   * @default '32Gi'
   */
  readonly memory?: string;
  /**
   * Size of `/dev/shm`, used by NCCL with tensor parallelism.
   * @default '2Gi'
   * @see https://docs.vllm.ai/en/stable/deployment/k8s.html
   */
  readonly sharedMemory?: string;
}

/** Where replicas may run. */
export interface PlacementSpec {
  /**
   * Extended resource name of the GPU.
   * @default 'nvidia.com/gpu'
   */
  readonly gpuResourceName?: string;
  /**
   * Tolerate the `nvidia.com/gpu` NoSchedule taint GPU node pools carry.
   * @default true
   */
  readonly tolerateGpuTaint?: boolean;
  /**
   * Node labels a node must carry.
   * @default - none
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Zones replicas may run in (node affinity on `topology.kubernetes.io/zone`). Data-residency rules are
   * written against this list.
   * @default - any zone
   */
  readonly zones?: readonly string[];
  /**
   * How strictly replicas spread across zones. `required` keeps pods Pending rather than stacking them in
   * one zone (Karpenter then provisions a node in another zone); `preferred` spreads when it can.
   * @default - 'required' for interactive services, 'preferred' for batch
   */
  readonly zoneSpread?: 'required' | 'preferred';
}

/** Labels that attribute GPU spend, copied onto every object and pod. */
export interface CostLabelsSpec {
  /** @default - none */
  readonly team?: string;
  /** @default - none */
  readonly feature?: string;
  /** @default - none */
  readonly costCenter?: string;
}

/** How the pod drains in-flight requests before it stops. */
export interface DrainSpec {
  /**
   * Longest answer, in output tokens, that a drain must let finish.
   * @default 1024
   */
  readonly maxOutputTokens?: number;
  /**
   * Cap every answer at `maxOutputTokens` in vLLM (`--override-generation-config={"max_new_tokens":N}`, which
   * vLLM takes as an upper bound on each request's `max_tokens`: `get_max_tokens` in
   * `vllm/entrypoints/serve/utils/api_utils.py`), so no answer outlives the drain window. A request that asks
   * for more ends at the cap with `finish_reason: "length"`. Without the cap, answers longer than
   * `maxOutputTokens` can be cut when their replica is removed.
   * @default false
   */
  readonly capOutputTokens?: boolean;
  /**
   * Assumed per-request decode speed under load, in tokens per second. The vLLM `--shutdown-timeout` is
   * `ceil(maxOutputTokens / decodeTokensPerSecond)`.
   * On a node pool, a speed left unset comes from the pool's GPU (see `drainSpeedOnPool`): ~11 for an 8B model on an L4.
   * @default - 25, or the speed of one request on a loaded replica of the pool's GPU when that is slower
   */
  readonly decodeTokensPerSecond?: number;
  /**
   * Pause in preStop before SIGTERM, so endpoints drop the pod first.
   * @default 15
   */
  readonly preStopSeconds?: number;
  /**
   * Margin after the shutdown timeout before the kubelet's SIGKILL.
   * @default 15
   */
  readonly bufferSeconds?: number;
  /**
   * Pod termination grace period. Must be at least preStop + shutdown timeout + buffer.
   * @default - preStopSeconds + shutdown timeout + bufferSeconds
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** Which clients may reach the API. */
export interface ClientPeerSpec {
  /** Pods with these labels. @default - any pod of the selected namespaces */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Namespaces with these labels. @default - the service's own namespace */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/** Network exposure of the service. */
export interface NetworkSpec {
  /**
   * Peers allowed to call the API (port 8000).
   * @default - every pod of the service's namespace
   */
  readonly allowedClients?: readonly ClientPeerSpec[];
  /**
   * Namespace whose pods may scrape `/metrics`.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/** How Prometheus finds the metrics. */
export interface MonitoringSpec {
  /**
   * `serviceMonitor` or `podMonitor` (prometheus-operator), or `none`.
   * @default 'serviceMonitor'
   */
  readonly kind?: 'serviceMonitor' | 'podMonitor' | 'none';
  /**
   * Scrape interval.
   * @default '15s'
   */
  readonly interval?: string;
  /**
   * Labels your Prometheus selects monitors by (for example `release: kube-prometheus-stack`).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The spec of one LLM inference service. */
export interface LlmInferenceServiceSpec {
  /** Name of the service and of all its objects (a DNS-1035 label, at most 52 characters). */
  readonly name: string;
  /**
   * Namespace of all its objects.
   * @default 'default'
   */
  readonly namespace?: string;
  /** Model to serve: a Hugging Face id (`meta-llama/Llama-3.1-8B-Instruct`) or a path in the model cache. */
  readonly model: string;
  /**
   * Memory profile of the model, for the fit check against a GPU pool.
   * @default - the catalog profile of well-known model ids; none (no fit check) otherwise
   */
  readonly modelProfile?: ModelProfile;
  /**
   * Name clients use in requests and the `model_name` label of every vLLM metric.
   * @default - the model id, as vLLM does
   */
  readonly servedModelName?: string;
  /**
   * vLLM OpenAI-compatible server image, with a tag or a digest.
   * @default 'vllm/vllm-openai:v0.24.0'
   */
  readonly image?: string;
  /**
   * GPUs per replica.
   * @default 1
   */
  readonly gpusPerReplica?: number;
  /**
   * Tensor-parallel size; must divide `gpusPerReplica` (the rest is pipeline parallelism).
   * @default - gpusPerReplica
   */
  readonly tensorParallelSize?: number;
  /**
   * Fraction of GPU memory vLLM may use for weights, activations and KV cache, in (0, 1].
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /** Context length (`--max-model-len`). @default - from the model's config */
  readonly maxModelLen?: number;
  /** Concurrent sequences per replica (`--max-num-seqs`). @default - vLLM's hardware-dependent default */
  readonly maxNumSeqs?: number;
  /** Tokens per engine step (`--max-num-batched-tokens`). @default - vLLM's hardware-dependent default */
  readonly maxNumBatchedTokens?: number;
  /** Further `vllm serve` arguments, appended as given. @default - none */
  readonly extraEngineArgs?: readonly string[];
  /** Hugging Face token for gated models, exposed as `HF_TOKEN`. @default - none (public models) */
  readonly hfTokenSecret?: SecretKeyReference;
  /**
   * Where weights are cached.
   * @default { kind: 'emptyDir', sizeLimit: '50Gi' }
   */
  readonly modelCache?: ModelCacheSpec;
  /** `--download-dir` for weights. @default - the Hugging Face cache under the model cache */
  readonly downloadDir?: string;
  /**
   * Workload class: interactive services keep warm replicas, spread strictly across zones and never
   * scale to zero.
   * @default 'interactive'
   */
  readonly workload?: WorkloadClass;
  /**
   * Fixed replica count, for use without a scaler.
   * @default - 2 for interactive services, 1 for batch
   */
  readonly replicas?: number;
  /** Host resources of a replica. @default - 4 CPUs, 32Gi memory, 2Gi shared memory */
  readonly resources?: ReplicaResourcesSpec;
  /** Node placement. @default - tolerate the GPU taint, any zone, zone spread per workload class */
  readonly placement?: PlacementSpec;
  /** Cost-attribution labels. @default - none */
  readonly costLabels?: CostLabelsSpec;
  /** Drain of in-flight requests. @default - 1024 tokens at 25 tok/s, 15 s preStop, 15 s buffer (71 s grace) */
  readonly drain?: DrainSpec;
  /**
   * Time a new pod gets to download and load the model before the startup probe gives up, in seconds.
   * @default 1200
   */
  readonly startupBudgetSeconds?: number;
  /** Network exposure. @default - API open to the namespace, metrics to `monitoring` */
  readonly network?: NetworkSpec;
  /** Prometheus discovery. @default - a ServiceMonitor scraping every 15 s */
  readonly monitoring?: MonitoringSpec;
  /** Extra labels on every object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A spec with every default applied: what the builders consume. */
export interface ResolvedLlmInferenceService {
  readonly name: string;
  readonly namespace: string;
  readonly model: string;
  /** @default - none: the model is not in the catalog */
  readonly modelProfile?: ModelProfile;
  readonly servedModelName: string;
  readonly image: string;
  readonly gpusPerReplica: number;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  readonly gpuMemoryUtilization: number;
  /** @default - unset: the model config decides */
  readonly maxModelLen?: number;
  /** @default - unset: vLLM's hardware-dependent default */
  readonly maxNumSeqs?: number;
  /** @default - unset: vLLM's hardware-dependent default */
  readonly maxNumBatchedTokens?: number;
  readonly extraEngineArgs: readonly string[];
  /** @default - none */
  readonly hfTokenSecret?: Required<SecretKeyReference>;
  readonly modelCache: ModelCacheSpec;
  /** @default - under HF_HOME */
  readonly downloadDir?: string;
  readonly workload: WorkloadClass;
  readonly replicas: number;
  readonly replicasExplicit: boolean;
  readonly resources: Required<ReplicaResourcesSpec>;
  readonly placement: {
    readonly gpuResourceName: string;
    readonly tolerateGpuTaint: boolean;
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly zones?: readonly string[];
    readonly zoneSpread: 'required' | 'preferred';
  };
  readonly costLabels: CostLabelsSpec;
  readonly drain: DrainTimings & { readonly maxOutputTokens: number; readonly decodeTokensPerSecond: number; readonly capOutputTokens: boolean };
  readonly startupBudgetSeconds: number;
  readonly network: { readonly allowedClients?: readonly ClientPeerSpec[]; readonly monitoringNamespace: string };
  readonly monitoring: Required<MonitoringSpec>;
  readonly labels: Readonly<Record<string, string>>;
}

/** Applies defaults without touching the caller's object. Call `validateLlmInferenceService` first. */
export function resolveLlmInferenceService(spec: LlmInferenceServiceSpec): ResolvedLlmInferenceService {
  const gpus = spec.gpusPerReplica ?? d.DEFAULT_GPUS_PER_REPLICA;
  const tp = spec.tensorParallelSize ?? gpus;
  const workload = spec.workload ?? 'interactive';
  const drainInputs = {
    maxOutputTokens: spec.drain?.maxOutputTokens ?? d.DEFAULT_MAX_OUTPUT_TOKENS,
    decodeTokensPerSecond: spec.drain?.decodeTokensPerSecond ?? d.DEFAULT_DECODE_TOKENS_PER_SECOND,
    preStopSeconds: spec.drain?.preStopSeconds ?? d.DEFAULT_PRESTOP_SECONDS,
    bufferSeconds: spec.drain?.bufferSeconds ?? d.DEFAULT_DRAIN_BUFFER_SECONDS,
  };
  return {
    name: spec.name,
    namespace: spec.namespace ?? 'default',
    model: spec.model,
    modelProfile: spec.modelProfile ?? KNOWN_MODELS[spec.model],
    servedModelName: spec.servedModelName ?? spec.model,
    image: spec.image ?? d.DEFAULT_VLLM_IMAGE,
    gpusPerReplica: gpus,
    tensorParallelSize: tp,
    pipelineParallelSize: gpus / tp,
    gpuMemoryUtilization: spec.gpuMemoryUtilization ?? d.DEFAULT_GPU_MEMORY_UTILIZATION,
    maxModelLen: spec.maxModelLen,
    maxNumSeqs: spec.maxNumSeqs,
    maxNumBatchedTokens: spec.maxNumBatchedTokens,
    extraEngineArgs: [...(spec.extraEngineArgs ?? [])],
    hfTokenSecret: spec.hfTokenSecret
      ? { secretName: spec.hfTokenSecret.secretName, key: spec.hfTokenSecret.key ?? 'token' }
      : undefined,
    modelCache: spec.modelCache ?? { kind: 'emptyDir', sizeLimit: d.DEFAULT_MODEL_CACHE_SIZE },
    downloadDir: spec.downloadDir,
    workload,
    replicas: spec.replicas ?? (workload === 'interactive' ? d.DEFAULT_INTERACTIVE_REPLICAS : d.DEFAULT_BATCH_REPLICAS),
    replicasExplicit: spec.replicas !== undefined,
    resources: {
      cpu: spec.resources?.cpu ?? d.DEFAULT_CPU_REQUEST,
      memory: spec.resources?.memory ?? d.DEFAULT_MEMORY_REQUEST,
      sharedMemory: spec.resources?.sharedMemory ?? d.DEFAULT_SHM_SIZE,
    },
    placement: {
      gpuResourceName: spec.placement?.gpuResourceName ?? d.DEFAULT_GPU_RESOURCE,
      tolerateGpuTaint: spec.placement?.tolerateGpuTaint ?? true,
      nodeSelector: { ...(spec.placement?.nodeSelector ?? {}) },
      zones: spec.placement?.zones ? [...spec.placement.zones] : undefined,
      zoneSpread: spec.placement?.zoneSpread ?? (workload === 'interactive' ? 'required' : 'preferred'),
    },
    costLabels: { ...(spec.costLabels ?? {}) },
    drain: {
      ...drainTimings(drainInputs, spec.drain?.terminationGracePeriodSeconds),
      maxOutputTokens: drainInputs.maxOutputTokens,
      decodeTokensPerSecond: drainInputs.decodeTokensPerSecond,
      capOutputTokens: spec.drain?.capOutputTokens ?? false,
    },
    startupBudgetSeconds: spec.startupBudgetSeconds ?? d.DEFAULT_STARTUP_BUDGET_SECONDS,
    network: {
      allowedClients: spec.network?.allowedClients,
      monitoringNamespace: spec.network?.monitoringNamespace ?? d.DEFAULT_MONITORING_NAMESPACE,
    },
    monitoring: {
      kind: spec.monitoring?.kind ?? 'serviceMonitor',
      interval: spec.monitoring?.interval ?? d.DEFAULT_SCRAPE_INTERVAL,
      labels: { ...(spec.monitoring?.labels ?? {}) },
    },
    labels: { ...(spec.labels ?? {}) },
  };
}

