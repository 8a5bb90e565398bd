/**
 * Every problem of a fleet document, each with the path of the field in the document
 * (`services[1].scaler.maxReplicas`): the specs' own checks, plus what only the whole fleet shows
 * (duplicate names, references to pools that do not exist, autoscaler engines that cannot share a
 * cluster, pools too small for their services).
 */
import { FLEET_API_VERSION, FleetServiceSpec, FleetSpec } from './fleet-spec';
import { placeServiceOnPool, scalerBoundsInEnvelope } from '../build/placed-service';
import { poolCapacityIssues, PooledService, servicePoolIssues } from '../cost/placement';
import { SpecIssue } from '../errors';
import { checkKnownKeys } from '../spec/checks';
import { applyEnvelopeDefaults, resolveComplianceEnvelope, ResolvedComplianceEnvelope } from '../spec/compliance-envelope';
import { complianceEnvelopeIssues } from '../spec/compliance-envelope-issues';
import { resolveGpuNodePool, ResolvedGpuNodePool } from '../spec/gpu-node-pool';
import { gpuNodePoolIssues } from '../spec/gpu-node-pool-issues';
import { LlmInferenceServiceSpec, resolveLlmInferenceService } from '../spec/llm-inference-service';
import { llmInferenceServiceIssues } from '../spec/llm-inference-service-issues';
import { checkNamespace } from '../spec/names';
import { prometheusAdapterIssues } from '../spec/prometheus-adapter';
import { resolveTokenAwareScaler } from '../spec/token-aware-scaler';
import { tokenAwareScalerIssues } from '../spec/token-aware-scaler-issues';

const FLEET_KEYS = ['apiVersion', 'kind', 'envelope', 'pools', 'dcgmExporter', 'prometheusAdapter', 'services'];

