/**
 * `npm run bench`: measurements reported as ratios against a baseline measured in the same run.
 * (a) policy quality on the shared Azure trace (or the synthetic one when ../shared is absent): GPU-hours
 *     against the fluid lower bound, TTFT SLO attainment, requests lost on scale-down;
 * (b) synth of a 100-service fleet against emitting the same objects through plain cdk8s ApiObjects;
 * (c) simulator speed in simulated requests per wall-clock second, and peak memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { LlmInferenceService } from '../src/cdk8s';
import {
  buildTokenAwareScaler, cpuHpaPolicy, fluidLowerBoundReplicaHours, LLAMA_8B_ON_L4, llmInferenceServiceObjectList, buildLlmInferenceService,
  memoryHpaPolicy, readTrace, requestRatePolicy, resolveLlmInferenceService, simulate, staticPolicy, syntheticTrace, tokenscalePolicy, TraceRequest,
} from '../src/core';

const SHARED_TRACE = path.resolve(__dirname, '../../shared/traces/AzureLLMInferenceTrace_conv.csv');

async function loadTrace(): Promise<{ trace: TraceRequest[]; source: string }> {
  if (fs.existsSync(SHARED_TRACE)) {
    const trace: TraceRequest[] = [];
    for await (const r of readTrace(SHARED_TRACE)) trace.push(r);
    return { trace, source: 'shared Azure LLM trace (conversation, 2023-11-16, CC-BY 4.0)' };
  }
  return { trace: [...syntheticTrace({ seed: 42, durationSeconds: 3600, meanRatePerSecond: 5.5 })], source: 'synthetic trace (../shared not found)' };
}

function timeIt(fn: () => void, repeat = 3): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

async function main(): Promise<void> {
  const { trace, source } = await loadTrace();
  const service = resolveLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
  // The default example's signals: queue depth and TTFT (against the 2.5 s SLO's bucket bound of 1 s).
  const signals = [{ kind: 'queueDepth', targetPerReplica: 5 } as const, { kind: 'timeToFirstToken', targetSeconds: 1 } as const];
  const scaler = buildTokenAwareScaler({ signals, maxReplicas: 16 }, service).spec;
  const base = {
    profile: LLAMA_8B_ON_L4,
    initialReplicas: 2,
    drainSeconds: service.drain.terminationGracePeriodSeconds,
    replicaHourlyUsd: 1.15,
    ttftSloSeconds: 2.5,
  };
  const bound = fluidLowerBoundReplicaHours(trace, LLAMA_8B_ON_L4);
  console.log(`(a) Policy quality on the ${source}: ${trace.length} requests; fluid lower bound ${bound.toFixed(2)} replica-hours`);
  console.log('| policy | GPU-hours / lower bound | within TTFT SLO (2.5 s) | TTFT p95 (s) | lost on scale-down | peak replicas |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const policy of [tokenscalePolicy(scaler), cpuHpaPolicy(2, 16, 64), memoryHpaPolicy(2, 16), requestRatePolicy(2, 16, 1), staticPolicy(16)]) {
    // Static provisioning starts at its size; the others start at the scaler's floor.
    const r = simulate(trace, { ...base, initialReplicas: policy.name.startsWith('static-') ? 16 : base.initialReplicas, policy });
    console.log(`| ${r.policy} | ${(r.gpuReplicaHours / bound).toFixed(2)}x | ${(r.withinSlo * 100).toFixed(1)}% | ${r.ttftP95} | ${r.lostOnScaleDown} | ${r.peakReplicas} |`);
  }

  const specs = Array.from({ length: 100 }, (_, i) => ({ name: `svc-${i}`, namespace: 'fleet', model: 'meta-llama/Llama-3.1-8B-Instruct' }));
  const viaTokenscale = timeIt(() => {
    const chart = new Chart(new App(), 'fleet');
    for (const s of specs) new LlmInferenceService(chart, s.name, s);
    chart.toJson();
  });
  const prebuilt = specs.map((s) => llmInferenceServiceObjectList(buildLlmInferenceService(s)));
  const viaPlain = timeIt(() => {
    const chart = new Chart(new App(), 'fleet');
    prebuilt.forEach((objs, i) => objs.forEach((o, j) => new ApiObject(chart, `o${i}-${j}`, o)));
    chart.toJson();
  });
  console.log(`\n(b) Synth of a 100-service fleet: ${(viaTokenscale * 1000).toFixed(0)} ms with tokenscale (validation + build + emit), `
    + `${(viaPlain * 1000).toFixed(0)} ms emitting the same objects as plain ApiObjects: ratio ${(viaTokenscale / viaPlain).toFixed(2)}x`);

  const before = process.memoryUsage().rss;
  const simSeconds = timeIt(() => simulate(trace, { ...base, policy: staticPolicy(8) }), 1);
  console.log(`\n(c) Simulator: ${Math.round(trace.length / simSeconds).toLocaleString('en-US')} simulated requests per wall-clock second `
    + `(${trace.length} requests in ${simSeconds.toFixed(2)} s); RSS grew ${((process.memoryUsage().rss - before) / 1048576).toFixed(1)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
