/**
 * `tokenscale simulate`: determinism (the same spec, trace and seed give byte-identical JSON), the report,
 * time series and SVG chart, and clear errors with exit 2.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Writable } from 'stream';
import { cli, DEFAULT_FLEET, tempDir } from './run-cli';
import { runCli } from '../../src/cli/program';

const SHORT = ['--duration', '900', '--mean-rate', '1'];

describe('tokenscale simulate', () => {
  let first: string;
  beforeAll(async () => {
    first = path.join(tempDir(), 'sim');
    const run = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--out', first);
    expect(run.code).toBe(0);
    // The short trace's warm-up ends in a backlog the specified floor does not absorb: the only note is the floor that would.
    expect(run.err).toMatch(/^note: The tokenscale scaler keeps [\d.]+% of requests within the SLO, under the 99\.0% target: [^\n]*\n$/);
  });

  test('writes results, time series, an SVG chart and a Markdown report for every policy', () => {
    expect(fs.readdirSync(first).sort()).toEqual(['chart.svg', 'report.md', 'results.json', 'timeseries.json']);
    const results = JSON.parse(fs.readFileSync(path.join(first, 'results.json'), 'utf8'));
    expect(results.results.map((r: { policy: string }) => r.policy)).toEqual(['tokenscale', 'hpa-cpu-70', 'hpa-memory-80', 'rps-1', 'static-12', expect.stringMatching(/^static-sized-\d+$/)]);
    expect(results.inputs).toMatchObject({ service: 'llm/llama-8b', seed: 42, rateScale: 1 });
    expect(results.inputs.gpuHourlyUsd).toBeCloseTo(1.3232, 9);
    for (const r of results.results) {
      expect(r.requests).toBe(results.requests);
      expect(r.gpuHours).toBeGreaterThan(0);
      expect(r.costUsd).toBeCloseTo(r.gpuHours * results.inputs.gpuHourlyUsd, 1);
      expect(r.withinSlo).toBeGreaterThanOrEqual(0);
      expect(r.withinSlo).toBeLessThanOrEqual(1);
    }
    const series = JSON.parse(fs.readFileSync(path.join(first, 'timeseries.json'), 'utf8'));
    expect(Object.keys(series)).toHaveLength(6);
    const number = expect.any(Number);
    expect(series.tokenscale[0]).toEqual({ t: 60, arrivals: number, replicas: number, nodes: number, waiting: number, ttftP95: number });
    // One replica per node on the default pool; empty nodes wait for consolidation.
    expect(series.tokenscale[0].nodes).toBeGreaterThanOrEqual(series.tokenscale[0].replicas);
    expect(series.tokenscale[0].replicas).toBeGreaterThanOrEqual(2);
    const svg = fs.readFileSync(path.join(first, 'chart.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('hpa-memory-80'); // the legend names the policies
    const report = fs.readFileSync(path.join(first, 'report.md'), 'utf8');
    expect(report).toMatch(/^# Scaling policies for llm\/llama-8b/);
    expect(report).toContain('![Replicas and load over time](chart.svg)');
  });

  test('names the floor that would hold the SLO when the scaler misses it on the default trace', async () => {
    const run = await cli('simulate', '-f', DEFAULT_FLEET, '--policies', 'tokenscale,static-sized', '--no-foresight');
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/note: The tokenscale scaler keeps 75\.0% of requests within the SLO, under the 99\.0% target: .* With minReplicas: 10 \(specified: 2\) it keeps 99\.3% of requests within the SLO on 10\.50 GPU-hours, against 9\.31 as specified and 10\.07 for the static fleet sized with hindsight \(10 replicas\)/);
  });

  test('--tune prints the settings that hold the SLO target, cheapest first, and writes tuning.json', async () => {
    const out = path.join(tempDir(), 'sim');
    const run = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'tokenscale', '--no-foresight', '--tune', '--out', out);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Tuning: each combination of the targets below with the fewest minReplicas \(from the specified 2\) that keeps 99\.0% within the SLO/);
    const tuning = JSON.parse(fs.readFileSync(path.join(out, 'tuning.json'), 'utf8'));
    expect(tuning.settings).toHaveLength(16);
    expect(run.out).toContain(`Recommended on this trace: queue ${tuning.best.signals[0].targetPerReplica}, KV cache ${tuning.best.signals[1].target}, `
      + `minReplicas ${tuning.best.minReplicas}: ${tuning.best.gpuHours.toFixed(2)} GPU-hours`);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('Recommended on this trace');

    // More traces the setting must hold on; named without --tune, or missing, they are usage errors.
    const jsonl = path.join(tempDir(), 'calm.jsonl');
    fs.writeFileSync(jsonl, Array.from({ length: 600 }, (_, i) => JSON.stringify({ arrival_s: i * 2, prompt_tokens: 500, output_tokens: 100 })).join('\n'));
    const both = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'tokenscale', '--no-foresight', '--tune', '--tune-also', jsonl);
    expect(both.code).toBe(0);
    expect(both.out).toContain('on each of 2 traces');
    expect(await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--tune-also', jsonl)).toMatchObject({ code: 2, err: expect.stringContaining('--tune-also needs --tune') });
    expect((await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--tune', '--tune-also', 'missing.csv')).err).toContain('--tune-also missing.csv: no such file');
  });

  test('on a terminal, progress bars follow the policies and the tuning', async () => {
    let progress = '';
    const sink = new Writable({ write: (chunk, _encoding, done) => { progress += String(chunk); done(); } });
    const terminal = Object.assign(sink, { isTTY: true, columns: 120 });
    const io = { out: () => undefined, err: () => undefined, interactive: true, progressStream: terminal };
    expect(await runCli(['simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'tokenscale', '--no-foresight', '--tune'], io)).toBe(0);
    expect(progress).toMatch(/simulating tokenscale \[[^\]]*\] 100% \| \d+\/\d+ requests/);
    expect(progress).toMatch(/tuning \[[^\]]*\] 16\/16 settings/);
  });

  test('the same spec, trace and seed give byte-identical JSON results', async () => {
    const second = path.join(tempDir(), 'sim');
    expect((await cli('simulate', '--spec', DEFAULT_FLEET, ...SHORT, '--out', second)).code).toBe(0);
    for (const file of ['results.json', 'timeseries.json', 'chart.svg']) {
      expect(fs.readFileSync(path.join(second, file), 'utf8')).toBe(fs.readFileSync(path.join(first, file), 'utf8'));
    }
    const otherSeed = path.join(tempDir(), 'sim');
    await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--seed', '7', '--out', otherSeed);
    expect(fs.readFileSync(path.join(otherSeed, 'results.json'), 'utf8')).not.toBe(fs.readFileSync(path.join(first, 'results.json'), 'utf8'));
  });

  test('a JSONL trace with a subset of policies; a malformed line gives its line number and exit 2', async () => {
    const dir = tempDir();
    const trace = path.join(dir, 'trace.jsonl');
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ arrival_s: i * 2, prompt_tokens: 500, output_tokens: 100 }));
    fs.writeFileSync(trace, `${lines.join('\n')}\n`);
    const run = await cli('simulate', '-f', DEFAULT_FLEET, '--trace', trace, '--policies', 'tokenscale,static', '--rate-scale', '2');
    expect(run.code).toBe(0);
    expect(run.out.split('\n').filter((l) => /^\| (tokenscale|static-12) \|/.test(l))).toHaveLength(2);
    expect(run.err).not.toContain('refused');

    // One request longer than the service's --max-model-len (8,192; an L4's KV cache holds 29,977 tokens): refused, counted, named.
    fs.writeFileSync(trace, `${[...lines, JSON.stringify({ arrival_s: 401, prompt_tokens: 8_000, output_tokens: 200 })].join('\n')}\n`);
    const long = await cli('simulate', '-f', DEFAULT_FLEET, '--trace', trace, '--policies', 'static');
    expect(long.code).toBe(0);
    expect(long.err).toContain('note: 1 request of the trace is longer (prompt and output) than the 8192 tokens a replica takes');
    const longer = JSON.stringify({ arrival_s: 402, prompt_tokens: 200, output_tokens: 8_000 });
    fs.writeFileSync(trace, `${[...lines, JSON.stringify({ arrival_s: 401, prompt_tokens: 8_000, output_tokens: 200 }), longer].join('\n')}\n`);
    const two = await cli('simulate', '-f', DEFAULT_FLEET, '--trace', trace, '--policies', 'static', '--no-foresight');
    expect(two.err).toContain('note: 2 requests of the trace are longer (prompt and output) than the 8192 tokens a replica takes (its KV cache or --max-model-len); they are refused');

    fs.writeFileSync(trace, `${lines.slice(0, 3).join('\n')}\n{"arrival_s": 9, "prompt_tokens": "many"}\n`);
    const bad = await cli('simulate', '-f', DEFAULT_FLEET, '--trace', trace);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${trace}:4`);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  test('scheduled windows run on the trace\'s wall clock: an Azure CSV\'s timestamps or --trace-start, else they are named as not simulated', async () => {
    const dir = tempDir();
    const fleet = path.join(dir, 'fleet.yaml');
    const yaml = fs.readFileSync(DEFAULT_FLEET, 'utf8');
    expect(yaml).toContain('      maxReplicas: 12\n');
    fs.writeFileSync(fleet, yaml.replace('      maxReplicas: 12\n', `      maxReplicas: 12
      scheduled:
        - { start: "10 8 * * *", end: "20 8 * * *", timezone: UTC, desiredReplicas: 6 }
`));
    const rows = Array.from({ length: 900 }, (_, i) => `2026-01-05 08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},300,50`);
    const csv = path.join(dir, 'trace.csv');
    fs.writeFileSync(csv, `TIMESTAMP,ContextTokens,GeneratedTokens\n${rows.join('\n')}\n`);
    const jsonl = path.join(dir, 'trace.jsonl');
    fs.writeFileSync(jsonl, `${rows.map((_, i) => JSON.stringify({ arrival_s: i, prompt_tokens: 300, output_tokens: 50 })).join('\n')}\n`);
    const peak = (out: string) => Number(out.split('\n').find((l) => l.startsWith('| tokenscale |'))!.split('|')[11]);

    const fromCsv = await cli('simulate', '-f', fleet, '--trace', csv, '--policies', 'tokenscale');
    expect(fromCsv).toMatchObject({ code: 0, err: '' });
    expect(peak(fromCsv.out)).toBe(6);
    const untimed = await cli('simulate', '-f', fleet, '--trace', jsonl, '--policies', 'tokenscale');
    expect(untimed.err).toMatch(/note: the triggers schedule-0 are not simulated \(.*`--trace-start` gives\)/);
    expect(peak(untimed.out)).toBeLessThan(6);
    const timed = await cli('simulate', '-f', fleet, '--trace', jsonl, '--policies', 'tokenscale', '--trace-start', '2026-01-05T08:00:00Z');
    expect(timed).toMatchObject({ code: 0, err: '' });
    expect(timed.out).toBe(fromCsv.out);
  });

  test('--spot-reclaims reclaims the spot nodes of a pool with spot capacity; on an on-demand pool, or below 0, it is a usage error', async () => {
    const fleet = path.join(tempDir(), 'fleet.yaml');
    const yaml = fs.readFileSync(DEFAULT_FLEET, 'utf8');
    expect(yaml).toContain('    gpuLimit: 12\n');
    // Spot at half the g6.4xlarge's on-demand $1.3232.
    fs.writeFileSync(fleet, yaml.replace('    gpuLimit: 12\n',
      '    gpuLimit: 12\n    capacity: { kind: onDemandFloorSpotBurst, onDemandGpus: 2 }\n    spotPriceOverrides: { g6.4xlarge: 0.6616 }\n'));
    const quiet = await cli('simulate', '-f', fleet, ...SHORT, '--policies', 'static', '--no-foresight');
    expect(quiet.code).toBe(0);
    expect(quiet.err).toContain('note: Spot: the pool launches 2 nodes on-demand, then spot. No spot node is reclaimed in this run');
    const out = path.join(tempDir(), 'sim');
    const reclaimed = await cli('simulate', '-f', fleet, ...SHORT, '--policies', 'static', '--no-foresight', '--spot-reclaims', '3', '--out', out);
    expect(reclaimed.code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.spot).toEqual({ onDemandNodes: 2, reclaimsPerNodeHour: 3, seed: 42, priceRatio: 0.5 });
    const [run] = results.results;
    expect(run.spotReclaims).toBeGreaterThan(0);
    expect(reclaimed.out).toContain(`| ${run.spotReclaims} / ${run.lostOnReclaim} |`);
    expect(reclaimed.err).toContain(`static-12 ${run.spotReclaims} reclaims`);
    expect(reclaimed.err).toContain('Costs price spot GPU-hours at 50% of on-demand');
    expect(run.costUsd).toBeCloseTo((run.gpuHours - run.spotGpuHours / 2) * results.inputs.gpuHourlyUsd, 1);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('Each spot node is reclaimed at 3 per node-hour (seed 42)');

    const byZone = await cli('simulate', '-f', fleet, ...SHORT, '--policies', 'static', '--no-foresight', '--spot-reclaims', '3', '--spot-reclaims-by-zone');
    expect(byZone.code).toBe(0);
    expect(byZone.err).toContain('Each of the pool\'s 3 zones is reclaimed at 3 per hour, every spot node of the zone at once (seed 42)');
    expect(await cli('simulate', '-f', fleet, ...SHORT, '--spot-reclaims-by-zone')).toMatchObject({ code: 2, err: expect.stringContaining('--spot-reclaims-by-zone needs --spot-reclaims') });
    expect(await cli('simulate', '-f', fleet, ...SHORT, '--spot-reclaims', '-1')).toMatchObject({ code: 2, err: expect.stringContaining('--spot-reclaims is "-1"') });
    const onDemand = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--spot-reclaims', '1');
    expect(onDemand.code).toBe(2);
    expect(onDemand.err).toContain('--spot-reclaims: the pool gpu-l4 launches only on-demand nodes; give the pool capacity: { kind: spot }');
  });

  test('a batch service that rests at zero wakes when requests wait; one nothing simulated can wake is a usage error, not a crash', async () => {
    const batch = 'examples/batch-summarization/fleet.yaml';
    const run = await cli('simulate', '-f', batch, ...SHORT, '--policies', 'tokenscale', '--no-foresight');
    expect(run.code).toBe(0);
    expect(run.err).toContain('the triggers pending-documents are not simulated');
    expect(run.err).toContain('resting at zero, the service wakes when requests wait');
    // The example gives its SLOs: 10 minutes to the first token, 15 to the whole summary.
    expect(run.out).toContain('| within 600 s SLO | completion p50 / p95 / p99 (s) | within 900 s completion SLO |');
    expect(run.err).not.toContain('note: summarizer is a batch service');
    expect(run.err).toMatch(/note: Completion: from a request's arrival to its last token.* The last answer came after the last arrival by: tokenscale [0-9.]+ s\./);
    // Without them, it is judged by the interactive default, and told so.
    const unjudged = path.join(tempDir(), 'fleet.yaml');
    const example = fs.readFileSync(batch, 'utf8');
    const slos = example.slice(example.indexOf('      # A document may wait'), example.indexOf('        completionSloSeconds: 900\n') + '        completionSloSeconds: 900\n'.length);
    fs.writeFileSync(unjudged, example.replace(slos, ''));
    const defaulted = await cli('simulate', '-f', unjudged, ...SHORT, '--policies', 'tokenscale', '--no-foresight');
    expect(defaulted.err).toContain('note: summarizer is a batch service: the 2.5-s TTFT SLO is the interactive default');
    expect(defaulted.err).toContain("judge whole answers with --completion-slo or the scaler's observability.completionSloSeconds");
    expect(defaulted.out).not.toContain('completion SLO');
    const flagged = await cli('simulate', '-f', unjudged, ...SHORT, '--policies', 'tokenscale', '--no-foresight', '--slo', '600', '--completion-slo', '1200');
    expect(flagged.err).not.toContain('note: summarizer is a batch service');
    expect(flagged.out).toContain('within 1200 s completion SLO');
    expect(await cli('simulate', '-f', unjudged, ...SHORT, '--completion-slo', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--completion-slo is "0"') });
    const due = await cli('simulate', '-f', unjudged, ...SHORT, '--policies', 'tokenscale', '--no-foresight', '--slo', '600', '--batch-deadline', '1e6');
    // However late the deadline, the one request its scale-down cut leaves the batch unfinished.
    expect(due.err).toContain('Lost on scale-down: tokenscale 1 in 1 drain');
    expect(due.err).toContain("note: Batch deadline: every request answered, none lost, within 1000000 s of the trace's start. Met by none; missed by tokenscale.");
    expect(await cli('simulate', '-f', unjudged, ...SHORT, '--batch-deadline', 'soon')).toMatchObject({ code: 2, err: expect.stringContaining('--batch-deadline is "soon"') });
    // Its only wake-up is a scheduled window, and the trace has no wall clock: nothing wakes it from zero.
    const fleet = path.join(tempDir(), 'fleet.yaml');
    const yaml = fs.readFileSync(batch, 'utf8');
    const custom = yaml.slice(yaml.indexOf('        - kind: prometheusQuery'), yaml.indexOf('        - kind: queueDepth'));
    expect(custom).toContain('pending-documents');
    fs.writeFileSync(fleet, yaml.replace(custom, '').replace('      minReplicas: 0\n',
      '      minReplicas: 0\n      scheduled:\n        - { start: "0 8 * * *", end: "0 9 * * *", timezone: UTC, desiredReplicas: 1 }\n'));
    const trace = path.join(tempDir(), 'trace.jsonl');
    fs.writeFileSync(trace, `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ arrival_s: 900 + i, prompt_tokens: 300, output_tokens: 50 })).join('\n')}\n`);
    const stalled = await cli('simulate', '-f', fleet, '--trace', trace, '--policies', 'tokenscale', '--no-foresight');
    expect(stalled.code).toBe(2);
    expect(stalled.err).toMatch(/^error: the simulation of policy 'tokenscale' stalled: .* At zero replicas the tokenscale scaler wakes only on what the simulation can read/);
    expect(stalled.err).not.toContain('internal error');
  });

  // The README shows docs/simulation: it must be what the simulator produces today.
  const trace = '../shared/traces/AzureLLMInferenceTrace_conv.csv';
  (fs.existsSync(trace) ? test : test.skip)('docs/simulation is a fresh run of the default example on the shared trace', async () => {
    const out = path.join(tempDir(), 'sim');
    expect((await cli('simulate', '-f', 'examples/default/fleet.yaml', '--trace', trace, '--tune', '--out', out)).code).toBe(0);
    for (const file of ['results.json', 'timeseries.json', 'report.md', 'chart.svg', 'tuning.json']) {
      const fresh = fs.readFileSync(path.join(out, file), 'utf8');
      expect([file, fresh === fs.readFileSync(path.join('docs/simulation', file), 'utf8')]).toEqual([file, true]);
    }
  }, 120_000);

  test('--profile replays a measured replica profile; --no-foresight skips the search', async () => {
    const dir = tempDir();
    const profile = path.join(dir, 'measured.json');
    const measured = {
      prefillTokensPerSecond: 5000, decodeStepBaseSeconds: 0.05, decodeStepPerSequenceSeconds: 0.0005, maxNumSeqs: 64, kvCacheTokens: 30_000,
    };
    fs.writeFileSync(profile, JSON.stringify({ ...measured, coldStartSeconds: 300 }));
    const out = path.join(dir, 'sim');
    const run = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'static', '--profile', profile, '--no-foresight', '--out', out);
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('vs foresight');
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.inputs.profile).toBe(profile);
    expect(results.foresight).toBeUndefined();
    // A faster replica than the L4 roofline: lower TTFT for the same trace and fleet.
    const roofline = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'static', '--no-foresight', '--out', path.join(dir, 'roofline'));
    const rooflineResults = JSON.parse(fs.readFileSync(path.join(dir, 'roofline', 'results.json'), 'utf8'));
    expect(roofline.code).toBe(0);
    expect(results.results[0].ttftP50).toBeLessThan(rooflineResults.results[0].ttftP50);

    fs.writeFileSync(profile, JSON.stringify({ ...measured, coldStartSeconds: 0, speed: 1 }));
    const bad = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--profile', profile);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/coldStartSeconds must be a positive number \(is 0\); speed is not a profile field; the fields are prefillTokensPerSecond/);
    // vLLM will not start with a step budget below --max-num-seqs; a budget or context of 0 would never prefill.
    const limits = { maxNumBatchedTokens: 32, maxModelLen: 0, nodeProvisioningSeconds: 0 };
    fs.writeFileSync(profile, JSON.stringify({ ...measured, coldStartSeconds: 300, ...limits }));
    const budget = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--profile', profile);
    expect(budget.code).toBe(2);
    expect(budget.err).toContain('maxModelLen must be a number > 0 (is 0); maxNumBatchedTokens (32) must be at least maxNumSeqs (64)');
    expect(budget.err).not.toContain('nodeProvisioningSeconds must');
  });

  test('--foresight-window sets the foresight schedule\'s window', async () => {
    const out = path.join(tempDir(), 'sim');
    const run = await cli('simulate', '-f', DEFAULT_FLEET, ...SHORT, '--policies', 'static', '--foresight-window', '300', '--out', out);
    expect(run.code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.foresight.windowSeconds).toBe(300);
    // The 15-minute trace's last request arrives before 900 s: three 5-minute windows.
    expect(results.foresight.replicas).toHaveLength(3);
  });

  test('usage errors exit 2 with the flag and the fix', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--policies', 'tokenscale,magic'], /--policies has "magic", but the policies are all or tokenscale, hpa-cpu/],
      [['--rate-scale', '-1'], /--rate-scale is "-1", but it must be a positive number/],
      [['--foresight-window', '0'], /--foresight-window is "0", but it must be a positive number/],
      [['--trace', '/nonexistent.csv'], /--trace \/nonexistent.csv: no such file/],
      [['--service', 'mistral'], /--service mistral: no service .* use one of llama-8b/],
      [['--trace-start', 'monday 8am'], /--trace-start is "monday 8am", but it must be an ISO 8601 time with its offset/],
      [['--trace-start', '2026-01-05T08:00:00'], /--trace-start is "2026-01-05T08:00:00", but it must be an ISO 8601 time with its offset/],
    ];
    for (const [args, message] of cases) {
      const run = await cli('simulate', '-f', DEFAULT_FLEET, ...args);
      expect([args, run.code]).toEqual([args, 2]);
      expect(run.err).toMatch(message);
    }
    expect((await cli('simulate')).err).toMatch(/pass the fleet file with -f/);
  });
});
