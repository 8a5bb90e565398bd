import * as pulumi from '@pulumi/pulumi';
import { FleetSpec, fleetIssues, fleetServiceSpec, TokenscaleError } from '../core';
import { ComplianceEnvelope } from './compliance-envelope';
import { DcgmExporter } from './dcgm-exporter';
import { GpuNodePool } from './gpu-node-pool';
import { LlmInferenceService } from './llm-inference-service';
import { PrometheusAdapter } from './prometheus-adapter';
import { TokenAwareScaler } from './token-aware-scaler';

/** Options of `deployFleet`. */
export interface DeployFleetOptions {
  /** Prefix of every component name (to deploy two fleets in one stack). @default '' */
  readonly namePrefix?: string;
  /** Create the spot-interruption queue of each pool. @default true */
  readonly interruptionQueues?: boolean;
  /** Kubernetes provider of every object. @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/** The components a fleet became. */
export interface FleetComponents {
  /** @default - none without an envelope */
  readonly envelope?: ComplianceEnvelope;
  readonly pools: ReadonlyMap<string, GpuNodePool>;
  readonly services: readonly LlmInferenceService[];
  readonly scalers: readonly TokenAwareScaler[];
}

/**
 * Deploys a fleet document with the Pulumi components: the same objects `tokenscale synth` and the cdk8s
 * `buildFleetApp` emit for it. A pool's `nodeClass.role` or `instanceProfile` becomes its node identity.
 * Every problem of the fleet is reported before any resource is registered.
 *
 * @example
 * deployFleet(parseFleet(fs.readFileSync('fleet.yaml', 'utf8'), 'fleet.yaml'));
 */
export function deployFleet(fleet: FleetSpec, options: DeployFleetOptions = {}): FleetComponents {
  const issues = fleetIssues(fleet);
  if (issues.length > 0) throw new TokenscaleError(issues, 'Fleet');
  const prefix = options.namePrefix ?? '';
  const provider = options.provider;
  const envelope = fleet.envelope ? new ComplianceEnvelope(`${prefix}compliance`, { ...fleet.envelope, provider }) : undefined;
  const pools = new Map<string, GpuNodePool>();
  for (const pool of fleet.pools ?? []) {
    const { role, instanceProfile, ...nodeClass } = pool.nodeClass;
    const nodeIdentity = role ? { roleName: role } : instanceProfile ? { instanceProfileName: instanceProfile } : { createRole: true as const };
    pools.set(pool.name, new GpuNodePool(`${prefix}${pool.name}`, {
      ...pool, nodeClass, nodeIdentity, interruptionQueue: options.interruptionQueues ?? true, provider,
    }));
  }
  const { enabled: dcgmEnabled = true, ...dcgm } = fleet.dcgmExporter ?? {};
  if (pools.size > 0 && dcgmEnabled) new DcgmExporter(`${prefix}dcgm`, { ...dcgm, provider });

  const services: LlmInferenceService[] = [];
  const scalers: TokenAwareScaler[] = [];
  for (const spec of fleet.services) {
    const id = `${prefix}${spec.name}${fleet.services.filter((s) => s.name === spec.name).length > 1 ? `.${spec.namespace ?? 'default'}` : ''}`;
    const service = new LlmInferenceService(id, {
      ...fleetServiceSpec(spec),
      nodePool: spec.nodePool ? pools.get(spec.nodePool) : undefined,
      envelope,
      autoscaled: spec.scaler !== undefined,
      provider,
    });
    services.push(service);
    if (spec.scaler) scalers.push(new TokenAwareScaler(`${id}-scaler`, { ...spec.scaler, target: service }));
  }
  const hpaRules = scalers.filter((s) => s.spec.engine === 'hpa').flatMap((s) => s.adapterRules);
  if (hpaRules.length > 0) new PrometheusAdapter(`${prefix}prometheus-adapter`, { ...fleet.prometheusAdapter, rules: hpaRules, provider });
  return { envelope, pools, services, scalers };
}
