/**
 * Replica profiles for any catalog model on any catalog GPU, from a roofline model calibrated on published
 * vLLM measurements. Decode is memory-bound at small batches (each step reads the weights once) and gains a
 * per-sequence cost (reading its KV cache and computing its token); prefill is compute-bound.
 *
 * GPU figures are NVIDIA datasheet values (memory bandwidth; dense BF16/FP16 tensor TFLOPS without
 * sparsity): T4 320 GB/s and 65 TFLOPS (FP16; no BF16), A10 600 GB/s and 125 TFLOPS (the A10G of g5 is
 * assumed equal), L4 300 GB/s and 121 TFLOPS, L40S 864 GB/s and 362 TFLOPS, A100 40 GB 1,555 GB/s and 312
 * TFLOPS, H100 SXM 3,350 GB/s and 989 TFLOPS.
 *
 * The efficiencies are calibrated, not measured here: 78% of peak bandwidth makes Llama-3.1-8B BF16 decode
 * at ~75 tokens/s at concurrency 1 on an A100-40GB, and 50% of peak FLOPS for the per-token compute puts
 * the concurrency-8 aggregate near the ~6.6x reported for the same setup (reference.md 1.6, third-party
 * figures for vLLM 0.23). test/core/gpu-profiles.test.ts records how close the model comes to them and to
 * the ~12.5k output tokens/s quoted for an 8B model on one H100.
 */
