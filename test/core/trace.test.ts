import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHARED_DIR } from '../support/schema';
import { readTrace, readTraceSync, scaleTraceRate, syntheticTrace, TokenscaleError, TraceRequest } from 'tokenscale';

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

describe('traces', () => {
  test('reads the Azure CSV format with relative arrival times', async () => {
    const file = write('t.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n');
    const reqs = await collect(readTrace(file));
    expect(reqs).toHaveLength(2);
    expect(reqs[0]).toEqual({ arrivalSeconds: 0, promptTokens: 374, outputTokens: 44 });
    expect(reqs[1].arrivalSeconds).toBeCloseTo(4.314579, 5);
  });

  test('reads JSONL', async () => {
    const file = write('t.jsonl', '{"arrival_s": 0, "prompt_tokens": 10, "output_tokens": 5}\n{"arrivalSeconds": 1.5, "promptTokens": 20, "outputTokens": 7}\n');
    expect(await collect(readTrace(file))).toEqual([
      { arrivalSeconds: 0, promptTokens: 10, outputTokens: 5 }, { arrivalSeconds: 1.5, promptTokens: 20, outputTokens: 7 },
    ]);
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
    const error = (() => {
      try {
        for (const _ of readTraceSync(broken));
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TokenscaleError);
    expect((error as TokenscaleError).issues[0].path.endsWith('broken.jsonl:25001')).toBe(true);
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
