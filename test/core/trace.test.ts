import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { SHARED_DIR } from '../support/schema';
import { readTrace, readTraceSync, scaleTraceRate, syntheticTrace, TokenscaleError, traceStartEpochMs, TraceRequest } from 'tokenscale';

async function collect(it: AsyncIterable<TraceRequest>): Promise<TraceRequest[]> {
  const out: TraceRequest[] = [];
  for await (const r of it) out.push(r);
  return out;
}

function write(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-trace-')), name);
  fs.writeFileSync(file, content);
  return file;
}

/** What `read` throws, or undefined. */
function thrownBy(read: () => unknown): unknown {
  try {
    read();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('traces', () => {
  test('reads the Azure CSV format with relative arrival times', async () => {
    const file = write('t.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n');
    const reqs = await collect(readTrace(file));
    expect(reqs).toHaveLength(2);
    expect(reqs[0]).toEqual({ arrivalSeconds: 0, promptTokens: 374, outputTokens: 44 });
    expect(reqs[1].arrivalSeconds).toBeCloseTo(4.314579, 5);
    // The first timestamp, read as UTC, is the trace's wall-clock start (for scheduled windows).
    expect(traceStartEpochMs(file)).toBeCloseTo(Date.parse('2023-11-16T18:15:46.680Z') + 0.59, 6);
  });

  test('reads an Azure CSV that opens with a byte-order mark', () => {
    const file = write('bom.csv', '\uFEFFTIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.68,374,44\r\n');
    expect([...readTraceSync(file)]).toEqual([{ arrivalSeconds: 0, promptTokens: 374, outputTokens: 44 }]);
  });

  test('reads JSONL', async () => {
    const file = write('t.jsonl', '{"arrival_s": 0, "prompt_tokens": 10, "output_tokens": 5}\n{"arrivalSeconds": 1.5, "promptTokens": 20, "outputTokens": 7}\n');
    expect(await collect(readTrace(file))).toEqual([
      { arrivalSeconds: 0, promptTokens: 10, outputTokens: 5 }, { arrivalSeconds: 1.5, promptTokens: 20, outputTokens: 7 },
    ]);
    expect(traceStartEpochMs(file)).toBeUndefined();
  });

  test.each([
    ['t.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n2023-11-16 18:15:47,abc,1\n', 't.csv:3'],
    ['t.jsonl', '{"arrival_s": 0, "prompt_tokens": 1, "output_tokens": 1}\nnot json\n', 't.jsonl:2'],
    ['t.jsonl', '{"arrival_s": 5, "prompt_tokens": 1, "output_tokens": 1}\n{"arrival_s": 1, "prompt_tokens": 1, "output_tokens": 1}\n', 't.jsonl:2'],
  ])('fails on a malformed line of %s with its line number', async (name, content, where) => {
    const file = write(name, content);
    const error = await collect(readTrace(file)).catch((e) => e);
    expect(error).toBeInstanceOf(TokenscaleError);
    expect((error as TokenscaleError).issues[0].path.endsWith(where)).toBe(true);
  });

  test('the synchronous reader streams a file larger than its 1 MiB chunk and finds a bad line past the first chunk', () => {
    const line = (i: number) => JSON.stringify({ arrival_s: i / 10, prompt_tokens: 100 + (i % 7), output_tokens: 20 + (i % 5) });
    const lines = Array.from({ length: 30_000 }, (_, i) => line(i));
    const file = write('big.jsonl', `${lines.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(1024 * 1024);
    const reqs = [...readTraceSync(file)];
    expect(reqs).toHaveLength(30_000);
    expect(reqs[29_999]).toEqual({ arrivalSeconds: 2999.9, promptTokens: 100 + (29_999 % 7), outputTokens: 20 + (29_999 % 5) });
    // Each pass reads the file afresh.
    expect([...readTraceSync(file)]).toEqual(reqs);
    lines[25_000] = '{"arrival_s": "late"}';
    const broken = write('broken.jsonl', lines.join('\n'));
    const error = thrownBy(() => [...readTraceSync(broken)]);
    expect(error).toBeInstanceOf(TokenscaleError);
    expect((error as TokenscaleError).issues[0].path.endsWith('broken.jsonl:25001')).toBe(true);
  });

  test('Azure CSV lines that cross the 1 MiB chunks, with CRLF, blank lines and no final newline, read as a reference parse reads them', () => {
    const day = Date.parse('2023-11-16T00:00:00Z');
    fc.assert(fc.property(fc.array(fc.record({
      gapSeconds: fc.integer({ min: 1, max: 5000 }),
      fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,7}$/)),
      prompt: fc.integer({ min: 0, max: 100_000 }),
      output: fc.integer({ min: 0, max: 5000 }),
      ending: fc.constantFrom('\n', '\r\n', '\n\n'),
    }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1024 * 1024 }), (rows, padding) => {
      // Whole seconds apart (a fraction below one second keeps the order), across midnight now and then.
      let seconds = 20 * 3600;
      const lines = rows.map((r) => {
        seconds += r.gapSeconds;
        const stamp = new Date(day + seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
        return { text: `${stamp}${r.fraction},${r.prompt},${r.output}`, ending: r.ending };
      });
      // A long first data line moves the rest across the chunk boundary at a different place each run.
      const header = `TIMESTAMP,ContextTokens,GeneratedTokens${' '.repeat(padding)}\n`;
      const content = header + lines.map((l, i) => l.text + (i === lines.length - 1 ? '' : l.ending)).join('');
      const expected = lines.map((l) => {
        const [stamp, prompt, output] = l.text.split(',');
        const [whole, fraction] = stamp.split('.');
        return { epochMs: Date.parse(`${whole.replace(' ', 'T')}Z`) + (fraction ? Number(`0.${fraction}`) : 0) * 1000, prompt: +prompt, output: +output };
      });
      const reqs = [...readTraceSync(write('t.csv', content))];
      expect(reqs).toEqual(expected.map((e) => ({
        arrivalSeconds: (e.epochMs - expected[0].epochMs) / 1000, promptTokens: e.prompt, outputTokens: e.output,
      })));
    }), { numRuns: 25, seed: 20261202 });
  });

  test.each([
    ['a day that is not in the calendar', '2023-02-30 10:00:00.5,1,1'],
    ['an hour past 23', '2023-11-16 24:00:00,1,1'],
    ['a fraction without digits', '2023-11-16 10:00:00.,1,1'],
    ['a missing count', '2023-11-16 10:00:00.1,1,'],
    ['a fourth column', '2023-11-16 10:00:00.1,1,2,3'],
    ['a negative count', '2023-11-16 10:00:00.1,-1,2'],
    ['an ISO T separator', '2023-11-16T10:00:00.1,1,2'],
  ])('refuses %s with its line number and text', (_case, line) => {
    const file = write('bad.csv', `TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 09:00:00,1,1\n${line}\n`);
    const error = thrownBy(() => [...readTraceSync(file)]);
    expect(error).toBeInstanceOf(TokenscaleError);
    expect((error as TokenscaleError).issues[0]).toMatchObject({ path: `${file}:3`, value: line });
  });

  test('an Azure line earlier than the one before it is named', () => {
    const file = write('order.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 09:00:01,1,1\n2023-11-16 09:00:00,1,1\n');
    expect(() => [...readTraceSync(file)]).toThrow(/order\.csv:3[\s\S]*sort the trace by arrival time/);
  });

  test('the synthetic trace is deterministic for a seed, ordered, and near its mean rate', () => {
    const a = [...syntheticTrace({ seed: 3, durationSeconds: 600 })];
    const b = [...syntheticTrace({ seed: 3, durationSeconds: 600 })];
    expect(a).toEqual(b);
    expect(a.every((r, i) => i === 0 || r.arrivalSeconds >= a[i - 1].arrivalSeconds)).toBe(true);
    expect(a.length / 600).toBeGreaterThan(3);
    expect(a.length / 600).toBeLessThan(12);
    expect([...syntheticTrace({ seed: 4, durationSeconds: 600 })]).not.toEqual(a);
  });

  test('the synthetic clients send nothing longer than the service takes: long draws are cut, the rest kept', () => {
    const free = [...syntheticTrace({ seed: 5, durationSeconds: 3600 })];
    const capped = [...syntheticTrace({ seed: 5, durationSeconds: 3600, maxRequestTokens: 4096 })];
    const long = free.filter((r) => r.promptTokens + r.outputTokens > 4096).length;
    expect(long).toBeGreaterThan(10);
    expect(capped).toHaveLength(free.length);
    expect(capped.every((r) => r.promptTokens + r.outputTokens <= 4096 && r.promptTokens >= 1)).toBe(true);
    capped.forEach((r, i) => {
      const cut = free[i].promptTokens + free[i].outputTokens > 4096;
      // A cut request keeps its output up to half the limit; every other one is drawn as without the limit.
      const output = Math.min(free[i].outputTokens, 2048);
      const expected = cut ? { ...free[i], outputTokens: output, promptTokens: Math.min(free[i].promptTokens, 4096 - output) } : free[i];
      expect(r).toEqual(expected);
    });
  });

  test('rate scaling multiplies arrivals', () => {
    const base = [...syntheticTrace({ seed: 1, durationSeconds: 300 })];
    const scaled = [...scaleTraceRate(base, 2.5)];
    expect(scaled.length / base.length).toBeGreaterThan(2.3);
    expect(scaled.length / base.length).toBeLessThan(2.7);
  });

  (fs.existsSync(path.join(SHARED_DIR, 'traces/AzureLLMInferenceTrace_conv.csv')) ? test : test.skip)('streams the shared Azure trace: 19,366 requests over 58.4 minutes (SOURCES.md)', async () => {
    let n = 0;
    let last = 0;
    let prompt = 0;
    for await (const r of readTrace(path.join(SHARED_DIR, 'traces/AzureLLMInferenceTrace_conv.csv'))) {
      n++;
      last = r.arrivalSeconds;
      prompt += r.promptTokens;
    }
    expect(n).toBe(19_366);
    expect(last / 60).toBeCloseTo(58.4, 1);
    expect(prompt / n).toBeCloseTo(1154.7, 0);
  });
});
