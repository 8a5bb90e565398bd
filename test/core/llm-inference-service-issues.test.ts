import { LlmInferenceServiceSpec, llmInferenceServiceIssues, TokenscaleError, validateLlmInferenceService } from 'tokenscale';

const base: LlmInferenceServiceSpec = { name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' };

function issuesOf(patch: Record<string, unknown>) {
  return llmInferenceServiceIssues({ ...base, ...patch } as LlmInferenceServiceSpec);
}

describe('LlmInferenceService spec validation', () => {
  test('accepts the minimal spec', () => {
    expect(llmInferenceServiceIssues(base)).toEqual([]);
  });

  // Each row: the bad field, the value, the expected code and field path.
  it.each([
    ['gpusPerReplica', 0, 'gpu-count-invalid', 'service.gpusPerReplica'],
    ['gpusPerReplica', 1.5, 'gpu-count-invalid', 'service.gpusPerReplica'],
    ['image', 'vllm/vllm-openai', 'image-unpinned', 'service.image'],
    ['image', 'vllm/vllm-openai:latest', 'image-unpinned', 'service.image'],
    ['image', 'vllm/vllm-openai@sha256:abc', 'image-unpinned', 'service.image'],
    ['image', 'vllm/vllm-openai:v0.9.2', 'image-too-old', 'service.image'],
    ['gpuMemoryUtilization', 0, 'gpu-memory-utilization-invalid', 'service.gpuMemoryUtilization'],
    ['gpuMemoryUtilization', 1.01, 'gpu-memory-utilization-invalid', 'service.gpuMemoryUtilization'],
    ['name', 'Llama_8B', 'name-invalid', 'service.name'],
    ['name', '8b-llama', 'name-invalid', 'service.name'],
    ['name', 'x'.repeat(53), 'name-invalid', 'service.name'],
    ['namespace', 'LLM', 'namespace-invalid', 'service.namespace'],
    ['maxNumSeqs', 0, 'max-num-seqs-invalid', 'service.maxNumSeqs'],
    ['maxModelLen', -1, 'max-model-len-invalid', 'service.maxModelLen'],
    ['maxNumBatchedTokens', 0, 'max-num-batched-tokens-invalid', 'service.maxNumBatchedTokens'],
    ['replicas', 0, 'replicas-invalid', 'service.replicas'],
    ['model', '', 'model-invalid', 'service.model'],
    ['workload', 'realtime', 'workload-invalid', 'service.workload'],
    ['startupBudgetSeconds', 30, 'startup-budget-invalid', 'service.startupBudgetSeconds'],
    ['gpuPerReplica', 2, 'field-unknown', 'service.gpuPerReplica'],
    ['extraEngineArgs', ['--port', '9000'], 'engine-arg-owned', 'service.extraEngineArgs'],
    ['drain', { capOutputTokens: 'yes' }, 'cap-output-tokens-invalid', 'service.drain.capOutputTokens'],
    ['resources', { memory: '32 GB' }, 'quantity-invalid', 'service.resources.memory'],
    ['placement', { zones: [] }, 'zones-empty', 'service.placement.zones'],
    ['costLabels', { team: 'Team Search!' }, 'label-value-invalid', 'service.costLabels.team'],
    ['modelCache', { kind: 'persistentVolumeClaim', claimName: 'Bad_Name' }, 'reference-invalid', 'service.modelCache.claimName'],
    ['monitoring', { interval: 'often' }, 'scrape-interval-invalid', 'service.monitoring.interval'],
  ])('fails when %s is %j', (field, value, code, path) => {
    const issues = issuesOf({ [field]: value });
    expect(issues.map((i) => [i.code, i.path])).toContainEqual([code, path]);
    const issue = issues.find((i) => i.code === code)!;
    expect(issue.value).toEqual(field === 'extraEngineArgs' ? '--port' : getIn({ [field]: value }, path.replace(/^service\./, '')));
    expect(issue.fix.length).toBeGreaterThan(0);
  });

  test('fails when tensor parallelism does not divide the GPU count, naming the divisors', () => {
    const issues = issuesOf({ gpusPerReplica: 6, tensorParallelSize: 4 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'tensor-parallel-mismatch', path: 'service.tensorParallelSize', value: 4 });
    expect(issues[0].fix).toContain('1, 2, 3, 6');
  });

  test("fails when a step's token budget is below the sequences it runs, as vLLM refuses to start (reference.md 1.2)", () => {
    const below = issuesOf({ maxNumBatchedTokens: 128, maxNumSeqs: 256 });
    expect(below).toEqual([expect.objectContaining({ code: 'batched-tokens-below-seqs', path: 'service.maxNumBatchedTokens', value: 128 })]);
    expect(below[0].fix).toBe('set maxNumBatchedTokens to at least 256, or lower maxNumSeqs');
    // Unset, --max-num-seqs is vLLM's default: 256 on most GPUs, 1,024 on the largest.
    expect(issuesOf({ maxNumBatchedTokens: 200 })[0].problem).toContain("vLLM's default, at least 256");
    expect(issuesOf({ maxNumBatchedTokens: 256 })).toEqual([]);
    expect(issuesOf({ maxNumBatchedTokens: 64, maxNumSeqs: 64 })).toEqual([]);
  });

  test('capping answers owns --override-generation-config; without the cap the flag is the user\'s', () => {
    const args = ['--override-generation-config={"temperature":0.2}'];
    expect(issuesOf({ extraEngineArgs: args, drain: { capOutputTokens: true } })).toEqual([expect.objectContaining({
      code: 'engine-arg-owned',
      path: 'service.extraEngineArgs',
      value: '--override-generation-config',
      fix: 'drop the flag, or leave drain.capOutputTokens unset and put max_new_tokens in your own flag',
    })]);
    expect(issuesOf({ extraEngineArgs: args })).toEqual([]);
  });

  test('fails when the grace period is shorter than the drain window', () => {
    // preStop 15 + ceil(1024 / 25) = 41 + buffer 15 = 71 s (reference.md 1.4: grace >= preStop + shutdown timeout).
    const issues = issuesOf({ drain: { terminationGracePeriodSeconds: 70 } });
    expect(issues).toEqual([expect.objectContaining({ code: 'grace-period-too-short', path: 'service.drain.terminationGracePeriodSeconds', value: 70 })]);
    expect(issues[0].problem).toContain('71 s');
    expect(issuesOf({ drain: { terminationGracePeriodSeconds: 71 } })).toEqual([]);
  });

  test('allows zero replicas only for batch services', () => {
    expect(issuesOf({ workload: 'batch', replicas: 0 })).toEqual([]);
    expect(issuesOf({ replicas: 0 })[0].fix).toContain("workload: 'batch'");
  });

  test('suggests the nearest field for a misspelt key', () => {
    expect(issuesOf({ gpuPerReplica: 2 })[0].fix).toBe('did you mean `gpusPerReplica`?');
  });

  test('reports every problem of a spec at once', () => {
    const bad = { ...base, name: 'Bad_Name', gpusPerReplica: 0, image: 'vllm', gpuMemoryUtilization: 2, maxNumSeqs: 0 };
    let caught: unknown;
    try {
      validateLlmInferenceService(bad as LlmInferenceServiceSpec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TokenscaleError);
    const error = caught as TokenscaleError;
    expect(error.codes).toEqual(['name-invalid', 'image-unpinned', 'gpu-count-invalid', 'gpu-memory-utilization-invalid', 'max-num-seqs-invalid']);
    expect(error.message).toMatch(/^LlmInferenceService "Bad_Name": validation failed with the following errors:\n/);
    expect(error.message).toContain('`service.gpusPerReplica` is 0, but a replica needs at least one whole GPU');
  });

  test('accepts a digest-pinned image and a custom build tag', () => {
    expect(issuesOf({ image: `registry.example.com/vllm@sha256:${'0'.repeat(64)}` })).toEqual([]);
    expect(issuesOf({ image: 'registry.example.com:5000/ml/vllm:2026-11-01-abc' })).toEqual([]);
  });
});

function getIn(obj: Record<string, any>, dotted: string): unknown {
  return dotted.split('.').reduce<any>((o, k) => o?.[k], obj);
}
