/**
 * A short, human summary of synthesized objects: objects by kind and, per inference service, its GPUs
 * per replica and replica range. Derived from the objects themselves, so it describes what will be applied.
 */
import { LABELS } from '../build/labels';
import type { KubeObject } from '../k8s/object';

/** One inference service as the summary sees it. */
export interface ServiceSummary {
  readonly name: string;
  readonly namespace: string;
  readonly workload: string;
  readonly gpusPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** What sets the replica count: `fixed`, or the scaler engine that owns it (`keda`, `hpa`). */
  readonly scaling: string;
  /** Signals of the scaler (trigger or metric names). */
  readonly signals: readonly string[];
}

/** Summary data of a set of objects. */
export interface SynthSummary {
  readonly objectsByKind: Readonly<Record<string, number>>;
  readonly services: readonly ServiceSummary[];
}

interface ScaleOwner { readonly kind: string; readonly min: number; readonly max: number; readonly signals: string[] }

/** Computes the summary of a set of objects. */
export function summarize(objects: readonly KubeObject[]): SynthSummary {
  const objectsByKind: Record<string, number> = {};
  for (const o of objects) objectsByKind[o.kind] = (objectsByKind[o.kind] ?? 0) + 1;

  const owners = new Map<string, ScaleOwner>();
  for (const o of objects) {
    const owner = scaleOwner(o);
    if (owner) owners.set(`${o.metadata.namespace ?? ''}/${owner.target}`, owner);
  }
  const services: ServiceSummary[] = [];
  for (const o of objects) {
    if (o.kind !== 'Deployment' || !o.metadata.labels?.[LABELS.service]) continue;
    const spec = o.spec as { replicas?: number; template: { spec: { containers: Array<{ resources?: { limits?: Record<string, string> } }> } } };
    const gpus = spec.template.spec.containers
      .map((c) => Object.entries(c.resources?.limits ?? {}).filter(([k]) => k.endsWith('/gpu')).reduce((s, [, v]) => s + Number(v), 0))
      .reduce((a, b) => a + b, 0);
    const owner = owners.get(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    services.push({
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? 'default',
      workload: o.metadata.labels?.[LABELS.workload] ?? 'interactive',
      gpusPerReplica: gpus,
      minReplicas: owner?.min ?? spec.replicas ?? 1,
      maxReplicas: owner?.max ?? spec.replicas ?? 1,
      scaling: owner?.kind ?? 'fixed',
      signals: owner?.signals ?? [],
    });
  }
  return { objectsByKind, services };
}

function scaleOwner(o: KubeObject): (ScaleOwner & { target: string }) | undefined {
  const spec = o.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  if (o.kind === 'HorizontalPodAutoscaler') {
    const signals = (spec.metrics ?? []).map((m: any) => m.external?.metric?.name ?? m.pods?.metric?.name ?? m.resource?.name ?? m.type);
    return { kind: 'hpa', target: spec.scaleTargetRef?.name, min: spec.minReplicas ?? 1, max: spec.maxReplicas, signals };
  }
  if (o.kind === 'ScaledObject') {
    const signals = (spec.triggers ?? []).map((t: any) => (t.type === 'cron' ? `cron ${t.metadata.start}..${t.metadata.end}` : t.name ?? t.type));
    return { kind: 'keda', target: spec.scaleTargetRef?.name, min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100, signals };
  }
  return undefined;
}

/** Renders the summary as plain text lines. */
export function formatSummary(summary: SynthSummary, files: readonly string[] = []): string {
  const lines: string[] = [];
  if (files.length > 0) lines.push(`Wrote ${files.join(', ')}`);
  const kinds = Object.entries(summary.objectsByKind).sort(([a], [b]) => a.localeCompare(b));
  const total = kinds.reduce((s, [, n]) => s + n, 0);
  lines.push(`Objects (${total}):`);
  for (const [kind, n] of kinds) lines.push(`  ${kind.padEnd(34)} ${String(n).padStart(3)}`);
  lines.push(`Inference services (${summary.services.length}):`);
  for (const s of summary.services) {
    const range = s.minReplicas === s.maxReplicas ? `${s.minReplicas}` : `${s.minReplicas}..${s.maxReplicas}`;
    const signals = s.signals.length > 0 ? ` on ${s.signals.join(', ')}` : '';
    lines.push(`  ${s.namespace}/${s.name} [${s.workload}]: ${s.gpusPerReplica} GPU/replica, replicas ${range} (${s.scaling}${signals})`);
  }
  return lines.join('\n');
}
