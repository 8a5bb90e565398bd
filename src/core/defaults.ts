/**
 * Every default number of tokenscale lives here once, with the reason it was chosen.
 * Sources are cited as upstream repository paths or documentation pages.
 */

/**
 * vLLM OpenAI-compatible server image, pinned. v0.24.0 is well past v0.18.0, the first release with
 * `--shutdown-timeout` (vllm-project/vllm#34730, re-landed as #36666; llm-d/llm-d#927), which the drain
 * sequence depends on.
 */
export const DEFAULT_VLLM_IMAGE = 'vllm/vllm-openai:v0.24.0';

/** First vLLM release that accepts `--shutdown-timeout`; older images abort in-flight requests on SIGTERM. */
export const MIN_VLLM_VERSION_WITH_SHUTDOWN_TIMEOUT = '0.18.0';

/** vLLM's API and `/metrics` port (`vllm/entrypoints/openai/cli_args.py`, `FrontendArgs.port`). */
export const VLLM_PORT = 8000;

/** Service port that exposes `/metrics` (same container port as the API; vLLM serves both on one listener). */
export const METRICS_SERVICE_PORT = 8001;

/** vLLM's default `--gpu-memory-utilization` (EngineArgs); the KV cache takes what the weights leave. */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** One GPU per replica: the common case for 7-8B models on 24 GB or larger GPUs. */
export const DEFAULT_GPUS_PER_REPLICA = 1;

/** Extended resource name of NVIDIA GPUs (NVIDIA device plugin). */
export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/** Taint key GPU node pools carry so that only GPU workloads land there (Karpenter GPU pool convention). */
export const GPU_TAINT_KEY = 'nvidia.com/gpu';

/**
 * Replicas of an interactive service without a scaler: two, so that a node drain or a zone outage leaves
 * one warm replica (no cold start on the request path).
 */
export const DEFAULT_INTERACTIVE_REPLICAS = 2;

/** Replicas of a batch service without a scaler: throughput work tolerates a restart. */
export const DEFAULT_BATCH_REPLICAS = 1;

/**
 * Time allowed for the first start: model download (16 GB for an 8B BF16 model), load and CUDA-graph
 * capture. Field budgets range from 150 s to 3 h; 600 s (KServe, GIE) is known to kill slow first
 * downloads, so the default is twice that (reference.md 1.3, field.md "Startup probe budget").
 */
export const DEFAULT_STARTUP_BUDGET_SECONDS = 1200;

/** Startup probe period; the failure threshold is the budget divided by it. */
export const STARTUP_PROBE_PERIOD_SECONDS = 10;

/** Readiness probe: `/health` every 5 s, out of rotation after 3 failures (15 s). */
export const READINESS_PERIOD_SECONDS = 5;
export const READINESS_FAILURE_THRESHOLD = 3;

/**
 * Liveness probe: conservative, because `/health` can be slow under a full batch and a restart costs a
 * full model load. Restart only after 4 failures 15 s apart, each with a 10 s timeout.
 */
export const LIVENESS_PERIOD_SECONDS = 15;
export const LIVENESS_TIMEOUT_SECONDS = 10;
export const LIVENESS_FAILURE_THRESHOLD = 4;

/** Probe request timeout for startup and readiness. */
export const PROBE_TIMEOUT_SECONDS = 5;

/**
 * preStop pause before SIGTERM, so Service endpoints and routers drop the pod before vLLM stops taking
 * requests. 15 s is what KServe LLMInferenceService and llm-d use (field.md section 12).
 */
export const DEFAULT_PRESTOP_SECONDS = 15;

/**
 * Longest answer the drain window must let finish, in output tokens. Together with the decode speed below
 * it gives the vLLM `--shutdown-timeout`.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/**
 * Conservative per-request decode speed under load, in tokens per second. An 8B model on an A100 decodes
 * ~75 tok/s for one request and less per request at batch sizes past the knee (reference.md 1.6), so 25 tok/s
 * covers a loaded replica. With 1024 tokens this gives a 41 s shutdown timeout, in line with KServe (40 s)
 * and llm-d (45 s).
 */
export const DEFAULT_DECODE_TOKENS_PER_SECOND = 25;

/** Margin between vLLM finishing its drain and the kubelet's SIGKILL (process exit, log flush). */
export const DEFAULT_DRAIN_BUFFER_SECONDS = 15;

