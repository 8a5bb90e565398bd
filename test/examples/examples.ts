/** Synthesizes every cdk8s example in memory, for tests. */
import { App } from 'cdk8s';
import { buildDefaultApp } from '../../examples/default/app';
import type { KubeObject } from 'tokenscale';

const EXAMPLES: Record<string, () => App> = {
  'default': () => buildDefaultApp(),
  'default-hpa': () => buildDefaultApp({ engine: 'hpa' }),
};

let cache: Record<string, KubeObject[]> | undefined;

export function synthesizeExamples(): Record<string, KubeObject[]> {
  cache ??= Object.fromEntries(
    Object.entries(EXAMPLES).map(([name, build]) => [name, build().charts.flatMap((c) => c.toJson() as KubeObject[])]),
  );
  return cache;
}
