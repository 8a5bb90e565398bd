/**
 * Calibration of the roofline replica profiles against published vLLM figures (reference.md 1.6; third-party
 * measurements, so the tolerances are wide and stated).
 */
import { POOL_FIXTURES } from '../fixtures/pools';
import {
  AWS_GPU_INSTANCES, decodeThroughput, GPU_SPECS, KNOWN_MODELS, loadedDecodeTokensPerSecond, placeOnPool, replicaProfileFor, replicaProfileOnPool,
  resolveGpuNodePool, resolveLlmInferenceService,
} from 'tokenscale';

const LLAMA_8B = KNOWN_MODELS['meta-llama/Llama-3.1-8B-Instruct'];
const gpu = (name: string) => AWS_GPU_INSTANCES.find((i) => i.gpuName === name)!;
const profile = (name: string, maxNumSeqs?: number) =>
  replicaProfileFor({ model: LLAMA_8B, gpuName: name, gpuCount: 1, gpuMemoryMiB: gpu(name).gpuMemoryMiB, maxNumSeqs });

describe('replica profiles calibrated on published vLLM numbers', () => {
  test('Llama-3.1-8B BF16 on one A100-40GB: ~75 output tokens/s at concurrency 1 (within 10%)', () => {
    expect(decodeThroughput(profile('a100'), 1)).toBeGreaterThan(75 * 0.9);
    expect(decodeThroughput(profile('a100'), 1)).toBeLessThan(75 * 1.1);
  });

  test('the same at concurrency 8: ~6.6x the single-stream rate (within 15%)', () => {
    const ratio = decodeThroughput(profile('a100'), 8) / decodeThroughput(profile('a100'), 1);
    expect(ratio).toBeGreaterThan(6.6 * 0.85);
    expect(ratio).toBeLessThan(6.6 * 1.15);
  });

  test('Llama-3.1-8B on one H100 saturated: ~12.5k output tokens/s (within 25%)', () => {
    // Saturated: as many sequences as the KV cache holds at ~1.2k tokens each, up to vLLM's H100 default of 1024.
    const p = profile('h100', 1024);
    const sequences = Math.min(p.maxNumSeqs, Math.floor(p.kvCacheTokens / 1200));
    const throughput = decodeThroughput(p, sequences);
    expect(throughput).toBeGreaterThan(12_500 * 0.75);
    expect(throughput).toBeLessThan(12_500 * 1.25);
  });

  test('a profile for every catalog GPU that holds the model, ordered as the hardware is', () => {
    const fitting = Object.keys(GPU_SPECS).filter((name) => name !== 't4');
    const rates = fitting.map((name) => [name, decodeThroughput(profile(name), 1)] as const);
    for (const [, rate] of rates) expect(rate).toBeGreaterThan(10);
    const byRate = [...rates].sort((a, b) => a[1] - b[1]).map(([n]) => n);
    expect(byRate).toEqual(['l4', 'a10g', 'l40s', 'a100', 'h100']);
    expect(profile('l4').kvCacheTokens).toBeGreaterThan(20_000);
    expect(profile('h100').kvCacheTokens).toBeGreaterThan(400_000);
  });

  test("the step budget prefill shares with decode is vLLM's default for the GPU unless the service sets one", () => {
    // vllm/engine/arg_utils.py get_batch_defaults: 8192 on GPUs of 70 GiB or more that are not A100s, else 2048.
    expect([profile('l4').maxNumBatchedTokens, profile('a100').maxNumBatchedTokens, profile('h100').maxNumBatchedTokens]).toEqual([2048, 2048, 8192]);
    expect([profile('l4').maxNumSeqs, profile('a100').maxNumSeqs, profile('h100').maxNumSeqs]).toEqual([256, 256, 1024]);
    const own = replicaProfileFor({ model: LLAMA_8B, gpuName: 'l4', gpuCount: 1, gpuMemoryMiB: gpu('l4').gpuMemoryMiB, maxNumBatchedTokens: 4096 });
    expect(own.maxNumBatchedTokens).toBe(4096);
    // A service's --max-num-batched-tokens reaches the profile of its replica on its pool.
    const pool = resolveGpuNodePool(POOL_FIXTURES.minimal);
    const onPool = (patch: Record<string, unknown>) => replicaProfileOnPool(resolveLlmInferenceService(placeOnPool({
      name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, ...patch,
    }, pool)), pool, 300)!.profile.maxNumBatchedTokens;
    expect([onPool({}), onPool({ maxNumBatchedTokens: 8192 })]).toEqual([2048, 8192]);
  });

  test('one request on a loaded replica decodes at the step time of the batch its KV cache holds', () => {
    // L4: ~29k tokens of KV cache hold 29 sequences of 1,024 tokens. An H100 holds more than 256 of them, which
    // would be the batch under the smaller GPUs' --max-num-seqs default; its own default is 1,024, so the batch
    // is what its KV cache holds.
    const l4 = profile('l4');
    expect(loadedDecodeTokensPerSecond(l4)).toBeCloseTo(1 / (l4.decodeStepBaseSeconds + 29 * l4.decodeStepPerSequenceSeconds), 9);
    const h100 = profile('h100');
    const held = Math.floor(h100.kvCacheTokens / 1024);
    expect(held).toBeGreaterThan(256);
    expect(held).toBeLessThan(1024);
    expect(loadedDecodeTokensPerSecond(h100)).toBeCloseTo(1 / (h100.decodeStepBaseSeconds + held * h100.decodeStepPerSequenceSeconds), 9);
    // Slower than one request alone, and shorter contexts pack a larger, slower batch.
    for (const name of ['l4', 'a10g', 'l40s', 'a100', 'h100']) {
      expect(loadedDecodeTokensPerSecond(profile(name))).toBeLessThan(decodeThroughput(profile(name), 1));
      expect(loadedDecodeTokensPerSecond(profile(name), 256)).toBeLessThanOrEqual(loadedDecodeTokensPerSecond(profile(name)));
    }
  });

  test('an unknown GPU is refused', () => {
    expect(() => replicaProfileFor({ model: LLAMA_8B, gpuName: 'tpu', gpuCount: 1, gpuMemoryMiB: 1 })).toThrow(/no datasheet figures for GPU "tpu"/);
  });
});