/** `/dev/shm` size for NCCL and the engine's shared memory (vLLM's Kubernetes docs use 2Gi). */
export const DEFAULT_SHM_SIZE = '2Gi';

/** Model cache size when it is an emptyDir: an 8B BF16 model is 16 GB; leave room for a second revision. */
export const DEFAULT_MODEL_CACHE_SIZE = '50Gi';

/** Host CPU request of a replica: tokenization, the API server and the engine's scheduler loop. */
export const DEFAULT_CPU_REQUEST = '4';

/** Host memory request (and limit) of a replica: weights pass through host memory while loading. */
export const DEFAULT_MEMORY_REQUEST = '32Gi';

/** Namespace Prometheus runs in; it alone may scrape `/metrics` through the NetworkPolicy. */
export const DEFAULT_MONITORING_NAMESPACE = 'monitoring';

/** Scrape interval: matches the dcgm-exporter ServiceMonitor (reference.md section 2) and KEDA polling. */
export const DEFAULT_SCRAPE_INTERVAL = '15s';
export const DEFAULT_SCRAPE_TIMEOUT = '10s';

/** Pods a disruption may take down at once: never blocks a drain, unlike `minAvailable` = replicas. */
export const DEFAULT_PDB_MAX_UNAVAILABLE = 1;

/** UID and GID the server runs as; the upstream image runs as root unless told otherwise. */
export const DEFAULT_RUN_AS_USER = 1000;

/** Label key of the zone of a node (well-known Kubernetes label). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Label key of the region of a node (well-known Kubernetes label). */
export const REGION_LABEL = 'topology.kubernetes.io/region';

/** Label the API server sets on every namespace to its name (KEP-2161, on by default since Kubernetes 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Label key of the host name of a node (well-known Kubernetes label). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Requests waiting per replica the default queue-depth signal aims for (production-stack's default is 5). */
export const DEFAULT_QUEUE_DEPTH_PER_REPLICA = 5;

/**
 * KV-cache use the KV signal aims for, below llm-d's saturation threshold of 0.8 (field.md section 12). With
 * the queue signal, on the shared Azure trace (docs/simulator.md, `npm run bench`), 0.8 kept 99.7% and 99.3%
 * within the TTFT SLO after 15 and 30 minutes of warm-up but 97.4% after 45, when the scaler met the trace's
 * early burst with too few replicas; 0.75 kept 99.9%, 99.8% and 99.8% for 0.5% more GPU-hours on average.
 */
export const DEFAULT_KV_CACHE_TARGET = 0.75;

/** TTFT quantile and window of the latency signal. */
export const DEFAULT_TTFT_QUANTILE = 0.95;
export const DEFAULT_TTFT_WINDOW_SECONDS = 120;

/** Replica ceiling when none is given: a bounded spend (8 GPU-replicas) until a budget says otherwise. */
export const DEFAULT_MAX_REPLICAS = 8;

/**
 * Expected cold start of a new replica (node provisioning, image pull, model load). Scale-down
 * stabilization shorter than this oscillates: capacity removed now is needed again before it could return.
 */
export const DEFAULT_COLD_START_SECONDS = 300;

/**
 * Of the cold start, the share spent launching a GPU node and joining it to the cluster (EC2 launch, boot,
 * kubelet, NVIDIA device plugin). An assumption for the simulator, not an upstream figure: third-party
 * reports put a pod that needs a new Karpenter node at ~5 minutes against ~1 for one on a running node.
 */
export const DEFAULT_NODE_PROVISIONING_SECONDS = 120;

/**
 * Scale up fast: no stabilization, up to 4 pods or +100% per minute (the larger), because a GPU replica
 * takes minutes to become ready and queued requests wait meanwhile.
 */
export const DEFAULT_SCALE_UP = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max' as const,
  policies: [
    { type: 'Pods' as const, value: 4, periodSeconds: 60 },
    { type: 'Percent' as const, value: 100, periodSeconds: 60 },
  ],
};

/**
 * Scale down slowly: a 10-minute stabilization window (twice the cold start) and at most one pod every
 * 2 minutes, so a lull between bursts never throws away warm capacity (HPA's own default removes 100%
 * every 15 s after 5 minutes; reference.md section 4).
 */
export const DEFAULT_SCALE_DOWN = {
  stabilizationWindowSeconds: 600,
  selectPolicy: 'Min' as const,
  policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 120 }],
};

