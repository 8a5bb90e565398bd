/**
 * The simulator's chart: arrivals per minute above replicas per policy, as a Vega-Lite spec rendered to
 * SVG headless by Vega (no browser, no canvas).
 */
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';
import type { PolicyComparison } from '../core';

/** The Vega-Lite spec of a comparison's chart. */
export function chartSpec(comparison: PolicyComparison, title: string): TopLevelSpec {
  const first = comparison.results[0]?.series ?? [];
  const load = first.map((s) => ({ minute: s.t / 60, arrivals: s.arrivals }));
  const replicas = comparison.results.flatMap((r) => r.series.map((s) => ({ minute: s.t / 60, replicas: s.replicas, policy: r.policy })));
  // The trace's span: a policy that let its queue grow keeps running after the last arrival, off the chart.
  const x = { field: 'minute', type: 'quantitative' as const, scale: { domain: [0, Math.ceil(comparison.traceSeconds / 60)] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    config: { font: 'sans-serif', view: { stroke: null } },
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: 720,
        height: 120,
        data: { values: load },
        mark: { type: 'area', color: '#9ecae1', line: { color: '#3182bd' }, clip: true },
        encoding: {
          x: { ...x, title: null },
          y: { field: 'arrivals', type: 'quantitative', title: 'requests / min' },
        },
      },
      {
        width: 720,
        height: 240,
        data: { values: replicas },
        mark: { type: 'line', interpolate: 'step-after', clip: true },
        encoding: {
          x: { ...x, title: 'minutes into the trace' },
          y: { field: 'replicas', type: 'quantitative', title: 'replicas' },
          color: { field: 'policy', type: 'nominal', title: 'policy' },
        },
      },
    ],
  };
}

/**
 * Renders the chart to an SVG document. Vega numbers clip paths with a process-wide counter; they are
 * renumbered in order of appearance, so the same comparison always gives the same bytes.
 */
export async function renderChartSvg(comparison: PolicyComparison, title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(comparison, title)).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const ids = new Map<string, string>();
    return svg.replace(/\bclip\d+\b/g, (id) => {
      if (!ids.has(id)) ids.set(id, `clip${ids.size + 1}`);
      return ids.get(id)!;
    });
  } finally {
    view.finalize();
  }
}
