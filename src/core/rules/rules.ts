/**
 * The compliance rules. Each is plain CEL over `variables.anyObject` and `variables.params`.
 */
import { ComplianceRule, DEPLOYMENTS, HPAS, NODE_POOLS, PDBS, POD_BINDINGS, PODS, SCALED_OBJECTS } from './rule';
import { ZONE_LABEL } from '../defaults';

const o = 'variables.anyObject';
const p = 'variables.params';
const podSpec = `${o}.spec.template.spec`;
const labels = `(has(${o}.metadata.labels) ? ${o}.metadata.labels : {})`;
/** A Deployment that requests GPUs: the inference workloads the rules are about. */
const GPU_DEPLOYMENT = `${o}.kind == 'Deployment' && ${podSpec}.containers.exists(c, has(c.resources) && has(c.resources.limits) && 'nvidia.com/gpu' in c.resources.limits)`;
const INFERENCE_SCALER = `(${o}.kind == 'HorizontalPodAutoscaler' || ${o}.kind == 'ScaledObject') && 'tokenscale.io/service' in ${labels}`;
const INTERACTIVE = `(!('tokenscale.io/workload' in ${labels}) || ${labels}['tokenscale.io/workload'] == 'interactive')`;
const name = `${o}.kind + ' ' + (has(${o}.metadata.namespace) ? ${o}.metadata.namespace + '/' : '') + ${o}.metadata.name`;
const MIN = `(${o}.kind == 'HorizontalPodAutoscaler' ? (has(${o}.spec.minReplicas) ? ${o}.spec.minReplicas : 1) : (has(${o}.spec.minReplicaCount) ? ${o}.spec.minReplicaCount : 0))`;
const MAX = `(${o}.kind == 'HorizontalPodAutoscaler' ? ${o}.spec.maxReplicas : (has(${o}.spec.maxReplicaCount) ? ${o}.spec.maxReplicaCount : 100))`;
const ZONE_TERMS = `(has(${podSpec}.affinity) && has(${podSpec}.affinity.nodeAffinity) && has(${podSpec}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) ? ${podSpec}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms : [])`;
const ZONE_REQ = `r.key == '${ZONE_LABEL}' && r.operator == 'In'`;

export const REPLICA_BOUNDS: ComplianceRule = {
  id: 'replica-bounds',
  kind: 'TokenscaleReplicaBounds',
  description: 'Autoscaler and Deployment replica counts stay within [minReplicas, maxReplicas].',
  targets: [HPAS, SCALED_OBJECTS, DEPLOYMENTS],
  params: { minReplicas: 'integer', maxReplicas: 'integer' },
  match: `${INFERENCE_SCALER} || ${GPU_DEPLOYMENT}`,
  expression: `${o}.kind == 'Deployment' ? (!has(${o}.spec.replicas) || (${o}.spec.replicas >= ${p}.minReplicas && ${o}.spec.replicas <= ${p}.maxReplicas)) : (${MIN} >= ${p}.minReplicas && ${MAX} <= ${p}.maxReplicas)`,
  messageExpression: `${name} + ': replicas (spec.replicas, minReplicas/maxReplicas or minReplicaCount/maxReplicaCount) must stay within [' + string(${p}.minReplicas) + ', ' + string(${p}.maxReplicas) + ']: set them inside the envelope bounds'`,
};

export const ALLOWED_ZONES: ComplianceRule = {
  id: 'allowed-zones',
  kind: 'TokenscaleAllowedZones',
  description: 'Pods and Karpenter nodes stay in the allowed zones; with residency required, a pod without a zone constraint is rejected.',
  targets: [DEPLOYMENTS, NODE_POOLS],
  params: { allowedZones: 'string[]', requireZoneConstraint: 'boolean' },
  match: `${GPU_DEPLOYMENT} || ${o}.kind == 'NodePool'`,
  expression: `${o}.kind == 'NodePool' ? (${o}.spec.template.spec.requirements.exists(r, ${ZONE_REQ}) ? ${o}.spec.template.spec.requirements.all(r, !(${ZONE_REQ}) || r.values.all(z, z in ${p}.allowedZones)) : !${p}.requireZoneConstraint) : (size(${ZONE_TERMS}) > 0 && ${ZONE_TERMS}.all(t, has(t.matchExpressions) && t.matchExpressions.exists(r, ${ZONE_REQ} && r.values.all(z, z in ${p}.allowedZones))) || (size(${ZONE_TERMS}) == 0 && !${p}.requireZoneConstraint))`,
  messageExpression: `${name} + ': its zone requirement (NodePool spec.template.spec.requirements, or pod spec.affinity.nodeAffinity required terms on ${ZONE_LABEL}) must list only ' + ${p}.allowedZones.join(', ') + ': restrict it to the allowed zones'`,
};