/** Replaces the leading segment of a core issue path (`pool.gpuLimit`) with the fleet path (`pools[0]`). */
function rebase(issues: readonly SpecIssue[], from: string, to: string): SpecIssue[] {
  return issues.map((i) => (i.path === from || i.path.startsWith(`${from}.`) ? { ...i, path: to + i.path.slice(from.length) } : i));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A service of the fleet without the fleet-only fields: the core service spec. */
export function fleetServiceSpec(service: FleetServiceSpec): LlmInferenceServiceSpec {
  const { nodePool: _pool, scaler: _scaler, ...spec } = service;
  return spec;
}

/** Returns every problem of a fleet (empty when it is valid). */
export function fleetIssues(fleet: FleetSpec): SpecIssue[] {
  if (!isObject(fleet)) {
    return [{ code: 'fleet-invalid', path: '(document)', value: fleet, problem: 'a fleet must be a mapping', fix: `start from \`tokenscale init\` (apiVersion: ${FLEET_API_VERSION}, kind: Fleet)` }];
  }
  const issues: SpecIssue[] = [...checkKnownKeys('', fleet, FLEET_KEYS).map((i) => ({ ...i, path: i.path.slice(1) }))];
  if (fleet.apiVersion !== FLEET_API_VERSION) {
    issues.push({ code: 'api-version-unknown', path: 'apiVersion', value: fleet.apiVersion, problem: 'this version of tokenscale reads one fleet version', fix: `set apiVersion: ${FLEET_API_VERSION}` });
  }
  if (fleet.kind !== 'Fleet') {
    issues.push({ code: 'kind-unknown', path: 'kind', value: fleet.kind, problem: 'a fleet document has kind Fleet', fix: 'set kind: Fleet' });
  }

  let envelope: ResolvedComplianceEnvelope | undefined;
  if (fleet.envelope !== undefined) {
    const found = isObject(fleet.envelope) ? complianceEnvelopeIssues(fleet.envelope, 'envelope') : [notAMapping('envelope', fleet.envelope)];
    issues.push(...found);
    if (found.length === 0) envelope = resolveComplianceEnvelope(fleet.envelope);
  }

  const pools = new Map<string, { index: number; pool?: ResolvedGpuNodePool; services: PooledService[] }>();
  listAt(issues, fleet.pools, 'pools').forEach((pool, index) => {
    const path = `pools[${index}]`;
    const found = isObject(pool) ? gpuNodePoolIssues(pool as never, path) : [notAMapping(path, pool)];
    issues.push(...found);
    const name = isObject(pool) ? pool.name : undefined;
    if (typeof name !== 'string') return;
    if (pools.has(name)) {
      issues.push({ code: 'pool-duplicate', path: `${path}.name`, value: name, problem: `pools[${pools.get(name)!.index}] has the same name`, fix: 'give every pool its own name' });
      return;
    }
    pools.set(name, { index, pool: found.length === 0 ? resolveGpuNodePool(pool as never) : undefined, services: [] });
  });

  if (fleet.dcgmExporter !== undefined) {
    if (!isObject(fleet.dcgmExporter)) {issues.push(notAMapping('dcgmExporter', fleet.dcgmExporter));} else {
      issues.push(...checkKnownKeys('dcgmExporter', fleet.dcgmExporter, ['enabled', 'namespace', 'image', 'monitorLabels']));
      if (fleet.dcgmExporter.namespace !== undefined) issues.push(...checkNamespace('dcgmExporter.namespace', fleet.dcgmExporter.namespace));
    }
  }
  if (fleet.prometheusAdapter !== undefined) {
    issues.push(...(isObject(fleet.prometheusAdapter) ? prometheusAdapterIssues(fleet.prometheusAdapter, 'prometheusAdapter') : [notAMapping('prometheusAdapter', fleet.prometheusAdapter)]));
  }

  const seen = new Map<string, number>();
  const engines = new Map<'keda' | 'hpa', string[]>([['keda', []], ['hpa', []]]);
  listAt(issues, fleet.services, 'services').forEach((service, index) => {
    const path = `services[${index}]`;
    if (!isObject(service)) {
      issues.push(notAMapping(path, service));
      return;
    }
    issues.push(...serviceIssues(service as unknown as FleetServiceSpec, path, envelope, pools, seen, index, engines));
  });
  if (fleet.services === undefined) {
    issues.push({ code: 'services-missing', path: 'services', value: undefined, problem: 'a fleet serves at least one model', fix: 'add services: [{ name, model }]' });
  }

  const keda = engines.get('keda')!;
  const hpa = engines.get('hpa')!;
  if (keda.length > 0 && hpa.length > 0) {
    issues.push({
      code: 'engines-mixed',
      path: `${hpa[0]}.scaler.engine`,
      value: 'hpa',
      problem: `KEDA (${keda.join(', ')}) and Prometheus Adapter (for ${hpa.join(', ')}) both claim v1beta1.external.metrics.k8s.io`,
      fix: 'use one engine for every scaler of the cluster',
    });
  }
  for (const entry of pools.values()) {
    if (!entry.pool || entry.services.length === 0) continue;
    issues.push(...rebase(poolCapacityIssues(entry.pool, entry.services).issues, 'pool', `pools[${entry.index}]`));
  }
  return issues;
}

function serviceIssues(
  service: FleetServiceSpec,
  path: string,
  envelope: ResolvedComplianceEnvelope | undefined,
  pools: Map<string, { index: number; pool?: ResolvedGpuNodePool; services: PooledService[] }>,
  seen: Map<string, number>,
  index: number,
  engines: Map<'keda' | 'hpa', string[]>,
): SpecIssue[] {
  const spec = fleetServiceSpec(service);
  const found = llmInferenceServiceIssues(spec, path);
  const key = `${String(spec.namespace ?? 'default')}/${String(spec.name)}`;
  if (seen.has(key)) {
    found.push({ code: 'service-duplicate', path: `${path}.name`, value: spec.name, problem: `services[${seen.get(key)}] has the same name in the same namespace`, fix: 'give every service of a namespace its own name' });
  } else {
    seen.set(key, index);
  }
  const poolEntry = service.nodePool === undefined ? undefined : pools.get(String(service.nodePool));
  if (service.nodePool !== undefined && !poolEntry) {
    const known = [...pools.keys()];
    found.push({
      code: 'pool-unknown',
      path: `${path}.nodePool`,
      value: service.nodePool,
      problem: 'no pool of the fleet has this name',
      fix: known.length > 0 ? `use one of ${known.join(', ')}` : 'add the pool under pools, or remove nodePool',
    });
  }
  if (service.scaler !== undefined && !isObject(service.scaler)) found.push(notAMapping(`${path}.scaler`, service.scaler));
  if (found.length > 0 || (poolEntry && !poolEntry.pool)) return found;

  const withEnvelope = envelope ? applyEnvelopeDefaults(spec, envelope) : spec;
  const resolved = resolveLlmInferenceService(poolEntry?.pool ? placeServiceOnPool(withEnvelope, poolEntry.pool) : withEnvelope);
  if (poolEntry?.pool) found.push(...servicePoolIssues(resolved, poolEntry.pool, path));
  let range = { min: resolved.replicas, max: resolved.replicas };
  if (service.scaler) {
    const bounds = scalerBoundsInEnvelope(service.scaler, resolved, envelope);
    const scaler = { ...service.scaler, ...bounds };
    const scalerIssues = tokenAwareScalerIssues(scaler, resolved, `${path}.scaler`);
    found.push(...scalerIssues);
    if (scalerIssues.length === 0) {
      const r = resolveTokenAwareScaler(scaler, resolved);
      range = { min: r.minReplicas, max: r.maxReplicas };
      engines.get(r.engine)!.push(path);
    }
  }
  poolEntry?.services.push({ service: resolved, minReplicas: range.min, maxReplicas: range.max });
  return found;
}

function listAt(issues: SpecIssue[], value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ code: 'list-expected', path, value, problem: 'it must be a list', fix: `write ${path} as a YAML sequence (- item)` });
    return [];
  }
  return value;
}

function notAMapping(path: string, value: unknown): SpecIssue {
  return { code: 'mapping-expected', path, value, problem: 'it must be a mapping of fields', fix: 'write it as key: value pairs' };
}
