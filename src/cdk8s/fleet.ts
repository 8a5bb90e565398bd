import { App, Chart } from 'cdk8s';
import { FleetSpec, fleetIssues, fleetServiceSpec, TokenscaleError } from '../core';
import { ComplianceEnvelope } from './compliance-envelope';
import { DcgmExporter } from './dcgm-exporter';
import { GpuNodePool } from './gpu-node-pool';
import { LlmInferenceService } from './llm-inference-service';
import { PrometheusAdapter } from './prometheus-adapter';
import { TokenAwareScaler } from './token-aware-scaler';

/** The constructs a fleet became. */
export interface FleetConstructs {
  readonly app: App;
  /** @default - none without an envelope */
  readonly envelope?: ComplianceEnvelope;
  readonly pools: ReadonlyMap<string, GpuNodePool>;
  readonly services: readonly LlmInferenceService[];
  readonly scalers: readonly TokenAwareScaler[];
}

/**
 * Builds the cdk8s app of a fleet document with the same constructs a TypeScript app uses: the envelope
 * at app level (its own `admission` chart), pools, the DCGM exporter and the Prometheus Adapter in a
 * `cluster` chart, services and scalers in an `inference` chart. Every problem of the fleet is reported
 * before any construct is created.
 *
 * @example
 * const { app } = buildFleetApp(parseFleet(fs.readFileSync('fleet.yaml', 'utf8'), 'fleet.yaml'));
 * synthesize(app, { outdir: 'dist' });
 */
export function buildFleetApp(fleet: FleetSpec): FleetConstructs {
  const issues = fleetIssues(fleet);
  if (issues.length > 0) throw new TokenscaleError(issues, 'Fleet');
  const app = new App();
  const envelope = fleet.envelope ? new ComplianceEnvelope(app, 'compliance', fleet.envelope) : undefined;
  const pools = new Map<string, GpuNodePool>();
  const cluster = new Chart(app, 'cluster');
  for (const pool of fleet.pools ?? []) pools.set(pool.name, new GpuNodePool(cluster, pool.name, pool));
  const { enabled: dcgmEnabled = true, ...dcgm } = fleet.dcgmExporter ?? {};
  if (pools.size > 0 && dcgmEnabled) new DcgmExporter(cluster, 'dcgm', dcgm);
  const usesHpa = fleet.services.some((s) => s.scaler?.engine === 'hpa');
  const adapter = usesHpa ? new PrometheusAdapter(cluster, 'prometheus-adapter', fleet.prometheusAdapter) : undefined;

  const chart = new Chart(app, 'inference');
  const services: LlmInferenceService[] = [];
  const scalers: TokenAwareScaler[] = [];
  const named = (name: string) => fleet.services.filter((s) => s.name === name).length;
  for (const spec of fleet.services) {
    // Construct ids are unique per chart: a name shared across namespaces gets the namespace appended.
    const id = named(spec.name) > 1 ? `${spec.name}.${spec.namespace ?? 'default'}` : spec.name;
    const nodePool = spec.nodePool ? pools.get(spec.nodePool) : undefined;
    const service = new LlmInferenceService(chart, id, { ...fleetServiceSpec(spec), name: spec.name, nodePool });
    services.push(service);
    if (spec.scaler) {
      scalers.push(new TokenAwareScaler(chart, `${id}-scaler`, { ...spec.scaler, target: service, adapter: spec.scaler.engine === 'hpa' ? adapter : undefined }));
    }
  }
  return { app, envelope, pools, services, scalers };
}