export const HIGH_AVAILABILITY: ComplianceRule = {
  id: 'high-availability',
  kind: 'TokenscaleHighAvailability',
  description: 'Interactive services keep at least minReplicas replicas spread across zones with DoNotSchedule, and disruption budgets never block drains.',
  targets: [DEPLOYMENTS, HPAS, SCALED_OBJECTS, PDBS],
  params: { minReplicas: 'integer' },
  match: `(${GPU_DEPLOYMENT} && ${INTERACTIVE}) || (${INFERENCE_SCALER} && ${INTERACTIVE}) || (${o}.kind == 'PodDisruptionBudget' && 'tokenscale.io/service' in ${labels})`,
  expression: `${o}.kind == 'PodDisruptionBudget' ? (has(${o}.spec.maxUnavailable) && string(${o}.spec.maxUnavailable) != '0' && string(${o}.spec.maxUnavailable) != '0%') : ${o}.kind == 'Deployment' ? ((!has(${o}.spec.replicas) || ${o}.spec.replicas >= ${p}.minReplicas) && has(${podSpec}.topologySpreadConstraints) && ${podSpec}.topologySpreadConstraints.exists(t, t.topologyKey == '${ZONE_LABEL}' && t.whenUnsatisfiable == 'DoNotSchedule')) : ${MIN} >= ${p}.minReplicas`,
  messageExpression: `${name} + (${o}.kind == 'PodDisruptionBudget' ? ': spec.maxUnavailable must be set and above 0 (a minAvailable can block every drain): use maxUnavailable: 1' : ': needs at least ' + string(${p}.minReplicas) + ' replicas (spec.replicas or the scaler minimum) and a DoNotSchedule topology spread on ${ZONE_LABEL}: raise the minimum and spread across zones')`,
};

export const GRACEFUL_DRAIN: ComplianceRule = {
  id: 'graceful-drain',
  kind: 'TokenscaleGracefulDrain',
  description: 'vLLM drains in-flight requests: --shutdown-timeout is set and the grace period covers preStop + shutdown timeout + buffer.',
  targets: [DEPLOYMENTS],
  params: { bufferSeconds: 'integer' },
  match: GPU_DEPLOYMENT,
  expression: `${podSpec}.containers.filter(c, has(c.resources) && has(c.resources.limits) && 'nvidia.com/gpu' in c.resources.limits).all(c, has(c.args) && c.args.exists(a, a.startsWith('--shutdown-timeout=')) && has(${podSpec}.terminationGracePeriodSeconds) && ${podSpec}.terminationGracePeriodSeconds >= (has(c.lifecycle) && has(c.lifecycle.preStop) && has(c.lifecycle.preStop.sleep) ? c.lifecycle.preStop.sleep.seconds : 0) + int(c.args.filter(a, a.startsWith('--shutdown-timeout='))[0].split('=')[1]) + ${p}.bufferSeconds)`,
  messageExpression: `${name} + ': spec.template.spec.terminationGracePeriodSeconds must cover the preStop sleep + --shutdown-timeout + ' + string(${p}.bufferSeconds) + ' s, and --shutdown-timeout must be set: set --shutdown-timeout=<seconds> and lengthen the grace period'`,
};

export const NO_SCALE_TO_ZERO: ComplianceRule = {
  id: 'no-scale-to-zero',
  kind: 'TokenscaleNoScaleToZero',
  description: 'Interactive services never scale to zero.',
  targets: [DEPLOYMENTS, HPAS, SCALED_OBJECTS],
  params: {},
  match: `(${GPU_DEPLOYMENT} || ${INFERENCE_SCALER}) && ${INTERACTIVE}`,
  expression: `${o}.kind == 'Deployment' ? (!has(${o}.spec.replicas) || ${o}.spec.replicas >= 1) : ${MIN} >= 1`,
  messageExpression: `${name} + ': an interactive service must keep a warm replica (spec.replicas, minReplicas or minReplicaCount >= 1): set the minimum to 1 or more, or label the workload batch'`,
};

