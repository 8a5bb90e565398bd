/**
 * `tokenscale simulate`: replays a request trace against a fleet service's scaler and the policies the
 * field runs, and reports GPU-hours, dollars, TTFT percentiles and requests lost on scale-down.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { buildFleetApp } from '../../cdk8s';
import {
  batchDeadlineNote, comparePolicies, comparisonTable, completionNote, DEFAULT_GPU_HOURLY_PRICE_USD, LLAMA_8B_ON_L4, longestRequestTokens,
  lostOnScaleDownNote,
  markdownReport, POLICY_NAMES, PolicyName, poolSimulationOptions, PoolSimulationOptions, readFleetFile, readTraceSync, ReplicaProfile,
  replicaProfileOnPool, resultsJson, scalerTtftSloSeconds, scaleTraceRate, SimulationInputs, SimulationStalledError, spotNote, SpotReclaims,
  syntheticTrace, timeSeriesJson, tokenscaleFloorNote, TraceRequest, traceStartEpochMs, tuneScaler, tuningReport, UNSIMULATED_WHY,
  WAKES_ON_WAITING_WHY, writeDirectoryAtomically,
} from '../../core';
import { renderChartSvg } from '../chart';
import { CliIo, EXIT, UsageError } from '../io';

/** Options of `tokenscale simulate` (as the command line gives them: strings). */
export interface SimulateOptions {
  /** The fleet file. */
  readonly file: string;
  /** @default - the first service with a scaler */
  readonly service?: string;
  /** @default - the seeded synthetic trace */
  readonly trace?: string;
  /** @default '1' */
  readonly rateScale?: string;
  /** @default 'all' */
  readonly policies?: string;
  /** @default '42' */
  readonly seed?: string;
  /** @default '3600' */
  readonly duration?: string;
  /** Mean arrival rate of the synthetic trace, requests per second. @default '2' */
  readonly meanRate?: string;
  /** @default - the scaler's TTFT SLO (see `scalerTtftSloSeconds`) */
  readonly slo?: string;
  /** From arrival to the last token, seconds. @default - the scaler's observability.completionSloSeconds, else none */
  readonly completionSlo?: string;
  /** Seconds from the trace's start by which every request must be answered. @default - none */
  readonly batchDeadline?: string;
  /** A measured replica profile (JSON with the ReplicaProfile fields). @default - Llama-3.1-8B on one L4 */
  readonly profile?: string;
  /** @default - print the table only */
  readonly out?: string;
  /** Wall-clock time of the trace's first request, for the scaler's scheduled windows. @default - an Azure CSV's first timestamp */
  readonly traceStart?: string;
  /** Search the foresight schedule. @default true */
  readonly foresight?: boolean;
  /** The foresight schedule's window, seconds. @default - 2 minutes, or a 60th of a trace longer than 2 hours */
  readonly foresightWindow?: string;
  /** Also tune the scaler's queue-depth and KV-cache targets and its floor on the trace. @default false */
  readonly tune?: boolean;
  /** More trace files, comma-separated, a tuned setting must also hold the SLO target on. @default - none */
  readonly tuneAlso?: string;
  /** Reclaims per spot node-hour, on a pool with spot capacity. @default - '0' there: spot nodes are not reclaimed */
  readonly spotReclaims?: string;
  /** A reclaim takes every spot node of one of the pool's zones at once. @default false: each node on its own */
  readonly spotReclaimsByZone?: boolean;
}

function positive(flag: string, value: string | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} is ${JSON.stringify(value)}, but it must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