/** KEDA polling interval: matches the scrape interval, half KEDA's 30 s default (reference.md section 5). */
export const DEFAULT_POLLING_INTERVAL_SECONDS = 15;

/** Failed metric reads before KEDA switches to the fallback replica count. */
export const DEFAULT_FALLBACK_FAILURE_THRESHOLD = 3;

/** KEDA's wait before scaling to zero after the last active trigger (its default; only N -> 0 uses it). */
export const KEDA_COOLDOWN_SECONDS = 300;

/** In-cluster Prometheus of the prometheus-operator (its governing Service). */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

/** TTFT p95 above which the SLO-burn alert fires when no TTFT signal sets it (an existing bucket bound). */
export const DEFAULT_TTFT_SLO_SECONDS = 2.5;

/** GPU utilization (DCGM_FI_DEV_GPU_UTIL, 0-100) below which replicas above the floor count as idle. */
export const DEFAULT_IDLE_GPU_UTILIZATION_PERCENT = 10;

/**
 * Price of one GPU-hour for the dashboard's cost panel: a g5.xlarge (one A10G) on demand in us-east-1,
 * $1.006/h (AWS EC2 on-demand pricing page, 2026). Pass your own rate.
 */
export const DEFAULT_GPU_HOURLY_PRICE_USD = 1.006;

/** Prometheus Adapter image, pinned to its last release (reference.md section 3; the project is winding down). */
export const PROMETHEUS_ADAPTER_IMAGE = 'registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0';

/** How often the adapter re-lists series: new series stay invisible until then (upstream default 10m; manifests use 1m). */
export const PROMETHEUS_ADAPTER_RELIST_INTERVAL = '1m';

/** Pinned AMI alias for GPU nodes: an AL2023 release (Karpenter picks its NVIDIA variant for GPU types). `@latest` drifts every release. */
export const DEFAULT_AMI_ALIAS = 'al2023@v20260903';

/**
 * Empty GPU nodes are removed after this long; busy ones are never consolidated (WhenEmpty). Short, because
 * the scaler's scale-down stabilization already waits before a replica goes, and an empty GPU node bills
 * until it is gone: on the shared Azure trace the default example spent 9.18 GPU-hours with 1m, 9.45 with
 * 5m and 9.79 with 10m, at the same 100% within its TTFT SLO (docs/simulator.md).
 */
export const DEFAULT_CONSOLIDATE_AFTER = '1m';

/** Node lifetime before replacement (Karpenter default 720h; ai-on-eks GPU pools use the same). */
export const DEFAULT_EXPIRE_AFTER = '720h';

/** At most this share of a pool's nodes is disrupted at once (Karpenter's default budget). */
export const DEFAULT_DISRUPTION_BUDGET_NODES = '10%';

/** Root volume of a GPU node: the vLLM image is many GB and weights are cached on the node. */
export const DEFAULT_ROOT_VOLUME_GIB = 200;

/** Spot interruption notice: EC2 gives two minutes (reference.md 6.3). */
export const SPOT_INTERRUPTION_NOTICE_SECONDS = 120;

/**
 * How long Karpenter keeps a spot offering (instance type and zone) out of its launches after an interruption
 * warning for it: the interruption controller marks it unavailable, and its cache forgets after
 * `UnavailableOfferingsTTL` (aws/karpenter-provider-aws `pkg/controllers/interruption/controller.go`,
 * `pkg/cache/cache.go`: 3 minutes).
 */
export const SPOT_OFFERING_UNAVAILABLE_SECONDS = 180;

/** Hours in a month for cost envelopes (8760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Node label tokenscale puts on every node of a GPU pool; pods select their pool by it. */
export const GPU_POOL_LABEL = 'tokenscale.io/gpu-pool';

/** DCGM exporter image, pinned (reference.md section 2). */
export const DCGM_EXPORTER_IMAGE = 'nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless';

/** Longest a GPU node drain may take before Karpenter force-terminates: far above any pod's drain window. */
export const DEFAULT_NODE_TERMINATION_GRACE = '1h';

/**
 * vLLM's largest default `--max-num-seqs` for `vllm serve`: 1024 on H100, H200 and MI300, 256 elsewhere
 * (reference.md 1.2). No replica runs more sequences at once unless its service sets `maxNumSeqs`.
 */
export const VLLM_LARGEST_DEFAULT_MAX_NUM_SEQS = 1024;
