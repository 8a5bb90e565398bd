/** Validation of a GpuNodePoolSpec. */
import { AWS_GPU_FAMILIES, gpuInstance } from '../catalog/aws-gpu-instances';
import type { SpecIssue } from '../errors';
import { checkInteger, checkKnownKeys, checkList, checkObject, isPlainObject } from './checks';
import type { GpuNodePoolSpec } from './gpu-node-pool';
import { checkLabels, checkLabelValue, checkObjectName } from './names';

const DURATION = /^([0-9]+(s|m|h))+$/;

export function gpuNodePoolIssues(spec: GpuNodePoolSpec, path = 'pool'): SpecIssue[] {
  const p = (f: string) => `${path}.${f}`;
  const issues: SpecIssue[] = [
    ...checkKnownKeys(path, spec, ['name', 'instanceFamilies', 'instanceTypes', 'zones', 'gpuLimit', 'capacity', 'allowSpotForInteractiveMinimum',
      'consolidateAfter', 'expireAfter', 'terminationGracePeriod', 'disruptionBudgetNodes', 'labels', 'priceOverrides', 'spotPriceOverrides', 'nodeClass']),
    ...checkObjectName(p('name'), spec.name),
  ];
  if (spec.instanceFamilies && spec.instanceTypes) {
    issues.push({ code: 'instances-ambiguous', path: p('instanceTypes'), value: spec.instanceTypes, problem: 'instanceFamilies is set too', fix: 'set one of instanceFamilies and instanceTypes' });
  }
  issues.push(...checkList(p('instanceFamilies'), spec.instanceFamilies, 'instance-family-unknown', 'list families, e.g. [g6, g6e]'));
  issues.push(...checkList(p('instanceTypes'), spec.instanceTypes, 'instance-type-unknown', 'list types, e.g. [g6.xlarge]'));
  (Array.isArray(spec.instanceFamilies) ? spec.instanceFamilies : []).forEach((f, i) => {
    if (!AWS_GPU_FAMILIES.includes(f)) issues.push({ code: 'instance-family-unknown', path: `${p('instanceFamilies')}[${i}]`, value: f, problem: 'it is not a GPU family in the catalog', fix: `use one of ${AWS_GPU_FAMILIES.join(', ')}` });
  });
  (Array.isArray(spec.instanceTypes) ? spec.instanceTypes : []).forEach((t, i) => {
    if (!gpuInstance(t)) issues.push({ code: 'instance-type-unknown', path: `${p('instanceTypes')}[${i}]`, value: t, problem: 'it is not a GPU instance type in the catalog', fix: 'use a type such as "g6.xlarge" or "g5.12xlarge"' });
  });
  if (!Array.isArray(spec.zones) || spec.zones.length === 0) {
    issues.push({ code: 'zones-empty', path: p('zones'), value: spec.zones, problem: 'a pool with no zone can launch no node', fix: 'list the zones nodes may use, e.g. ["us-east-1a", "us-east-1b"]' });
  } else {
    spec.zones.forEach((z, i) => issues.push(...checkLabelValue(`${p('zones')}[${i}]`, z)));
  }
  if (spec.gpuLimit === undefined) {
    issues.push({
      code: 'gpu-limit-missing',
      path: p('gpuLimit'),
      value: undefined,
      problem: 'a pool needs a GPU limit (it bounds spend and the NodePool\'s limits)',
      fix: 'set the most GPUs this pool may run at once, e.g. gpuLimit: 8',
    });
  }
  issues.push(...checkInteger(p('gpuLimit'), spec.gpuLimit, { min: 1, max: 10000, code: 'gpu-limit-invalid', fix: 'set the most GPUs this pool may run at once' }));
  const cap = spec.capacity;
  if (cap !== undefined && !isPlainObject(cap)) {
    issues.push(...checkObject(p('capacity'), cap, 'capacity-invalid', "use { kind: 'onDemand' }, { kind: 'spot' } or { kind: 'onDemandFloorSpotBurst', onDemandGpus }"));
  } else if (cap !== undefined && !['onDemand', 'spot', 'onDemandFloorSpotBurst'].includes((cap as { kind: string }).kind)) {
    issues.push({ code: 'capacity-invalid', path: p('capacity.kind'), value: (cap as { kind: string }).kind, problem: 'it is not a capacity kind', fix: 'use onDemand, spot or onDemandFloorSpotBurst' });
  }
  if (cap?.kind === 'onDemandFloorSpotBurst') {
    issues.push(...checkInteger(p('capacity.onDemandGpus'), cap.onDemandGpus, {
      min: 1,
      max: Math.max(1, (spec.gpuLimit ?? 2) - 1),
      code: 'on-demand-floor-invalid',
      fix: 'set it to the GPUs of the services\' minimum replicas, below gpuLimit so spot has room',
    }));
  }
  for (const f of ['consolidateAfter', 'expireAfter', 'terminationGracePeriod'] as const) {
    const v = spec[f];
    if (v !== undefined && !(typeof v === 'string' && DURATION.test(v) || (f !== 'terminationGracePeriod' && v === 'Never'))) {
      issues.push({ code: 'duration-invalid', path: p(f), value: v, problem: 'it is not a Karpenter duration', fix: 'write it like "10m", "720h" or "1h30m"' });
    }
  }
  if (spec.disruptionBudgetNodes !== undefined && !(typeof spec.disruptionBudgetNodes === 'string' && /^((100|[0-9]{1,2})%|[0-9]+)$/.test(spec.disruptionBudgetNodes))) {
    issues.push({ code: 'budget-invalid', path: p('disruptionBudgetNodes'), value: spec.disruptionBudgetNodes, problem: 'it is neither a count nor a percentage', fix: 'use e.g. "10%" or "1"' });
  }
  issues.push(...checkLabels(p('labels'), spec.labels));
  issues.push(...checkObject(p('priceOverrides'), spec.priceOverrides, 'price-invalid', 'use { "g6.xlarge": 0.65 }'));
  for (const [t, price] of Object.entries(isPlainObject(spec.priceOverrides) ? spec.priceOverrides : {})) {
    if (!gpuInstance(t)) issues.push({ code: 'instance-type-unknown', path: `${p('priceOverrides')}.${t}`, value: t, problem: 'it is not in the catalog', fix: 'override prices of catalog types only' });
    if (!(typeof price === 'number' && price > 0)) issues.push({ code: 'price-invalid', path: `${p('priceOverrides')}.${t}`, value: price, problem: 'a price must be > 0', fix: 'give USD per instance-hour' });
  }
  issues.push(...spotPriceIssues(spec, p));
  const nc = spec.nodeClass;
  if (typeof nc !== 'object' || nc === null) {
    issues.push({ code: 'node-class-missing', path: p('nodeClass'), value: nc, problem: 'a pool needs its EC2NodeClass settings', fix: 'set nodeClass: { clusterName, role }' });
    return issues;
  }
  issues.push(...checkKnownKeys(p('nodeClass'), nc, ['clusterName', 'role', 'instanceProfile', 'amiAlias', 'rootVolumeGiB', 'subnetTags', 'securityGroupTags', 'tags']));
  if (typeof nc.clusterName !== 'string' || nc.clusterName.length === 0) {
    issues.push({ code: 'cluster-name-missing', path: p('nodeClass.clusterName'), value: nc.clusterName, problem: 'it names the discovery tags of subnets and security groups', fix: 'set the EKS cluster name' });
  }
  if ((nc.role === undefined) === (nc.instanceProfile === undefined)) {
    issues.push({
      code: 'node-identity-invalid',
      path: p('nodeClass.role'),
      value: { role: nc.role, instanceProfile: nc.instanceProfile },
      problem: 'EC2NodeClass takes exactly one of role and instanceProfile',
      fix: 'set role (Karpenter manages the instance profile) or instanceProfile, not both',
    });
  }
  if (nc.amiAlias !== undefined && (typeof nc.amiAlias !== 'string' || !/^(al2|al2023|bottlerocket)@(v[0-9][0-9.]*|latest)$/.test(nc.amiAlias) || nc.amiAlias.length > 30)) {
    issues.push({ code: 'ami-alias-invalid', path: p('nodeClass.amiAlias'), value: nc.amiAlias, problem: 'it is not a Linux AMI alias family@version', fix: 'use e.g. "al2023@v20260903" or "bottlerocket@v1.40.0"' });
  } else if (nc.amiAlias?.endsWith('@latest')) {
    issues.push({ code: 'ami-unpinned', path: p('nodeClass.amiAlias'), value: nc.amiAlias, problem: '@latest replaces every GPU node on each AMI release (drift)', fix: 'pin a version, e.g. "al2023@v20260903"' });
  }
  for (const field of ['tags', 'subnetTags', 'securityGroupTags'] as const) {
    const tags: unknown = nc[field];
    const bad = tags !== undefined && (!isPlainObject(tags) || Object.values(tags).some((v) => typeof v !== 'string'));
    if (bad) issues.push({ code: 'tags-invalid', path: p(`nodeClass.${field}`), value: tags, problem: 'tags are a map of strings', fix: 'write { key: "value" }' });
  }
  issues.push(...checkInteger(p('nodeClass.rootVolumeGiB'), nc.rootVolumeGiB, { min: 50, max: 16384, code: 'root-volume-invalid', fix: 'size it for the image plus model weights, e.g. 200' }));
  return issues;
}