export const IMAGES_PINNED_BY_DIGEST: ComplianceRule = {
  id: 'images-pinned-by-digest',
  kind: 'TokenscaleImagesPinnedByDigest',
  description: 'Every container image is pinned by digest.',
  targets: [DEPLOYMENTS],
  params: {},
  match: GPU_DEPLOYMENT,
  expression: `${podSpec}.containers.all(c, c.image.matches('@sha256:[a-f0-9]{64}$')) && (!has(${podSpec}.initContainers) || ${podSpec}.initContainers.all(c, c.image.matches('@sha256:[a-f0-9]{64}$')))`,
  messageExpression: `${name} + ': spec.template.spec.containers[].image must be pinned by digest (image@sha256:<digest>): replace the tag with its digest'`,
};

export const GPU_BUDGET: ComplianceRule = {
  id: 'gpu-budget',
  kind: 'TokenscaleGpuBudget',
  description: 'A NodePool\'s GPU limit x price x 730 h stays within the monthly budget.',
  targets: [NODE_POOLS],
  params: { monthlyBudgetUsd: 'number', gpuHourlyUsd: 'number' },
  match: `${o}.kind == 'NodePool'`,
  expression: `has(${o}.spec.limits) && 'nvidia.com/gpu' in ${o}.spec.limits && double(int(string(${o}.spec.limits['nvidia.com/gpu']))) * ${p}.gpuHourlyUsd * 730.0 <= ${p}.monthlyBudgetUsd`,
  messageExpression: `${name} + ': spec.limits[nvidia.com/gpu] x ' + string(${p}.gpuHourlyUsd) + ' USD x 730 h must be at most the budget of ' + string(${p}.monthlyBudgetUsd) + ' USD/month: set or lower the GPU limit'`,
};

export const REQUIRED_LABELS: ComplianceRule = {
  id: 'required-labels',
  kind: 'TokenscaleRequiredLabels',
  description: 'Inference workloads carry the required labels (data classification, cost center).',
  targets: [DEPLOYMENTS],
  params: { labels: 'string[]' },
  match: GPU_DEPLOYMENT,
  expression: `${p}.labels.all(l, l in ${labels})`,
  messageExpression: `${name} + ': metadata.labels must include ' + ${p}.labels.join(', ') + ': add the missing labels'`,
};

const zone = `${labels}['${ZONE_LABEL}']`;
const bindingNode = `(has(${o}.target) ? ${o}.target.name : ${o}.spec.nodeName)`;

/**
 * Where a pod actually lands. From Kubernetes 1.35 the PodTopologyLabels admission plugin (feature gate
 * PodTopologyLabelsAdmission, beta, on by default) copies the node's `topology.kubernetes.io/zone` label
 * onto the Binding the scheduler creates, and onto a pod created with `spec.nodeName`, before validation
 * runs (plugin/pkg/admission/podtopologylabels; KEP-4742). A pod bound to a node outside the allowed zones
 * is refused and stays pending, whatever its own affinity said. Without the label (an older cluster, the
 * plugin off, a node without a zone) there is nothing to check and the binding passes.
 */
export const BOUND_IN_ALLOWED_ZONES: ComplianceRule = {
  id: 'bound-in-allowed-zones',
  kind: 'TokenscaleBoundInAllowedZones',
  description: 'Pods are bound only to nodes in the allowed zones (the zone label Kubernetes 1.35 and later copies from the node at binding).',
  targets: [POD_BINDINGS, PODS],
  params: { allowedZones: 'string[]' },
  match: `has(${o}.target) && ${o}.target.kind == 'Node' || has(${o}.spec) && has(${o}.spec.nodeName)`,
  expression: `!('${ZONE_LABEL}' in ${labels}) || ${zone} in ${p}.allowedZones`,
  messageExpression: `${name} + ': the pod is bound to node ' + ${bindingNode} + ' in zone ' + ${zone} + ', outside the allowed zones ' + ${p}.allowedZones.join(', ') + ': keep the pod on nodes of the allowed zones (node affinity on ${ZONE_LABEL}) and check the zone label of the node'`,
  operations: ['CREATE'],
  vapOnly: true,
};

/** Every rule, by id. */
export const RULES: readonly ComplianceRule[] = [
  REPLICA_BOUNDS, ALLOWED_ZONES, HIGH_AVAILABILITY, GRACEFUL_DRAIN, NO_SCALE_TO_ZERO, IMAGES_PINNED_BY_DIGEST, GPU_BUDGET, REQUIRED_LABELS,
  BOUND_IN_ALLOWED_ZONES,
];