import { decodeStepSeconds, ReplicaProfile } from './replica-profile';
import { weightsGiB } from '../catalog/model-fit';
import type { ModelProfile } from '../catalog/models';
import { replicaHost } from '../cost/placement';
import { DEFAULT_NODE_PROVISIONING_SECONDS } from '../defaults';
import type { ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** Datasheet figures of a GPU. */
export interface GpuSpec {
  /** Peak memory bandwidth, GB/s. */
  readonly memoryBandwidthGBps: number;
  /** Dense BF16 (FP16 on T4) tensor throughput, TFLOPS. */
  readonly tensorTflops: number;
}

/** By Karpenter `instance-gpu-name`. */
export const GPU_SPECS: Readonly<Record<string, GpuSpec>> = {
  t4: { memoryBandwidthGBps: 320, tensorTflops: 65 },
  a10g: { memoryBandwidthGBps: 600, tensorTflops: 125 },
  l4: { memoryBandwidthGBps: 300, tensorTflops: 121 },
  l40s: { memoryBandwidthGBps: 864, tensorTflops: 362 },
  a100: { memoryBandwidthGBps: 1555, tensorTflops: 312 },
  h100: { memoryBandwidthGBps: 3350, tensorTflops: 989 },
};

/** Share of peak bandwidth decode achieves (calibrated). */
export const DECODE_BANDWIDTH_EFFICIENCY = 0.78;
/** Share of peak FLOPS of the per-token compute in decode and of prefill (calibrated). */
export const COMPUTE_EFFICIENCY = 0.5;

/** Inputs of a derived profile. */
export interface ReplicaProfileInputs {
  readonly model: ModelProfile;
  /** Karpenter GPU name, a key of GPU_SPECS. */
  readonly gpuName: string;
  readonly gpuCount: number;
  readonly gpuMemoryMiB: number;
  /** @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /**
   * vLLM `--max-num-seqs`.
   * @default - vLLM's default for the GPU (`get_batch_defaults`, as `maxNumBatchedTokens`): 1024 on a GPU of
   * 70 GiB or more that is not an A100, else 256
   */
  readonly maxNumSeqs?: number;
  /**
   * vLLM `--max-num-batched-tokens`: the step budget prefill shares with decode (see ReplicaProfile).
   * @default - vLLM's default for the GPU (`vllm/engine/arg_utils.py` `get_batch_defaults`): 8192 on a GPU of
   * 70 GiB or more that is not an A100, else 2048
   */
  readonly maxNumBatchedTokens?: number;
  /** vLLM `--max-model-len`: longer requests are refused. @default - none: the KV cache bounds them */
  readonly maxModelLen?: number;
  /** Tokens of context a running sequence holds on average (prompt + output so far). @default 1024 */
  readonly typicalContextTokens?: number;
  /** @default 300 */
  readonly coldStartSeconds?: number;
}

const GIB = 1024 ** 3;

/** A replica profile from the roofline model; throws on a GPU not in GPU_SPECS. */
export function replicaProfileFor(inputs: ReplicaProfileInputs): ReplicaProfile {
  const gpu = GPU_SPECS[inputs.gpuName];
  if (!gpu) throw new RangeError(`no datasheet figures for GPU ${JSON.stringify(inputs.gpuName)}; known: ${Object.keys(GPU_SPECS).join(', ')}`);
  const weightsBytes = weightsGiB(inputs.model) * GIB;
  const flopsPerToken = 2 * inputs.model.parametersBillion * 1e9;
  const bandwidth = gpu.memoryBandwidthGBps * 1e9 * inputs.gpuCount * DECODE_BANDWIDTH_EFFICIENCY;
  const flops = gpu.tensorTflops * 1e12 * inputs.gpuCount * COMPUTE_EFFICIENCY;
  const context = inputs.typicalContextTokens ?? 1024;
  const available = inputs.gpuCount * inputs.gpuMemoryMiB * 1024 * 1024 * (inputs.gpuMemoryUtilization ?? 0.9);
  const kvBytes = Math.max(0, available - weightsBytes - 1.5 * GIB * inputs.gpuCount);
  return {
    prefillTokensPerSecond: Math.round(flops / flopsPerToken),
    decodeStepBaseSeconds: round(weightsBytes / bandwidth),
    decodeStepPerSequenceSeconds: round((context * inputs.model.kvCacheBytesPerToken) / bandwidth + flopsPerToken / flops),
    maxNumSeqs: inputs.maxNumSeqs ?? defaultMaxNumSeqs(inputs.gpuName, inputs.gpuMemoryMiB),
    maxNumBatchedTokens: inputs.maxNumBatchedTokens ?? defaultMaxNumBatchedTokens(inputs.gpuName, inputs.gpuMemoryMiB),
    kvCacheTokens: Math.floor(kvBytes / inputs.model.kvCacheBytesPerToken),
    coldStartSeconds: inputs.coldStartSeconds ?? 300,
    ...(inputs.maxModelLen !== undefined ? { maxModelLen: inputs.maxModelLen } : {}),
  };
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;

/** vLLM gives a GPU its larger batch defaults (`vllm/engine/arg_utils.py` `get_batch_defaults`, reference.md 1.2). */
function hasLargeBatchDefaults(gpuName: string, gpuMemoryMiB: number): boolean {
  return gpuMemoryMiB >= 70 * 1024 && !gpuName.includes('a100');
}

/** vLLM's `--max-num-batched-tokens` for `vllm serve` on a GPU (reference.md 1.2). */
export function defaultMaxNumBatchedTokens(gpuName: string, gpuMemoryMiB: number): number {
  return hasLargeBatchDefaults(gpuName, gpuMemoryMiB) ? 8192 : 2048;
}

/** vLLM's `--max-num-seqs` for `vllm serve` on a GPU (reference.md 1.2): 1024 on H100, H200 and MI300, else 256. */
export function defaultMaxNumSeqs(gpuName: string, gpuMemoryMiB: number): number {
  return hasLargeBatchDefaults(gpuName, gpuMemoryMiB) ? 1024 : 256;
}

/** Output tokens per second of a replica running `sequences` at once (decode only). */
export function decodeThroughput(profile: ReplicaProfile, sequences: number): number {
  return sequences / (profile.decodeStepBaseSeconds + profile.decodeStepPerSequenceSeconds * sequences);
}

/**
 * Output tokens per second one request decodes at on a loaded replica: one step per token, in a batch of as
 * many sequences of `contextTokens` as the KV cache holds (at most `maxNumSeqs`). This is the speed a long
 * answer keeps while its replica drains, so the drain window is sized from it (see `drainSpeedOnPool`).
 */
export function loadedDecodeTokensPerSecond(profile: ReplicaProfile, contextTokens = 1024): number {
  const batch = Math.min(profile.maxNumSeqs, Math.max(1, Math.floor(profile.kvCacheTokens / contextTokens)));
  return 1 / decodeStepSeconds(profile, batch);
}

/**
 * The profile of a service's replica on its pool: its model (catalog or given profile) on the GPU of the
 * node Karpenter launches for it (`replicaHost`, what the cost envelope prices), with the scaler's cold start
 * (of which DEFAULT_NODE_PROVISIONING_SECONDS is node provisioning).
 * Undefined when the model has no profile or the service is on no pool.
 */
export function replicaProfileOnPool(
  service: ResolvedLlmInferenceService, pool: ResolvedGpuNodePool | undefined, coldStartSeconds: number,
): { profile: ReplicaProfile; description: string } | undefined {
  if (!pool || !service.modelProfile) return undefined;
  const instance = replicaHost(pool, service)?.instance;
  if (!instance || !GPU_SPECS[instance.gpuName]) return undefined;
  const profile = replicaProfileFor({
    model: service.modelProfile,
    gpuName: instance.gpuName,
    gpuCount: service.gpusPerReplica,
    gpuMemoryMiB: instance.gpuMemoryMiB,
    gpuMemoryUtilization: service.gpuMemoryUtilization,
    maxNumSeqs: service.maxNumSeqs,
    maxNumBatchedTokens: service.maxNumBatchedTokens,
    maxModelLen: service.maxModelLen,
    coldStartSeconds,
  });
  return {
    profile: { ...profile, nodeProvisioningSeconds: Math.min(coldStartSeconds, DEFAULT_NODE_PROVISIONING_SECONDS) },
    description: `${service.model} on ${service.gpusPerReplica} x ${instance.gpuName} (${instance.instanceType}), roofline profile`,
  };
}
