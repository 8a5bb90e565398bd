/**
 * Prometheus series a vLLM server exposes on `/metrics` (V1 engine, reference.md 1.1, from
 * `vllm/v1/metrics/loggers.py`). Counters carry `_total` on exposition. Every series has the labels
 * `model_name` (the served model name) and `engine`.
 */
export const VLLM_METRICS = {
  requestsRunning: 'vllm:num_requests_running',
  requestsWaiting: 'vllm:num_requests_waiting',
  /** A 0..1 fraction despite the name. Replaces the deprecated `vllm:gpu_cache_usage_perc`. */
  kvCacheUsage: 'vllm:kv_cache_usage_perc',
  promptTokens: 'vllm:prompt_tokens_total',
  generationTokens: 'vllm:generation_tokens_total',
  requestSuccess: 'vllm:request_success_total',
  preemptions: 'vllm:num_preemptions_total',
  timeToFirstToken: 'vllm:time_to_first_token_seconds',
  interTokenLatency: 'vllm:inter_token_latency_seconds',
  e2eRequestLatency: 'vllm:e2e_request_latency_seconds',
  requestQueueTime: 'vllm:request_queue_time_seconds',
} as const;

/** The label vLLM puts the served model name in. */
export const VLLM_MODEL_LABEL = 'model_name';

/**
 * Label the scrape adds to every series of a replica with the zone its pod runs in (see build/monitor.ts);
 * absent where the pod has no zone label.
 */
export const ZONE_SERIES_LABEL = 'zone';

/**
 * The largest finite bucket of `vllm:e2e_request_latency_seconds` (reference.md 1.1): a quantile past it
 * reads as this bound, so an objective on completion time above it could never be seen to break.
 */
export const E2E_LATENCY_LARGEST_BUCKET_SECONDS = 7680;

/**
 * Upper bounds of the `vllm:time_to_first_token_seconds` histogram buckets. There is no 2.0 or 3.0 bucket:
 * an `le="2"` query matches nothing (reference.md 1.1).
 */
export const TTFT_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
  160.0, 640.0, 2560.0,
];
