/**
 * Memory profiles of well-known models, for the fit check. Parameter counts and attention shapes come
 * from each model's Hugging Face `config.json` (num_hidden_layers, num_key_value_heads, head_dim); the KV
 * cache of one token is 2 (K and V) x layers x KV heads x head dim x bytes per value.
 */

/** Weights data types and their bytes per parameter. */
export const DTYPE_BYTES = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 } as const;
export type WeightsDtype = keyof typeof DTYPE_BYTES;

/** What the fit check needs to know about a model. */
export interface ModelProfile {
  /** Parameters, in billions. */
  readonly parametersBillion: number;
  /** Weights data type. @default 'bf16' */
  readonly dtype?: WeightsDtype;
  /** Weights size in GiB, when known exactly (overrides parameters x dtype). @default - parameters x dtype bytes */
  readonly weightsGiB?: number;
  /** KV-cache bytes per token (all layers, K and V, BF16 cache). */
  readonly kvCacheBytesPerToken: number;
  /** Context length of the model's config (vLLM's default `--max-model-len`). */
  readonly maxContextTokens: number;
}

function kvBytes(layers: number, kvHeads: number, headDim: number, bytes = 2): number {
  return 2 * layers * kvHeads * headDim * bytes;
}

/** Profiles by Hugging Face model id. */
export const KNOWN_MODELS: Readonly<Record<string, ModelProfile>> = {
  'meta-llama/Llama-3.1-8B-Instruct': { parametersBillion: 8.03, kvCacheBytesPerToken: kvBytes(32, 8, 128), maxContextTokens: 131072 },
  'meta-llama/Llama-3.1-70B-Instruct': { parametersBillion: 70.6, kvCacheBytesPerToken: kvBytes(80, 8, 128), maxContextTokens: 131072 },
  'meta-llama/Llama-3.2-3B-Instruct': { parametersBillion: 3.21, kvCacheBytesPerToken: kvBytes(28, 8, 128), maxContextTokens: 131072 },
  'Qwen/Qwen2.5-7B-Instruct': { parametersBillion: 7.62, kvCacheBytesPerToken: kvBytes(28, 4, 128), maxContextTokens: 32768 },
  'mistralai/Mistral-7B-Instruct-v0.3': { parametersBillion: 7.25, kvCacheBytesPerToken: kvBytes(32, 8, 128), maxContextTokens: 32768 },
};