function policiesFrom(value: string | undefined): PolicyName[] {
  if (value === undefined || value === 'all') return [...POLICY_NAMES];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(POLICY_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--policies has ${unknown.map((u) => JSON.stringify(u)).join(', ')}, but the policies are all or ${POLICY_NAMES.join(', ')}`);
  }
  return names as PolicyName[];
}

const PROFILE_FIELDS: ReadonlyArray<keyof ReplicaProfile> = [
  'prefillTokensPerSecond', 'decodeStepBaseSeconds', 'decodeStepPerSequenceSeconds', 'maxNumSeqs', 'kvCacheTokens', 'coldStartSeconds',
];
const OPTIONAL_PROFILE_FIELDS: ReadonlyArray<keyof ReplicaProfile> = ['nodeProvisioningSeconds', 'maxNumBatchedTokens', 'maxModelLen'];

/** Reads a measured replica profile; every field must be a positive number. */
export function readProfile(file: string): ReplicaProfile {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--profile ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const bad = PROFILE_FIELDS.filter((f) => typeof data?.[f] !== 'number' || !((data[f] as number) > 0));
  const known: readonly string[] = [...PROFILE_FIELDS, ...OPTIONAL_PROFILE_FIELDS];
  const unknown = Object.keys(data ?? {}).filter((k) => !known.includes(k));
  // Node provisioning may take no time; a step budget or context of 0 would never prefill anything.
  const zeroAllowed = (f: keyof ReplicaProfile) => f === 'nodeProvisioningSeconds';
  const fine = (f: keyof ReplicaProfile, v: unknown) => typeof v === 'number' && (zeroAllowed(f) ? v >= 0 : v > 0);
  const badOptional = OPTIONAL_PROFILE_FIELDS.filter((f) => data?.[f] !== undefined && !fine(f, data[f]));
  // vLLM refuses a step budget below --max-num-seqs (vllm/config/scheduler.py, SchedulerConfig._verify_args).
  const budgetBelowSeqs = typeof data?.maxNumBatchedTokens === 'number' && typeof data.maxNumSeqs === 'number' && data.maxNumBatchedTokens < data.maxNumSeqs
    ? [`maxNumBatchedTokens (${data.maxNumBatchedTokens}) must be at least maxNumSeqs (${data.maxNumSeqs}), as vLLM requires`] : [];
  if (bad.length > 0 || unknown.length > 0 || badOptional.length > 0 || budgetBelowSeqs.length > 0) {
    throw new UsageError(`--profile ${file}: ${[...bad.map((f) => `${f} must be a positive number (is ${JSON.stringify(data?.[f])})`),
      ...badOptional.map((f) => `${f} must be a number ${zeroAllowed(f) ? '>= 0' : '> 0'} (is ${JSON.stringify(data?.[f])})`), ...budgetBelowSeqs,
      ...unknown.map((k) => `${k} is not a profile field`)].join('; ')}; the fields are ${PROFILE_FIELDS.join(', ')} and optionally ${OPTIONAL_PROFILE_FIELDS.join(', ')}`);
  }
  return data as unknown as ReplicaProfile;
}

/**
 * The trace as a replayable stream (each policy reads the file afresh, so memory stays flat in its length),
 * read once up front to count its requests and report a malformed line before anything runs.
 */
function loadTrace(options: SimulateOptions, seed: number, maxRequestTokens: number): {
  trace: () => Iterable<TraceRequest>; requests: number; source: string; startEpochMs?: number;
} {
  const rateScale = positive('rate-scale', options.rateScale, 1);
  let trace: () => Iterable<TraceRequest>;
  let source: string;
  if (options.trace) {
    const file = options.trace;
    if (!fs.existsSync(file)) throw new UsageError(`--trace ${file}: no such file; pass an Azure LLM trace CSV or a JSONL trace`);
    trace = () => scaleTraceRate(readTraceSync(file), rateScale, seed);
    source = file;
  } else {
    const lengthSeconds = positive('duration', options.duration, 3600);
    const meanRatePerSecond = positive('mean-rate', options.meanRate, 2);
    // Its clients send nothing longer than a replica takes (the service's context).
    trace = () => scaleTraceRate(syntheticTrace({ seed, durationSeconds: lengthSeconds, meanRatePerSecond, maxRequestTokens }), rateScale, seed);
    source = `synthetic trace (seed ${seed}, ${lengthSeconds} s, ${meanRatePerSecond} requests/s mean, requests of at most ${maxRequestTokens} tokens)`;
  }
  let requests = 0;
  for (const _ of trace()) requests++;
  let startEpochMs = options.trace ? traceStartEpochMs(options.trace) : undefined;
  if (options.traceStart !== undefined) {
    startEpochMs = Date.parse(options.traceStart);
    if (!/(Z|[+-]\d{2}:\d{2})$/.test(options.traceStart.trim()) || Number.isNaN(startEpochMs)) {
      throw new UsageError(`--trace-start is ${JSON.stringify(options.traceStart)}, but it must be an ISO 8601 time with its offset, `
        + 'such as 2026-01-05T08:00:00Z or 2026-01-05T09:00:00+01:00');
    }
  }
  return { trace, requests, source, startEpochMs };
}

/**
 * The pool's spot capacity as simulated: on a pool that launches spot nodes, reclaimed at `--spot-reclaims`
 * per node-hour (0 unless given); none on an on-demand pool, where asking for reclaims is an error.
 */
function spotOptions(
  value: string | undefined, placed: PoolSimulationOptions | undefined, poolName: string | undefined, seed: number, byZone: boolean,
): SpotReclaims | undefined {
  if (value !== undefined) {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new UsageError(`--spot-reclaims is ${JSON.stringify(value)}, but it must be a number >= 0 (reclaims per spot node-hour)`);
    }
    if (!placed?.hasSpot) {
      throw new UsageError(`--spot-reclaims: ${poolName ? `the pool ${poolName} launches only on-demand nodes` : 'the service has no node pool'}; `
        + 'give the pool capacity: { kind: spot } or { kind: onDemandFloorSpotBurst, onDemandGpus: N } to simulate spot reclaims');
    }
  }
  if (!placed?.hasSpot) return undefined;
  const reclaimsPerNodeHour = value === undefined ? 0 : Number(value);
  const zones = byZone ? { zones: placed.zones } : {};
  return { onDemandNodes: placed.onDemandNodes, reclaimsPerNodeHour, seed, priceRatio: placed.spotPriceRatio, ...zones };
}

/**
 * Runs a comparison or a tuning; a policy that stalls (keeps no replica while requests wait) is the spec's
 * problem, reported as a usage error with what can wake the tokenscale scaler in a simulation.
 */
function explainingStalls<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof SimulationStalledError)) throw err;
    throw new UsageError(err.policy !== 'tokenscale' ? err.message : `${err.message}. At zero replicas the tokenscale scaler wakes only on `
      + 'what the simulation can read: its vLLM triggers need a replica, its scheduled windows the wall-clock time the trace starts at '
      + '(an Azure CSV carries it, --trace-start gives it), and a custom query stands for requests waiting; give it one of those');
  }
}

/** Runs `simulate` and returns its exit code. */
export async function runSimulate(options: SimulateOptions, io: CliIo): Promise<number> {
  const seed = positive('seed', options.seed, 42, true);
  const policies = policiesFrom(options.policies);
  const fleet = readFleetFile(options.file);
  const { scalers, services } = buildFleetApp(fleet);
  const scaler = scalers.find((s) => (options.service ? s.spec.target.name === options.service : true));
  if (!scaler) {
    const names = services.filter((s) => s.scaler).map((s) => s.spec.name);
    throw new UsageError(options.service
      ? `--service ${options.service}: no service of ${options.file} with a scaler has this name${names.length > 0 ? `; use one of ${names.join(', ')}` : ''}`
      : `${options.file}: no service has a scaler to simulate; add scaler: to a service`);
  }
  const service = services.find((s) => s.spec === scaler.spec.target)!;
  // The pool's price (what the cost envelope uses, unrounded), nodes and limits, less the other services' floors.
  const pool = service.nodePool;
  const placed = pool && poolSimulationOptions(service.spec, pool.spec, pool.pooledServices.filter((p) => p.service !== service.spec));
  const gpuHourlyUsd = placed?.gpuHourlyUsd ?? DEFAULT_GPU_HOURLY_PRICE_USD;
  const derived = replicaProfileOnPool(service.spec, service.nodePool?.spec, scaler.spec.coldStartSeconds);
  const measured = options.profile ? readProfile(options.profile) : derived?.profile ?? LLAMA_8B_ON_L4;
  // The service's --max-model-len refuses longer requests whatever the profile (unless it sets its own).
  const maxModelLen = measured.maxModelLen ?? service.spec.maxModelLen;
  const profile = maxModelLen === undefined ? measured : { ...measured, maxModelLen };
  const ttftSloSeconds = positive('slo', options.slo, scalerTtftSloSeconds(scaler.spec));
  const specifiedCompletionSlo = scaler.spec.observability.completionSloSeconds;
  const completionSloSeconds = options.completionSlo === undefined ? specifiedCompletionSlo : positive('completion-slo', options.completionSlo, 0);
  const batchDeadlineSeconds = options.batchDeadline === undefined ? undefined : positive('batch-deadline', options.batchDeadline, 0);
  const { trace, requests, source, startEpochMs } = loadTrace(options, seed, longestRequestTokens(profile));
  const moreTraces = (options.tuneAlso ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '').map((file) => {
    if (!fs.existsSync(file)) throw new UsageError(`--tune-also ${file}: no such file; pass Azure LLM trace CSVs or JSONL traces, comma-separated`);
    for (const _ of readTraceSync(file)); // a malformed line is reported, with its number, before anything runs
    return () => readTraceSync(file);
  });
  if (moreTraces.length > 0 && !options.tune) throw new UsageError('--tune-also needs --tune: it names more traces for the tuning');
  if (options.spotReclaimsByZone && options.spotReclaims === undefined) {
    throw new UsageError('--spot-reclaims-by-zone needs --spot-reclaims: it gives the rate of the reclaims it groups by zone');
  }
  const spot = spotOptions(options.spotReclaims, placed, pool?.spec.name, seed, options.spotReclaimsByZone ?? false);

  const bar = io.interactive && io.progressStream
    ? new SingleBar({ stream: io.progressStream, format: 'simulating {policy} [{bar}] {percentage}% | {value}/{total} requests', hideCursor: true })
    : undefined;
  bar?.start(requests * policies.length, 0, { policy: policies[0] });
  const simulated = {
    scaler: scaler.spec,
    schedulableReplicas: placed?.schedulableReplicas,
    maxNodes: placed?.maxNodes,
    replicasPerNode: placed?.replicasPerNode,
    emptyNodeSeconds: placed?.emptyNodeSeconds ?? 0,
    spot,
    traceStartEpochMs: startEpochMs,
    profile,
    gpuHourlyUsd,
    ttftSloSeconds,
    completionSloSeconds,
    batchDeadlineSeconds,
  };
  const comparison = explainingStalls(() => comparePolicies(trace, {
    ...simulated,
    policies,
    foresight: options.foresight ?? true,
    foresightWindowSeconds: options.foresightWindow === undefined ? undefined : positive('foresight-window', options.foresightWindow, 120),
    onProgress: bar ? (index, arrived) => bar.update(index * requests + arrived, { policy: policies[index] }) : undefined,
    // Searches run whole simulations the bar cannot size in advance: it names them and counts their runs.
    onSearch: bar ? (search, runs) => bar.update({ policy: `${search === 'foresight' ? 'the foresight schedule' : 'the static fleet size'} (search run ${runs})` })
      : undefined,
  }));
  bar?.stop();

  const inputs: SimulationInputs = {
    service: `${service.spec.namespace}/${service.spec.name}`,
    trace: source,
    rateScale: positive('rate-scale', options.rateScale, 1),
    seed,
    profile: options.profile ?? derived?.description ?? 'Llama-3.1-8B-Instruct on one L4 (built-in, assumptions stated in replica-profile.ts)',
    gpuHourlyUsd,
  };
  io.out(`${comparisonTable(comparison)}\n`);
  const refused = Math.max(0, ...comparison.results.map((r) => r.rejected));
  if (refused > 0) {
    const one = refused === 1;
    io.err(`note: ${refused} ${one ? 'request' : 'requests'} of the trace ${one ? 'is' : 'are'} longer (prompt and output) than the `
      + `${longestRequestTokens(profile)} tokens a replica takes (its KV cache or --max-model-len); ${one ? 'it is' : 'they are'} refused, as vLLM `
      + `refuses a request longer than its context, and ${one ? 'counts' : 'count'} as outside the SLO\n`);
  }
  if (service.spec.workload === 'batch' && options.slo === undefined && scaler.spec.observability.ttftSloSeconds === undefined) {
    io.err(`note: ${service.spec.name} is a batch service: the ${ttftSloSeconds}-s TTFT SLO is the interactive default, and so are the floors `
      + "measured against it; pass --slo with the wait its jobs can take, or set the scaler's observability.ttftSloSeconds"
      + `${completionSloSeconds === undefined ? ", and judge whole answers with --completion-slo or the scaler's observability.completionSloSeconds" : ''}\n`);
  }
  const lost = lostOnScaleDownNote(comparison);
  if (lost) io.err(`note: ${lost}\n`);
  const floor = tokenscaleFloorNote(comparison);
  if (floor) io.err(`note: ${floor}\n`);
  const spotSimulated = spotNote(comparison);
  if (spotSimulated) io.err(`note: ${spotSimulated}\n`);
  const completed = completionNote(comparison);
  if (completed) io.err(`note: ${completed}\n`);
  const deadline = batchDeadlineNote(comparison);
  if (deadline) io.err(`note: ${deadline}\n`);
  if (comparison.unsimulatedSignals.length > 0) {
    io.err(`note: the triggers ${comparison.unsimulatedSignals.join(', ')} are not simulated (${UNSIMULATED_WHY}); `
      + `the tokenscale row scales on the other triggers${comparison.wakesOnWaitingRequests ? `; ${WAKES_ON_WAITING_WHY}` : ''}\n`);
  }
  const tuningBar = options.tune && io.interactive && io.progressStream
    ? new SingleBar({ stream: io.progressStream, format: 'tuning [{bar}] {value}/{total} settings', hideCursor: true })
    : undefined;
  const tuning = options.tune ? explainingStalls(() => tuneScaler(trace, {
    ...simulated,
    moreTraces,
    onTried: tuningBar ? (tried, combinations) => (tried === 1 ? tuningBar.start(combinations, tried) : tuningBar.update(tried)) : undefined,
  })) : undefined;
  tuningBar?.stop();
  if (tuning) io.out(`\n${tuningReport(tuning)}\n`);
  if (options.out) {
    const svg = await renderChartSvg(comparison, `${inputs.service}: replicas per policy on ${options.trace ? path.basename(options.trace) : 'the synthetic trace'}`);
    writeDirectoryAtomically(options.out, new Map([
      ['results.json', resultsJson(inputs, comparison)],
      ['timeseries.json', timeSeriesJson(comparison)],
      ['chart.svg', svg],
      ['report.md', markdownReport(inputs, comparison, 'chart.svg') + (tuning ? `\n${tuningReport(tuning)}\n` : '')],
      ...(tuning ? [['tuning.json', `${JSON.stringify(tuning, null, 2)}\n`] as [string, string]] : []),
    ]));
    io.out(`Wrote ${options.out}/results.json, timeseries.json, chart.svg, report.md${tuning ? ', tuning.json' : ''}\n`);
  }
  return EXIT.ok;
}
