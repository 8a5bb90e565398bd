/**
 * Validation of an LlmInferenceServiceSpec: every problem is reported with its field path, the value
 * and the fix, before anything is built.
 */
import * as d from '../defaults';
import { minimumGracePeriodSeconds } from '../drain';
import { IssueCollector, SpecIssue } from '../errors';
import { checkBoolean, checkChoice, checkInteger, checkKnownKeys, checkList, checkNumber, checkObject, checkString, isPlainObject } from './checks';
import { compareVersions, parseImage, vllmVersionOf } from './image';
import type { DrainSpec, LlmInferenceServiceSpec, ModelCacheSpec, PlacementSpec } from './llm-inference-service';
import { checkLabels, checkLabelValue, checkNamespace, checkObjectName, checkQuantity } from './names';

/** vLLM's smallest default `--max-num-seqs` (256; 1,024 on large GPUs): `get_batch_defaults` in vllm/engine/arg_utils.py. */
const VLLM_LEAST_DEFAULT_MAX_NUM_SEQS = 256;

const SPEC_KEYS = [
  'name', 'namespace', 'model', 'modelProfile', 'servedModelName', 'image', 'gpusPerReplica', 'tensorParallelSize',
  'gpuMemoryUtilization', 'maxModelLen', 'maxNumSeqs', 'maxNumBatchedTokens', 'extraEngineArgs',
  'hfTokenSecret', 'modelCache', 'downloadDir', 'workload', 'replicas', 'resources', 'placement',
  'costLabels', 'drain', 'startupBudgetSeconds', 'network', 'monitoring', 'labels',
] as const;

