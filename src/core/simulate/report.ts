/**
 * The Markdown report and JSON documents of a policy comparison. Numbers are rounded where they are
 * computed, so the JSON is byte-identical for the same spec, trace and seed.
 */
import { stringify } from 'yaml';
import type { PolicyComparison } from './compare';
import type { ScalerTuning, TunedSetting } from './tune';
import { SPOT_INTERRUPTION_NOTICE_SECONDS } from '../defaults';

/** What was simulated, recorded next to the results. */
export interface SimulationInputs {
  readonly service: string;
  readonly trace: string;
  readonly rateScale: number;
  readonly seed: number;
  readonly profile: string;
  readonly gpuHourlyUsd: number;
}

/** results.json: inputs and per-policy metrics (the time series go to timeseries.json). */
export function resultsJson(inputs: SimulationInputs, comparison: PolicyComparison): string {
  const results = comparison.results.map(({ series: _series, ...rest }) => rest);
  return `${JSON.stringify({ inputs, ...comparison, results }, null, 2)}\n`;
}

/** timeseries.json: per policy, one sample a minute of arrivals, replicas, nodes billed, queue and TTFT p95. */
export function timeSeriesJson(comparison: PolicyComparison): string {
  return `${JSON.stringify(Object.fromEntries(comparison.results.map((r) => [r.policy, r.series])), null, 2)}\n`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A run's shares within its SLOs, in words: "99.2% of requests within the SLO", or within each of two; and
 * with a batch deadline, whether the batch was on time.
 */
function withinText(r: { readonly withinSlo: number; readonly withinCompletionSlo?: number; readonly metBatchDeadline?: boolean }): string {
  const shares = r.withinCompletionSlo === undefined ? `${pct(r.withinSlo)} of requests within the SLO`
    : `${pct(r.withinSlo)} of requests within the TTFT SLO and ${pct(r.withinCompletionSlo)} within the completion SLO`;
  return r.metBatchDeadline === undefined ? shares : `${shares}, ${r.metBatchDeadline ? 'on time for' : 'late for'} the batch deadline`;
}

/** The per-policy table, in Markdown. */
export function comparisonTable(comparison: PolicyComparison): string {
  const vsForesight = (r: PolicyComparison['results'][number]) => (r.ratioToForesight === undefined ? '' : ` ${r.ratioToForesight.toFixed(2)}x |`);
  // With spot capacity: how often each policy's spot nodes were reclaimed, and what the reclaims cut.
  const spot = (r: PolicyComparison['results'][number]) => (comparison.spot ? ` ${r.spotReclaims} / ${r.lostOnReclaim} |` : '');
  // With a completion SLO: whole answers, from arrival to the last token.
  const completionSlo = comparison.completionSloSeconds;
  const completion = (r: PolicyComparison['results'][number]) => (completionSlo === undefined ? ''
    : ` ${r.completionP50} / ${r.completionP95} / ${r.completionP99} | ${pct(r.withinCompletionSlo ?? 0)} |`);
  const rows = comparison.results.map((r) => `| ${r.policy} | ${r.gpuHours.toFixed(2)} |${vsForesight(r)} ${r.ratioToLowerBound.toFixed(2)}x | $${r.costUsd.toFixed(2)} | `
    + `${r.ttftP50} / ${r.ttftP95} / ${r.ttftP99} | ${pct(r.withinSlo)} |${completion(r)} ${r.queueWaitP95} | ${r.drainedOnScaleDown} / ${r.lostOnScaleDown} |`
    + `${spot(r)} ${r.scaleEvents} | ${r.peakReplicas} | ${r.blockedScaleUps} | ${r.preemptions} |`);
  // Columns beside the twelve every table has: foresight, spot, and completion's two.
  const optional = (comparison.foresight ? 1 : 0) + (comparison.spot ? 1 : 0) + (completionSlo === undefined ? 0 : 2);
  return [
    `| policy | GPU-hours |${comparison.foresight ? ' vs foresight |' : ''} vs lower bound | cost | TTFT p50 / p95 / p99 (s) | within ${comparison.ttftSloSeconds} s SLO |`
      + `${completionSlo === undefined ? '' : ` completion p50 / p95 / p99 (s) | within ${completionSlo} s completion SLO |`} queue wait p95 (s) | drained / lost on scale-down |`
      + `${comparison.spot ? ' spot reclaims / lost at reclaim |' : ''} scale events | peak replicas | scale-ups blocked by the pool | preempted (KV cache full) |`,
    `|${' --- |'.repeat(12 + optional)}`,
    ...rows,
  ].join('\n');
}

/**
 * With spot capacity: how the pool splits on-demand and spot, how often spot nodes were reclaimed, what each
 * policy lost at a reclaim and how much of its GPU time ran on spot (empty without spot capacity).
 */
export function spotNote(comparison: PolicyComparison): string {
  const spot = comparison.spot;
  if (!spot) return '';
  const notice = spot.noticeSeconds ?? SPOT_INTERRUPTION_NOTICE_SECONDS;
  const split = `Spot: the pool launches ${spot.onDemandNodes === 0 ? 'every node on spot' : `${spot.onDemandNodes} node${spot.onDemandNodes === 1 ? '' : 's'} on-demand, then spot`}. `;
  const ratio = spot.priceRatio ?? 1;
  const priced = ratio === 1
    ? 'Costs price spot GPU-hours as on-demand ones: give the pool\'s spotPriceOverrides, or price each policy\'s spotGpuHours (results.json) at your rate.'
    : `Costs price spot GPU-hours at ${Math.round(ratio * 1000) / 10}% of on-demand (the pool's spotPriceOverrides).`;
  if (spot.reclaimsPerNodeHour === 0) {
    return `${split}No spot node is reclaimed in this run; pass a reclaim rate (\`--spot-reclaims\`, per spot node-hour) to see what reclaims cost. ${priced}`;
  }
  const perPolicy = comparison.results.map((r) => `${r.policy} ${r.spotReclaims} reclaim${r.spotReclaims === 1 ? '' : 's'}, `
    + `${r.lostOnReclaim} request${r.lostOnReclaim === 1 ? '' : 's'} cut, ${r.spotGpuHours.toFixed(2)} of ${r.gpuHours.toFixed(2)} GPU-hours on spot`);
  const cut = comparison.results.some((r) => r.lostOnReclaim > 0)
    ? ` Requests still running when their replica's drain ends are cut: at the end of the drain window, or at the reclaim ${notice} s after `
      + 'the notice, whichever comes first.' : '';
  const how = spot.zones === undefined
    ? `Each spot node is reclaimed at ${spot.reclaimsPerNodeHour} per node-hour (seed ${spot.seed ?? 1})`
    : `Each of the pool's ${spot.zones} zones is reclaimed at ${spot.reclaimsPerNodeHour} per hour, every spot node of the zone at once (seed ${spot.seed ?? 1})`;
  return `${split}${how}; the ${notice}-s notice drains the node's replicas, and their ReplicaSet starts replacements at once: `
    + `${perPolicy.join('; ')}.${cut} ${priced}`;
}

/** How a scaler that rests at zero wakes in the simulation, its custom queries left out. */
export const WAKES_ON_WAITING_WHY = 'resting at zero, the service wakes when requests wait, as its custom queries, meant to count demand '
  + 'outside the replicas, would wake it';

/** Why a trigger is left out of the simulation. */
export const UNSIMULATED_WHY = 'custom queries are arbitrary PromQL; scheduled windows need the wall-clock time the trace starts at, '
  + 'which an Azure CSV carries and `--trace-start` gives';

/**
 * Which policies lost requests on scale-down, the longest answer each cut, and the setting that keeps them
 * (empty when none lost any).
 */
export function lostOnScaleDownNote(comparison: PolicyComparison): string {
  const losing = comparison.results.filter((r) => r.lostOnScaleDown > 0);
  if (losing.length === 0) return '';
  const drains = (n: number) => `${n} drain${n === 1 ? '' : 's'}`;
  const each = losing.map((r) => `${r.policy} ${r.lostOnScaleDown} in ${drains(r.drainsCutOnScaleDown)}, answers up to ${r.longestLostAnswerTokens} tokens`);
  return `Lost on scale-down: ${each.join('; ')}. `
    + "Requests still running when their replica's drain window ends are cut; the window is sized for answers of "
    + '`drain.maxOutputTokens` at `drain.decodeTokensPerSecond`: set the first to the longest answer you serve, or set '
    + '`drain.capOutputTokens` so that vLLM ends every answer at that length. Deployed, each such drain fires the '
    + '`LlmDrainWindowRanOut` alert.';
}

/**
 * When the tokenscale scaler misses the SLO target: the floor that would hold it on this trace, and what that
 * costs (empty when the scaler holds the target).
 */
export function tokenscaleFloorNote(comparison: PolicyComparison): string {
  const floor = comparison.tokenscaleFloor;
  const specified = comparison.results.find((r) => r.policy === 'tokenscale');
  if (!floor || !specified) return '';
  // A late batch says so in its words; otherwise a share fell short of the target.
  const short = specified.metBatchDeadline === false ? '' : `, under the ${pct(comparison.sloTarget)} target`;
  const missed = `The tokenscale scaler keeps ${withinText(specified)}${short}: load that outgrows its replicas waits out a cold start for more. `;
  if (!floor.holds) {
    return `${missed}Even kept at its maximum (minReplicas: ${floor.minReplicas}) it keeps ${withinText(floor)}: raise maxReplicas.`;
  }
  const sized = comparison.results.find((r) => r.policy === `static-sized-${comparison.sizedStaticReplicas}`);
  return `${missed}With minReplicas: ${floor.minReplicas} (specified: ${floor.specifiedMinReplicas}) it keeps ${withinText(floor)} on `
    + `${floor.gpuHours.toFixed(2)} GPU-hours, against ${specified.gpuHours.toFixed(2)} as specified`
    + (sized ? ` and ${sized.gpuHours.toFixed(2)} for the static fleet sized with hindsight (${comparison.sizedStaticReplicas} replicas)` : '')
    + ': set that floor, or a scheduled window ahead of the peaks you know of.';
}

/**
 * With a completion SLO: how to read the completion columns, that the searches hold the target on both SLOs,
 * and how long each policy's work outlasted the trace (empty without a completion SLO).
 */
export function completionNote(comparison: PolicyComparison): string {
  const slo = comparison.completionSloSeconds;
  if (slo === undefined) return '';
  const tails = comparison.results.map((r) => `${r.policy} ${r.lastAnswerAfterLastArrivalSeconds} s`).join(', ');
  return `Completion: from a request's arrival to its last token, as \`vllm:e2e_request_latency_seconds\` counts it; "within ${slo} s `
    + 'completion SLO" is the share of requests that finished within it (lost and refused ones did not). The foresight schedule, the sized '
    + 'static fleet and the floor search hold the target on both SLOs: for a batch service, pass `--slo` with the wait a job can take '
    + `before its first token. The last answer came after the last arrival by: ${tails}.`;
}

/**
 * With a batch deadline: which policies answered every request by it, and when each policy's last answer came
 * (empty without a deadline).
 */
export function batchDeadlineNote(comparison: PolicyComparison): string {
  const deadline = comparison.batchDeadlineSeconds;
  if (deadline === undefined) return '';
  const outcome = (met: boolean) => comparison.results.filter((r) => r.metBatchDeadline === met).map((r) => r.policy);
  const [met, missed] = [outcome(true), outcome(false)];
  const answered = comparison.results.map((r) => `${r.policy} ${(comparison.traceSeconds + r.lastAnswerAfterLastArrivalSeconds).toFixed(0)} s`);
  return `Batch deadline: every request answered, none lost, within ${deadline} s of the trace's start. `
    + `Met by ${met.length > 0 ? met.join(', ') : 'none'}; missed by ${missed.length > 0 ? missed.join(', ') : 'none'}. `
    + `Last answer after the trace's start: ${answered.join(', ')}. The foresight schedule, the sized static fleet and the floor search `
    + 'count a run that misses the deadline as missing the SLO target.';
}

/** report.md: inputs, the table, and how to read it. */
export function markdownReport(inputs: SimulationInputs, comparison: PolicyComparison, chartFile?: string): string {
  const hours = (comparison.traceSeconds / 3600).toFixed(2);
  const parts = comparison.lowerBoundParts;
  const refused = Math.max(0, ...comparison.results.map((r) => r.rejected));
  const lost = lostOnScaleDownNote(comparison);
  const floorNote = tokenscaleFloorNote(comparison);
  const spot = spotNote(comparison);
  const completion = completionNote(comparison);
  const deadline = batchDeadlineNote(comparison);
  const sized = comparison.sizedStaticReplicas;
  return [
    `# Scaling policies for ${inputs.service}`,
    '',
    `Trace: ${inputs.trace}, ${comparison.requests} requests over ${hours} h (rate x${inputs.rateScale}, seed ${inputs.seed}). `
      + `Replica profile: ${inputs.profile}. GPU-hour: $${inputs.gpuHourlyUsd}. The trace's first ${comparison.warmupSeconds / 60} minutes `
      + 'are replayed before it, unmeasured, so each policy meets the trace at its own steady state.',
    '',
    comparisonTable(comparison),
    '',
    ...(refused > 0 ? [
      `Refused: ${refused} request${refused === 1 ? '' : 's'}, whose prompt and output together exceed `
        + 'what a replica takes (its KV cache, or --max-model-len), as vLLM refuses a request longer than its context. '
        + `${refused === 1 ? 'It counts' : 'They count'} as outside the SLO in every row.`,
      '',
    ] : []),
    ...(lost ? [lost, ''] : []),
    ...(floorNote ? [floorNote, ''] : []),
    ...(spot ? [spot, ''] : []),
    ...(completion ? [completion, ''] : []),
    ...(deadline ? [deadline, ''] : []),
    ...(comparison.unsimulatedSignals.length > 0 ? [
      `Not simulated: the triggers ${comparison.unsimulatedSignals.join(', ')} (${UNSIMULATED_WHY}); the tokenscale row scales on its `
        + `other triggers only${comparison.wakesOnWaitingRequests ? `; ${WAKES_ON_WAITING_WHY}` : ''}.`,
      '',
    ] : []),
    ...(comparison.foresight ? [
      `Foresight schedule: ${comparison.foresight.gpuHours} GPU-hours, keeping ${withinText(comparison.foresight)}: the smallest `
        + `replica count per ${comparison.foresight.windowSeconds / 60}-minute window (${comparison.foresight.replicas.join(', ')}), known in `
        + `advance and requested one cold start ahead, that the search found to keep ${pct(comparison.sloTarget)} of requests within `
        + `${comparison.completionSloSeconds === undefined ? 'the SLO' : 'each SLO'} (or the sized static fleet's count in every window, `
        + 'when that holds the target on fewer GPU-hours). It is an achievable '
        + 'schedule, so the exact optimum is at most this.',
      '',
    ] : []),
    ...(sized !== undefined ? [
      `static-sized-${sized}: the fewest replicas that, kept from start to end, keep ${pct(comparison.sloTarget)} of requests within `
        + `${comparison.completionSloSeconds === undefined ? 'the SLO' : 'each SLO'} on `
        + 'this trace, found by simulation with hindsight: what a team that knew the trace in advance would provision for its peak.',
      '',
    ] : []),
    `Lower bound: ${comparison.lowerBoundGpuHours} GPU-hours, the largest of decoding every output token at the fewest steps the KV `
      + `cache and batch size allow (${parts.decode}), prefilling every prompt (${parts.prefill}), `
      + (parts.shared > 0 ? `both on a GPU that prefill shares with decode (${parts.shared}) ` : '')
      + "and the scaler's minimum over the trace "
      + `(${parts.floor}), or of that minimum up to an arrival plus the work arriving after it. No schedule that keeps the minimum and serves `
      + 'every request uses less, whatever it knows in advance; it ignores the SLO, queueing and cold starts, so the exact optimum lies '
      + 'between it and the foresight schedule.',
    '',
    ...(chartFile ? [`![Replicas and load over time](${chartFile})`, ''] : []),
  ].join('\n');
}

/** A tuned setting's queue-depth and KV-cache targets, such as `queue 5, KV cache 0.8`. */
export function tunedTargetsText(t: TunedSetting): string {
  return t.signals.flatMap((s) => (s.kind === 'queueDepth' ? [`queue ${s.targetPerReplica}`]
    : s.kind === 'kvCacheUsage' ? [`KV cache ${s.target}`] : [])).join(', ');
}

/**
 * The tuning of a scaler on a trace, in Markdown: the settings that hold the SLO target, cheapest first, and
 * the recommendation as the fleet file's `scaler` fields.
 */
export function tuningReport(tuning: ScalerTuning, rows = 5): string {
  const row = (t: TunedSetting) => `| ${tunedTargetsText(t) || '(no queue or KV-cache signal)'} | ${t.minReplicas} | ${t.gpuHours.toFixed(2)} | ${pct(t.withinSlo)} `
    + `| ${t.lostOnScaleDown} | ${t.holds ? 'yes' : 'no'} |`;
  const { best, specified } = tuning;
  const saving = best ? Math.round((1 - best.gpuHours / specified.gpuHours) * 100) : 0;
  const losses = best && best.lostOnScaleDown > 0 ? ` It loses ${best.lostOnScaleDown} on scale-down: answers longer than the drain window, `
    + 'whatever the targets; raise drain.maxOutputTokens or set drain.capOutputTokens.' : '';
  const verdict = !best
    ? `No setting tried keeps ${pct(tuning.sloTarget)} within the SLO after every warm-up: raise maxReplicas, or shorten the cold start.`
    : (tunedTargetsText(best) === tunedTargetsText(specified) && best.minReplicas === specified.minReplicas
      ? 'The scaler as specified is the cheapest setting tried that holds the target.'
      : `Recommended on ${tuning.traces > 1 ? 'these traces' : 'this trace'}: ${tunedTargetsText(best)}, minReplicas ${best.minReplicas}: ${best.gpuHours.toFixed(2)} GPU-hours at ${pct(best.withinSlo)} `
        + `within the SLO, against ${specified.gpuHours.toFixed(2)} at ${pct(specified.withinSlo)} as specified`
        + (specified.holds ? ` (${saving}% fewer)` : '') + `. It fits ${tuning.traces > 1 ? 'these traces' : 'this trace'}: `
        + 'check it on another before deploying it.') + losses;
  const warmups = tuning.warmupsSeconds.map((w) => w / 60).join(', ');
  const completion = tuning.completionSloSeconds === undefined ? ''
    : ` (with the ${tuning.completionSloSeconds}-s completion SLO: within each SLO, the lower of the two shares)`;
  const deadline = tuning.batchDeadlineSeconds === undefined ? ''
    : `; a run that misses the ${tuning.batchDeadlineSeconds}-s batch deadline keeps none`;
  return [
    `Tuning: each combination of the targets below with the fewest minReplicas (from the specified ${specified.minReplicas}) that keeps `
      + `${pct(tuning.sloTarget)} within the SLO after each warm-up (${warmups} minutes)`
      + (tuning.traces > 1 ? ` on each of ${tuning.traces} traces; GPU-hours after the first warm-up, summed over the traces` : '; GPU-hours after the first')
      + `, the worst share within the SLO${completion}${deadline}. ${tuning.settings.length} combinations, the ${Math.min(rows, tuning.settings.length)} best shown.`,
    '',
    '| targets | minReplicas | GPU-hours | within SLO | lost on scale-down | holds |',
    '| --- | --- | --- | --- | --- | --- |',
    ...tuning.settings.slice(0, rows).map(row),
    '',
    verdict,
    ...(best ? ['', '```yaml', stringify({ scaler: { signals: best.signals, minReplicas: best.minReplicas } }, { collectionStyle: 'block' }).trimEnd(), '```'] : []),
  ].join('\n');
}
