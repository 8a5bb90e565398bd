/**
 * Request traces: arrival time and token counts of each request. Readers stream (memory stays flat in
 * trace length) and report malformed lines by line number.
 */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { mersenne } from 'pure-rand';
import { readAzureRequests } from './azure-csv';
import { TokenscaleError } from '../errors';

/** One request of a trace. */
export interface TraceRequest {
  /** Seconds since the first request of the trace. */
  readonly arrivalSeconds: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
}

function lineError(file: string, line: number, value: string, problem: string, fix: string): TokenscaleError {
  return new TokenscaleError([{ code: 'trace-line-invalid', path: `${file}:${line}`, value, problem, fix }], 'Trace');
}

function outOfOrder(file: string, line: number, value: string): TokenscaleError {
  return lineError(file, line, value, 'it arrives before the previous line', 'sort the trace by arrival time');
}

/** Parses one JSONL line: `{"arrival_s": 1.5, "prompt_tokens": 100, "output_tokens": 20}` (or the camelCase names). */
export function parseJsonlLine(text: string, file: string, line: number): TraceRequest {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text);
  } catch {
    throw lineError(file, line, text, 'it is not JSON', 'write one JSON object per line');
  }
  const arrival = o.arrival_s ?? o.arrivalSeconds;
  const prompt = o.prompt_tokens ?? o.promptTokens;
  const output = o.output_tokens ?? o.outputTokens;
  const wholeCount = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (typeof arrival !== 'number' || !(arrival >= 0) || !wholeCount(prompt) || !wholeCount(output)) {
    throw lineError(file, line, text, 'it needs arrival_s >= 0 and whole prompt_tokens and output_tokens',
      'write {"arrival_s": 0.5, "prompt_tokens": 120, "output_tokens": 40}');
  }
  return { arrivalSeconds: arrival, promptTokens: prompt as number, outputTokens: output as number };
}

