/** Synthesizes every cdk8s example in memory, for tests. */
import * as path from 'path';
import { App } from 'cdk8s';
import { buildDefaultApp } from '../../examples/default/app';
import { buildHipaaApp } from '../../examples/hipaa/app';
import { KubeObject, readFleetFile } from 'tokenscale';
import { buildFleetApp } from 'tokenscale/cdk8s';

const fleetExample = (dir: string) => () => buildFleetApp(readFleetFile(path.join(__dirname, '../../examples', dir, 'fleet.yaml'))).app;

/** Every example: the cdk8s apps and the fleet files. */
export const EXAMPLES: Record<string, () => App> = {
  'default': () => buildDefaultApp(),
  'default-hpa': () => buildDefaultApp({ engine: 'hpa' }),
  'default-fleet': fleetExample('default'),
  'hipaa': () => buildHipaaApp(),
  'batch-summarization': fleetExample('batch-summarization'),
  'multi-model': fleetExample('multi-model'),
};

let cache: Record<string, KubeObject[]> | undefined;

export function synthesizeExamples(): Record<string, KubeObject[]> {
  cache ??= Object.fromEntries(
    Object.entries(EXAMPLES).map(([name, build]) => [name, build().charts.flatMap((c) => c.toJson() as KubeObject[])]),
  );
  return cache;
}