/** Returns every problem of a spec (empty when valid). `path` prefixes each field path. */
export function llmInferenceServiceIssues(spec: LlmInferenceServiceSpec, path = 'service'): SpecIssue[] {
  const out = new IssueCollector();
  const p = (field: string) => `${path}.${field}`;
  if (typeof spec !== 'object' || spec === null) {
    return [{ code: 'spec-invalid', path, value: spec, problem: 'a service spec must be an object', fix: 'pass { name, model, ... }' }];
  }
  out.addAll(checkKnownKeys(path, spec, SPEC_KEYS));
  out.addAll(checkObjectName(p('name'), spec.name));
  if (spec.namespace !== undefined) out.addAll(checkNamespace(p('namespace'), spec.namespace));
  if (typeof spec.model !== 'string' || spec.model.trim() === '' || /\s/.test(spec.model)) {
    out.add({ code: 'model-invalid', path: p('model'), value: spec.model, problem: 'a model id is required and has no spaces', fix: 'set model to a Hugging Face id such as "meta-llama/Llama-3.1-8B-Instruct"' });
  }
  out.addAll(checkObject(p('modelProfile'), spec.modelProfile, 'model-profile-invalid', 'use { parametersBillion, dtype, kvCacheBytesPerToken, maxContextTokens }'));
  if (isPlainObject(spec.modelProfile)) {
    const mp = spec.modelProfile;
    out.addAll(checkKnownKeys(p('modelProfile'), mp, ['parametersBillion', 'dtype', 'weightsGiB', 'kvCacheBytesPerToken', 'maxContextTokens']));
    out.addAll(checkNumber(p('modelProfile.parametersBillion'), mp.parametersBillion, { above: 0, code: 'model-profile-invalid', why: 'it must be a positive number of billions', fix: 'use e.g. 8.03' }));
    out.addAll(checkNumber(p('modelProfile.kvCacheBytesPerToken'), mp.kvCacheBytesPerToken, { above: 0, code: 'model-profile-invalid', why: 'it must be > 0', fix: 'use 2 x layers x KV heads x head dim x 2 bytes' }));
    out.addAll(checkInteger(p('modelProfile.maxContextTokens'), mp.maxContextTokens, { min: 1, code: 'model-profile-invalid', fix: 'use the model config\'s max_position_embeddings' }));
    out.addAll(checkNumber(p('modelProfile.weightsGiB'), mp.weightsGiB, { above: 0, code: 'model-profile-invalid', why: 'it must be > 0', fix: 'use the size of the weights on disk, in GiB' }));
    out.addAll(checkChoice(p('modelProfile.dtype'), mp.dtype, ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4'], 'model-profile-invalid'));
  }
  out.addAll(checkString(p('servedModelName'), spec.servedModelName, 'served-name-invalid', 'set a name clients send as "model"'));
  out.addAll(imageIssues(p('image'), spec.image));

  out.addAll(checkInteger(p('gpusPerReplica'), spec.gpusPerReplica, {
    min: 1,
    max: 64,
    code: 'gpu-count-invalid',
    why: 'a replica needs at least one whole GPU (vLLM does not run on CPU here)',
    fix: 'set gpusPerReplica to an integer >= 1, such as 1 for an 8B model or 8 for a 70B model in FP16',
  }));
  out.addAll(checkInteger(p('tensorParallelSize'), spec.tensorParallelSize, {
    min: 1, max: 64, code: 'tensor-parallel-invalid', fix: 'set tensorParallelSize to an integer >= 1 that divides gpusPerReplica',
  }));
  const gpus = spec.gpusPerReplica ?? d.DEFAULT_GPUS_PER_REPLICA;
  if (Number.isInteger(spec.tensorParallelSize) && Number.isInteger(gpus) && gpus >= 1
    && (spec.tensorParallelSize as number) >= 1 && gpus % (spec.tensorParallelSize as number) !== 0) {
    out.add({
      code: 'tensor-parallel-mismatch',
      path: p('tensorParallelSize'),
      value: spec.tensorParallelSize,
      problem: `it does not divide gpusPerReplica (${gpus}); vLLM needs tensor x pipeline parallel = GPUs`,
      fix: `use a divisor of ${gpus}: ${divisors(gpus).join(', ')}`,
    });
  }
  out.addAll(checkNumber(p('gpuMemoryUtilization'), spec.gpuMemoryUtilization, {
    above: 0,
    atMost: 1,
    code: 'gpu-memory-utilization-invalid',
    why: 'it is a fraction of GPU memory in (0, 1]',
    fix: 'use a value such as 0.9 (vLLM\'s default)',
  }));
  for (const field of ['maxModelLen', 'maxNumSeqs', 'maxNumBatchedTokens'] as const) {
    out.addAll(checkInteger(p(field), spec[field], {
      min: 1,
      code: `${kebab(field)}-invalid`,
      why: 'it must be a positive integer',
      fix: `set ${field} to a positive integer or leave it unset for vLLM's default`,
    }));
  }
  // vLLM refuses to start when a step's token budget is below the sequences it runs: each takes a token per
  // step (vllm/config/scheduler.py, SchedulerConfig._verify_args). Unset, --max-num-seqs is 256 or more.
  const batched = spec.maxNumBatchedTokens;
  const seqs = spec.maxNumSeqs ?? VLLM_LEAST_DEFAULT_MAX_NUM_SEQS;
  if (Number.isInteger(batched) && Number.isInteger(seqs) && batched! >= 1 && batched! < seqs) {
    out.add({
      code: 'batched-tokens-below-seqs',
      path: p('maxNumBatchedTokens'),
      value: batched,
      problem: `it is below --max-num-seqs (${spec.maxNumSeqs === undefined ? `vLLM's default, at least ${seqs}` : seqs}), and vLLM refuses to start`,
      fix: `set maxNumBatchedTokens to at least ${seqs}${spec.maxNumSeqs === undefined ? '' : ', or lower maxNumSeqs'}`,
    });
  }
  if (spec.extraEngineArgs !== undefined && (!Array.isArray(spec.extraEngineArgs) || spec.extraEngineArgs.some((a) => typeof a !== 'string'))) {
    out.add({ code: 'engine-args-invalid', path: p('extraEngineArgs'), value: spec.extraEngineArgs, problem: 'it must be a list of strings', fix: 'write each argument as its own string, e.g. ["--enable-chunked-prefill"]' });
  }
  const passes = (flag: string) => Array.isArray(spec.extraEngineArgs)
    && spec.extraEngineArgs.some((a) => a === flag || (typeof a === 'string' && a.startsWith(`${flag}=`)));
  if (isPlainObject(spec.drain) && spec.drain.capOutputTokens === true && passes('--override-generation-config')) {
    out.add({
      code: 'engine-arg-owned',
      path: p('extraEngineArgs'),
      value: '--override-generation-config',
      problem: 'drain.capOutputTokens sets this flag to cap answers at drain.maxOutputTokens',
      fix: 'drop the flag, or leave drain.capOutputTokens unset and put max_new_tokens in your own flag',
    });
  }
  for (const owned of ['--port', '--served-model-name', '--tensor-parallel-size', '--shutdown-timeout', '--gpu-memory-utilization']) {
    if (passes(owned)) {
      out.add({ code: 'engine-arg-owned', path: p('extraEngineArgs'), value: owned, problem: 'this flag is derived from the spec', fix: 'set the matching spec field instead of passing the flag' });
    }
  }
  if (spec.hfTokenSecret !== undefined) {
    out.addAll(checkObject(p('hfTokenSecret'), spec.hfTokenSecret, 'secret-ref-invalid', 'use { secretName, key }'));
    if (typeof spec.hfTokenSecret === 'object' && spec.hfTokenSecret !== null) {
      out.addAll(checkKnownKeys(p('hfTokenSecret'), spec.hfTokenSecret, ['secretName', 'key']));
      out.addAll(checkObjectNameLike(p('hfTokenSecret.secretName'), spec.hfTokenSecret.secretName));
    }
  }
  out.addAll(modelCacheIssues(p('modelCache'), spec.modelCache));
  out.addAll(checkChoice(p('workload'), spec.workload, ['interactive', 'batch'], 'workload-invalid'));
  const minReplicas = (spec.workload ?? 'interactive') === 'interactive' ? 1 : 0;
  out.addAll(checkInteger(p('replicas'), spec.replicas, {
    min: minReplicas,
    code: 'replicas-invalid',
    why: minReplicas === 1 ? 'interactive services keep at least one warm replica (a cold start takes minutes)' : 'it must be an integer >= 0',
    fix: minReplicas === 1 ? "set replicas >= 1, or workload: 'batch' to allow 0" : 'set replicas to an integer >= 0',
  }));
  out.addAll(checkObject(p('resources'), spec.resources, 'resources-invalid', 'use { cpu, memory, sharedMemory }'));
  if (isPlainObject(spec.resources)) {
    out.addAll(checkKnownKeys(p('resources'), spec.resources, ['cpu', 'memory', 'sharedMemory']));
    out.addAll(checkQuantity(p('resources.cpu'), spec.resources.cpu, '4'));
    out.addAll(checkQuantity(p('resources.memory'), spec.resources.memory, '32Gi'));
    out.addAll(checkQuantity(p('resources.sharedMemory'), spec.resources.sharedMemory, '2Gi'));
  }
  out.addAll(placementIssues(p('placement'), spec.placement));
  out.addAll(checkObject(p('costLabels'), spec.costLabels, 'cost-labels-invalid', 'use { team, feature, costCenter }'));
  if (isPlainObject(spec.costLabels)) {
    out.addAll(checkKnownKeys(p('costLabels'), spec.costLabels, ['team', 'feature', 'costCenter']));
    for (const [k, v] of Object.entries(spec.costLabels)) out.addAll(checkLabelValue(p(`costLabels.${k}`), v));
  }
  out.addAll(drainIssues(p('drain'), spec.drain));
  out.addAll(checkInteger(p('startupBudgetSeconds'), spec.startupBudgetSeconds, {
    min: 60,
    max: 24 * 3600,
    code: 'startup-budget-invalid',
    why: 'the startup probe must allow minutes for download, load and CUDA-graph capture',
    fix: 'set startupBudgetSeconds between 60 and 86400 (default 1200)',
  }));
  out.addAll(checkObject(p('network'), spec.network, 'network-invalid', 'use { allowedClients, monitoringNamespace }'));
  if (isPlainObject(spec.network)) {
    out.addAll(checkKnownKeys(p('network'), spec.network, ['allowedClients', 'monitoringNamespace']));
    if (spec.network.monitoringNamespace !== undefined) out.addAll(checkNamespace(p('network.monitoringNamespace'), spec.network.monitoringNamespace));
    out.addAll(checkList(p('network.allowedClients'), spec.network.allowedClients, 'network-invalid', 'list peers as { podLabels, namespaceLabels }'));
    (Array.isArray(spec.network.allowedClients) ? spec.network.allowedClients : []).forEach((peer, i) => {
      if (!isPlainObject(peer)) {
        out.add({ code: 'network-invalid', path: p(`network.allowedClients[${i}]`), value: peer, problem: 'a peer is a mapping', fix: 'use { podLabels, namespaceLabels }' });
        return;
      }
      out.addAll(checkKnownKeys(p(`network.allowedClients[${i}]`), peer, ['podLabels', 'namespaceLabels']));
      out.addAll(checkLabels(p(`network.allowedClients[${i}].podLabels`), peer.podLabels));
      out.addAll(checkLabels(p(`network.allowedClients[${i}].namespaceLabels`), peer.namespaceLabels));
    });
  }
  out.addAll(checkObject(p('monitoring'), spec.monitoring, 'monitoring-invalid', "use { kind: 'serviceMonitor', interval: '15s', labels }"));
  if (isPlainObject(spec.monitoring)) {
    out.addAll(checkKnownKeys(p('monitoring'), spec.monitoring, ['kind', 'interval', 'labels']));
    out.addAll(checkChoice(p('monitoring.kind'), spec.monitoring.kind, ['serviceMonitor', 'podMonitor', 'none'], 'monitoring-kind-invalid'));
    const interval: unknown = spec.monitoring.interval;
    if (interval !== undefined && !(typeof interval === 'string' && /^[0-9]+(ms|s|m|h)$/.test(interval))) {
      out.add({ code: 'scrape-interval-invalid', path: p('monitoring.interval'), value: spec.monitoring.interval, problem: 'it is not a Prometheus duration', fix: 'use a duration such as "15s"' });
    }
    out.addAll(checkLabels(p('monitoring.labels'), spec.monitoring.labels));
  }
  out.addAll(checkLabels(p('labels'), spec.labels));
  return [...out.issues];
}

function imageIssues(path: string, image: unknown): SpecIssue[] {
  if (image === undefined) return [];
  const ref = typeof image === 'string' ? parseImage(image) : undefined;
  if (!ref) {
    return [{
      code: 'image-unpinned',
      path,
      value: image,
      problem: 'images need an explicit tag or digest ("latest" by omission changes under you)',
      fix: `pin it, e.g. "${d.DEFAULT_VLLM_IMAGE}" or "vllm/vllm-openai@sha256:<digest>"`,
    }];
  }
  if (ref.tag === 'latest' && ref.digest === undefined) {
    return [{ code: 'image-unpinned', path, value: image, problem: '"latest" is not a version', fix: `pin a release such as "${d.DEFAULT_VLLM_IMAGE}" or a digest` }];
  }
  const version = vllmVersionOf(ref);
  const min = d.MIN_VLLM_VERSION_WITH_SHUTDOWN_TIMEOUT.split('.').map(Number);
  if (ref.repository.endsWith('vllm/vllm-openai') && version && compareVersions(version, min) < 0) {
    return [{
      code: 'image-too-old',
      path,
      value: image,
      problem: `vLLM before v${d.MIN_VLLM_VERSION_WITH_SHUTDOWN_TIMEOUT} has no --shutdown-timeout and aborts in-flight requests on SIGTERM`,
      fix: `use v${d.MIN_VLLM_VERSION_WITH_SHUTDOWN_TIMEOUT} or later, e.g. "${d.DEFAULT_VLLM_IMAGE}"`,
    }];
  }
  return [];
}

function modelCacheIssues(path: string, cache: ModelCacheSpec | undefined): SpecIssue[] {
  if (cache === undefined) return [];
  if (!isPlainObject(cache)) return checkObject(path, cache, 'model-cache-invalid', "use { kind: 'emptyDir' } or { kind: 'persistentVolumeClaim', claimName }");
  const kind = (cache as { kind?: unknown }).kind;
  if (kind === 'emptyDir') {
    return [...checkKnownKeys(path, cache, ['kind', 'sizeLimit']), ...checkQuantity(`${path}.sizeLimit`, (cache as { sizeLimit?: unknown }).sizeLimit, '50Gi')];
  }
  if (kind === 'persistentVolumeClaim') {
    return [...checkKnownKeys(path, cache, ['kind', 'claimName', 'readOnly']), ...checkObjectNameLike(`${path}.claimName`, (cache as { claimName?: unknown }).claimName)];
  }
  return checkChoice(`${path}.kind`, kind ?? null, ['emptyDir', 'persistentVolumeClaim'], 'model-cache-invalid');
}

function placementIssues(path: string, placement: PlacementSpec | undefined): SpecIssue[] {
  if (placement === undefined) return [];
  if (!isPlainObject(placement)) return checkObject(path, placement, 'placement-invalid', 'use { zones, nodeSelector, zoneSpread }');
  const issues = [
    ...checkKnownKeys(path, placement, ['gpuResourceName', 'tolerateGpuTaint', 'nodeSelector', 'zones', 'zoneSpread']),
    ...checkLabels(`${path}.nodeSelector`, placement.nodeSelector),
    ...checkChoice(`${path}.zoneSpread`, placement.zoneSpread, ['required', 'preferred'], 'zone-spread-invalid'),
  ];
  if (placement.zones !== undefined) {
    if (!Array.isArray(placement.zones) || placement.zones.length === 0) {
      issues.push({ code: 'zones-empty', path: `${path}.zones`, value: placement.zones, problem: 'an empty zone list admits no node', fix: 'list at least one zone, e.g. ["us-east-1a", "us-east-1b"], or leave zones unset for any zone' });
    } else {
      placement.zones.forEach((z, i) => issues.push(...checkLabelValue(`${path}.zones[${i}]`, z)));
    }
  }
  return issues;
}

function drainIssues(path: string, drain: DrainSpec | undefined): SpecIssue[] {
  if (drain === undefined) return [];
  if (!isPlainObject(drain)) return checkObject(path, drain, 'drain-invalid', 'use { maxOutputTokens, decodeTokensPerSecond, preStopSeconds, bufferSeconds }');
  const issues = [
    ...checkKnownKeys(path, drain, ['maxOutputTokens', 'capOutputTokens', 'decodeTokensPerSecond', 'preStopSeconds', 'bufferSeconds', 'terminationGracePeriodSeconds']),
    ...checkBoolean(`${path}.capOutputTokens`, drain.capOutputTokens, 'cap-output-tokens-invalid'),
    ...checkInteger(`${path}.maxOutputTokens`, drain.maxOutputTokens, { min: 1, code: 'max-output-tokens-invalid', fix: 'set the longest answer you serve, e.g. 1024' }),
    ...checkNumber(`${path}.decodeTokensPerSecond`, drain.decodeTokensPerSecond, { above: 0, code: 'decode-speed-invalid', why: 'it must be a positive number of tokens per second', fix: 'use a measured per-request speed under load, e.g. 25' }),
    ...checkInteger(`${path}.preStopSeconds`, drain.preStopSeconds, { min: 0, max: 600, code: 'prestop-invalid', fix: 'use 5 to 30 seconds (default 15)' }),
    ...checkInteger(`${path}.bufferSeconds`, drain.bufferSeconds, { min: 0, max: 600, code: 'drain-buffer-invalid', fix: 'use 5 to 30 seconds (default 15)' }),
    ...checkInteger(`${path}.terminationGracePeriodSeconds`, drain.terminationGracePeriodSeconds, { min: 1, code: 'grace-period-invalid', fix: 'leave it unset to derive it from the drain window' }),
  ];
  if (issues.length > 0 || drain.terminationGracePeriodSeconds === undefined) return issues;
  const inputs = {
    maxOutputTokens: drain.maxOutputTokens ?? d.DEFAULT_MAX_OUTPUT_TOKENS,
    decodeTokensPerSecond: drain.decodeTokensPerSecond ?? d.DEFAULT_DECODE_TOKENS_PER_SECOND,
    preStopSeconds: drain.preStopSeconds ?? d.DEFAULT_PRESTOP_SECONDS,
    bufferSeconds: drain.bufferSeconds ?? d.DEFAULT_DRAIN_BUFFER_SECONDS,
  };
  const needed = minimumGracePeriodSeconds(inputs);
  if (drain.terminationGracePeriodSeconds < needed) {
    issues.push({
      code: 'grace-period-too-short',
      path: `${path}.terminationGracePeriodSeconds`,
      value: drain.terminationGracePeriodSeconds,
      problem: `the drain window needs ${needed} s (preStop ${inputs.preStopSeconds} s + the shutdown timeout for ${inputs.maxOutputTokens} output tokens `
        + `at ${inputs.decodeTokensPerSecond} tokens/s + buffer ${inputs.bufferSeconds} s); in-flight requests would be killed`,
      fix: `set it to at least ${needed}, lower drain.maxOutputTokens, or leave it unset`,
    });
  }
  return issues;
}

function checkObjectNameLike(path: string, value: unknown): SpecIssue[] {
  if (typeof value === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value) && value.length <= 253) return [];
  return [{ code: 'reference-invalid', path, value, problem: 'it must name an existing object (a DNS-1123 subdomain)', fix: 'use the object\'s metadata.name' }];
}

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