/** The lines of a text file, read in 1 MiB chunks: memory stays flat in the file's length. */
function* fileLines(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const lines = (rest + decoder.write(buffer.subarray(0, read))).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a trace file (Azure CSV or JSONL, by extension) as it is iterated, in arrival order; a malformed or
 * out-of-order line throws a TokenscaleError with its line number. Each iteration reads the file afresh.
 */
export function readTraceSync(file: string): Generator<TraceRequest> {
  if (file.endsWith('.jsonl')) return readJsonlTrace(file);
  return readAzureRequests(file, azureLineError(file));
}

/**
 * The wall-clock time of a trace file's first request, milliseconds since the epoch: an Azure CSV's first
 * timestamp (read as UTC). Undefined for JSONL, whose arrival times are relative, and for an empty file.
 */
export function traceStartEpochMs(file: string): number | undefined {
  if (file.endsWith('.jsonl')) return undefined;
  let start: number | undefined;
  const requests = readAzureRequests(file, azureLineError(file), (epochMs) => {
    start = epochMs;
  });
  try {
    requests.next();
  } finally {
    requests.return(undefined);
  }
  return start;
}

function azureLineError(file: string) {
  return (line: number, text: string, kind: 'malformed' | 'out-of-order') => (kind === 'out-of-order'
    ? outOfOrder(file, line, text)
    : lineError(file, line, text, 'it is not TIMESTAMP,ContextTokens,GeneratedTokens',
      'use "YYYY-MM-DD HH:MM:SS.fffffff,<prompt tokens>,<output tokens>"'));
}

/** JSONL lines, one request per line. */
function* readJsonlTrace(file: string): Generator<TraceRequest> {
  let n = 0;
  let last = 0;
  for (const raw of fileLines(file)) {
    n++;
    const text = raw.trim();
    if (text === '') continue;
    const req = parseJsonlLine(text, file, n);
    if (req.arrivalSeconds < last) throw outOfOrder(file, n, text);
    last = req.arrivalSeconds;
    yield req;
  }
}

/** Streams a trace file (Azure CSV or JSONL, by extension), in arrival order. */
export async function* readTrace(file: string): AsyncGenerator<TraceRequest> {
  yield* readTraceSync(file);
}

/**
 * A trace the simulator can replay more than once: an array, or a function that starts a fresh pass
 * (e.g. `() => readTraceSync(file)`), so a comparison of several policies never holds the whole trace.
 */
export type ReplayableTrace = readonly TraceRequest[] | (() => Iterable<TraceRequest>);

/** One pass over a replayable trace. */
export function replay(trace: ReplayableTrace): Iterable<TraceRequest> {
  return typeof trace === 'function' ? trace() : trace;
}

/** Options of the synthetic trace. */
export interface SyntheticTraceOptions {
  /** @default 42 */
  readonly seed?: number;
  /** Length, in seconds. @default 3600 */
  readonly durationSeconds?: number;
  /** Mean arrival rate, requests per second. @default 5 */
  readonly meanRatePerSecond?: number;
  /** Day-cycle amplitude: the rate swings by +/- this fraction over `periodSeconds`. @default 0.5 */
  readonly diurnalAmplitude?: number;
  /** @default 3600 */
  readonly periodSeconds?: number;
  /** Bursts: this many per hour, each tripling the rate for a minute. @default 2 */
  readonly burstsPerHour?: number;
  /** Median prompt length of the log-normal distribution, tokens. @default 800 */
  readonly promptMedian?: number;
  /** Median output length, tokens. @default 150 */
  readonly outputMedian?: number;
  /** Standard deviation of the log of token lengths. @default 0.8 */
  readonly sigma?: number;
  /**
   * Longest request the clients send, prompt and output together (the service's context): a longer draw
   * keeps at most half of it for the output and cuts the prompt to what is left.
   * @default - unbounded
   */
  readonly maxRequestTokens?: number;
}

/** A seeded uniform [0, 1) generator (Mersenne Twister from pure-rand). */
export function seededRandom(seed: number): () => number {
  const rng = mersenne(seed);
  return () => (rng.unsafeNext() + 2 ** 31) / 2 ** 32;
}

/** A seeded synthetic trace: diurnal rate, bursts, log-normal token lengths (non-homogeneous Poisson arrivals by thinning). */
export function* syntheticTrace(opts: SyntheticTraceOptions = {}): Generator<TraceRequest> {
  const rand = seededRandom(opts.seed ?? 42);
  const duration = opts.durationSeconds ?? 3600;
  const mean = opts.meanRatePerSecond ?? 5;
  const amp = opts.diurnalAmplitude ?? 0.5;
  const period = opts.periodSeconds ?? 3600;
  const bursts = Array.from({ length: Math.round(((opts.burstsPerHour ?? 2) * duration) / 3600) }, () => rand() * duration);
  const rate = (t: number) => mean * (1 + amp * Math.sin((2 * Math.PI * t) / period)) * (bursts.some((b) => t >= b && t < b + 60) ? 3 : 1);
  const maxRate = mean * (1 + amp) * 3;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sigma = opts.sigma ?? 0.8;
  const longest = opts.maxRequestTokens ?? Infinity;
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rand()) / maxRate;
    if (t >= duration) return;
    if (rand() * maxRate > rate(t)) continue;
    let promptTokens = Math.max(1, Math.round((opts.promptMedian ?? 800) * Math.exp(sigma * normal())));
    let outputTokens = Math.max(1, Math.round((opts.outputMedian ?? 150) * Math.exp(sigma * normal())));
    if (promptTokens + outputTokens > longest) {
      outputTokens = Math.min(outputTokens, Math.ceil(longest / 2));
      promptTokens = Math.max(1, Math.min(promptTokens, longest - outputTokens));
    }
    yield { arrivalSeconds: t, promptTokens, outputTokens };
  }
}

/**
 * Scales a trace's arrival rate by `factor` (x N arrivals): each request is repeated floor(factor) times,
 * plus once more with probability frac(factor); copies arrive together, so the order is kept.
 */
export function* scaleTraceRate(trace: Iterable<TraceRequest>, factor: number, seed = 7): Generator<TraceRequest> {
  // x1 is the trace itself: no draw per request.
  if (factor === 1) {
    yield* trace;
    return;
  }
  const rand = seededRandom(seed);
  const whole = Math.floor(factor);
  for (const r of trace) {
    const copies = whole + (rand() < factor - whole ? 1 : 0);
    for (let i = 0; i < copies; i++) yield r;
  }
}
