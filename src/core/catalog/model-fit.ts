/**
 * Does a replica of a model fit on N GPUs of a type? vLLM loads the weights, reserves activation and
 * CUDA-graph memory, and gives the rest of `gpuMemoryUtilization x GPU memory` to the KV cache; it refuses
 * to start when the KV cache cannot hold one sequence of `--max-model-len` tokens.
 *
 * The check asks for KV room for `maxNumSeqs` full-length sequences when `maxNumSeqs` is set (the headroom
 * the operator asked for), and for vLLM's own minimum (one full-length sequence) otherwise.
 */
import { DTYPE_BYTES, ModelProfile } from './models';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Activation and CUDA-graph reserve per GPU, in GiB (an assumption: vLLM profiles it at start-up). */
export const ACTIVATION_RESERVE_GIB_PER_GPU = 1.5;

/** Inputs of a fit check. */
export interface FitInputs {
  readonly model: ModelProfile;
  readonly gpuCount: number;
  readonly gpuMemoryMiB: number;
  readonly gpuMemoryUtilization: number;
  /** @default - the model's context length */
  readonly maxModelLen?: number;
  /** @default - one sequence (vLLM's start-up minimum) */
  readonly maxNumSeqs?: number;
}

/** The arithmetic of a fit check, in GiB, for messages. */
export interface FitResult {
  readonly fits: boolean;
  readonly weightsGiB: number;
  readonly kvCacheGiB: number;
  readonly reserveGiB: number;
  readonly requiredGiB: number;
  readonly availableGiB: number;
  readonly contextTokens: number;
  readonly sequences: number;
}

export function weightsGiB(model: ModelProfile): number {
  return model.weightsGiB ?? (model.parametersBillion * 1e9 * DTYPE_BYTES[model.dtype ?? 'bf16']) / GIB;
}

export function checkFit(inputs: FitInputs): FitResult {
  const contextTokens = inputs.maxModelLen ?? inputs.model.maxContextTokens;
  const sequences = inputs.maxNumSeqs ?? 1;
  const weights = weightsGiB(inputs.model);
  const kv = (contextTokens * sequences * inputs.model.kvCacheBytesPerToken) / GIB;
  const reserve = ACTIVATION_RESERVE_GIB_PER_GPU * inputs.gpuCount;
  const available = (inputs.gpuCount * inputs.gpuMemoryMiB * MIB * inputs.gpuMemoryUtilization) / GIB;
  const required = weights + kv + reserve;
  return {
    fits: required <= available,
    weightsGiB: weights,
    kvCacheGiB: kv,
    reserveGiB: reserve,
    requiredGiB: required,
    availableGiB: available,
    contextTokens,
    sequences,
  };
}

/** One line explaining a fit result. */
export function describeFit(r: FitResult): string {
  const f = (x: number) => x.toFixed(1);
  return `needs ${f(r.requiredGiB)} GiB (weights ${f(r.weightsGiB)} + KV cache ${f(r.kvCacheGiB)} for ${r.sequences} x ${r.contextTokens} tokens`
    + ` + reserve ${f(r.reserveGiB)}) but has ${f(r.availableGiB)} GiB`;
}
