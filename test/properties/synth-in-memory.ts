import { App } from 'cdk8s';
import type { KubeObject } from 'tokenscale';

/** What `synthesize` checks and emits, without writing files: construct validations first, then the objects. */
export function synthInMemory(app: App): { objects: KubeObject[]; violations: string[] } {
  const violations = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (violations.length > 0) return { objects: [], violations };
  return { objects: app.charts.flatMap((c) => c.toJson() as KubeObject[]), violations };
}