/** Spot prices: catalog types only, above 0, at most the on-demand price, and only on a pool that launches spot nodes. */
function spotPriceIssues(spec: GpuNodePoolSpec, p: (f: string) => string): SpecIssue[] {
  const field = p('spotPriceOverrides');
  const issues = checkObject(field, spec.spotPriceOverrides, 'price-invalid', 'use { "g6.xlarge": 0.35 }');
  if (!isPlainObject(spec.spotPriceOverrides)) return issues;
  const entries = Object.entries(spec.spotPriceOverrides);
  const capacity = isPlainObject(spec.capacity) ? (spec.capacity as { kind?: unknown }).kind : 'onDemand';
  if (entries.length > 0 && capacity === 'onDemand') {
    issues.push({
      code: 'spot-price-unused',
      path: field,
      value: spec.spotPriceOverrides,
      problem: 'the pool launches no spot node',
      fix: 'remove it, or set capacity to { kind: spot } or { kind: onDemandFloorSpotBurst, onDemandGpus: N }',
    });
  }
  const onDemandOverrides = isPlainObject(spec.priceOverrides) ? spec.priceOverrides : {};
  for (const [t, price] of entries) {
    const instance = gpuInstance(t);
    if (!instance) issues.push({ code: 'instance-type-unknown', path: `${field}.${t}`, value: t, problem: 'it is not in the catalog', fix: 'give spot prices of catalog types only' });
    if (!(typeof price === 'number' && price > 0)) {
      issues.push({ code: 'price-invalid', path: `${field}.${t}`, value: price, problem: 'a price must be > 0', fix: 'give USD per instance-hour' });
      continue;
    }
    const onDemand = typeof onDemandOverrides[t] === 'number' ? onDemandOverrides[t] : instance?.onDemandHourlyUsd;
    if (onDemand !== undefined && price > onDemand) {
      issues.push({
        code: 'spot-price-above-on-demand',
        path: `${field}.${t}`,
        value: price,
        problem: `it is above the on-demand price ($${onDemand}), which caps a spot price`,
        fix: `give the spot price, at most ${onDemand}`,
      });
    }
  }
  return issues;
}
