/**
 * The envelope's rules with their parameters, and the admission objects that enforce the same CEL text:
 * Gatekeeper ConstraintTemplates (engine K8sNativeValidation) with Constraints, and
 * ValidatingAdmissionPolicies with bindings (reference.md sections 7 and 8).
 */
import { stringify } from 'yaml';
import { NAMESPACE_NAME_LABEL } from '../defaults';
import { TokenscaleError } from '../errors';
import type { KubeObject } from '../k8s/object';
import type { BoundRule, RuleParams } from '../rules/evaluate';
import type { ComplianceRule, ParamType } from '../rules/rule';
import * as R from '../rules/rules';
import { ComplianceEnvelopeSpec, resolveComplianceEnvelope, ResolvedComplianceEnvelope } from '../spec/compliance-envelope';
import { complianceEnvelopeIssues } from '../spec/compliance-envelope-issues';

export function validateComplianceEnvelope(spec: ComplianceEnvelopeSpec): ResolvedComplianceEnvelope {
  const issues = complianceEnvelopeIssues(spec);
  if (issues.length > 0) throw new TokenscaleError(issues, 'ComplianceEnvelope');
  return resolveComplianceEnvelope(spec);
}

/** The rules an envelope enables, with their parameters. */
export function boundRules(env: ResolvedComplianceEnvelope): BoundRule[] {
  const rules: BoundRule[] = [
    { rule: R.REPLICA_BOUNDS, params: { minReplicas: env.minReplicas, maxReplicas: env.maxReplicas } },
    { rule: R.ALLOWED_ZONES, params: { allowedZones: env.allowedZones, requireZoneConstraint: env.requireZoneConstraint } },
    { rule: R.HIGH_AVAILABILITY, params: { minReplicas: env.haMinReplicas } },
    { rule: R.GRACEFUL_DRAIN, params: { bufferSeconds: env.drainBufferSeconds } },
    { rule: R.NO_SCALE_TO_ZERO, params: {} },
  ];
  if (env.requiredLabels.length > 0) rules.push({ rule: R.REQUIRED_LABELS, params: { labels: env.requiredLabels } });
  if (env.requireDigestPinnedImages) rules.push({ rule: R.IMAGES_PINNED_BY_DIGEST, params: {} });
  if (env.monthlyBudgetUsd !== undefined) {
    rules.push({ rule: R.GPU_BUDGET, params: { monthlyBudgetUsd: env.monthlyBudgetUsd, gpuHourlyUsd: env.gpuHourlyUsd } });
  }
  if (env.residencyNamespaces.length > 0) {
    rules.push({ rule: R.BOUND_IN_ALLOWED_ZONES, params: { allowedZones: env.allowedZones }, namespaces: env.residencyNamespaces });
  }
  return rules;
}

const SCHEMA_TYPES: Record<ParamType, object> = {
  'integer': { type: 'integer' },
  'number': { type: 'number' },
  'boolean': { type: 'boolean' },
  'string': { type: 'string' },
  'string[]': { type: 'array', items: { type: 'string' } },
};

const LABELS = { 'app.kubernetes.io/managed-by': 'tokenscale' };

function resourceRules(rule: ComplianceRule) {
  const groups = [...new Set(rule.targets.map((t) => t.apiGroup))];
  return groups.map((g) => ({
    apiGroups: [g],
    apiVersions: [...new Set(rule.targets.filter((t) => t.apiGroup === g).map((t) => t.apiVersion))],
    operations: [...(rule.operations ?? ['CREATE', 'UPDATE'])],
    resources: rule.targets.filter((t) => t.apiGroup === g).map((t) => t.resource),
  }));
}

function gatekeeper(env: ResolvedComplianceEnvelope, { rule, params }: BoundRule): KubeObject[] {
  return [
    {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: rule.kind.toLowerCase(), labels: LABELS, annotations: { 'tokenscale.io/rule': rule.id, 'description': rule.description } },
      spec: {
        crd: { spec: { names: { kind: rule.kind }, validation: { openAPIV3Schema: { type: 'object', properties: Object.fromEntries(Object.entries(rule.params).map(([k, t]) => [k, SCHEMA_TYPES[t]])) } } } },
        targets: [{
          target: 'admission.k8s.gatekeeper.sh',
          code: [{
            engine: 'K8sNativeValidation',
            source: {
              matchConditions: [{ name: 'in-scope', expression: rule.match }],
              validations: [{ expression: rule.expression, messageExpression: rule.messageExpression }],
            },
          }],
        }],
      },
    },
    {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: rule.kind,
      metadata: { name: `${env.name}-${rule.id}`, labels: LABELS, annotations: waiverAnnotation(env, rule) },
      spec: {
        enforcementAction: env.enforcementAction,
        match: {
          kinds: [...new Set(rule.targets.map((t) => t.apiGroup))]
            .map((g) => ({ apiGroups: [g], kinds: rule.targets.filter((t) => t.apiGroup === g).map((t) => t.kind) })),
        },
        parameters: { ...params },
      },
    },
  ];
}

/** CEL literal of parameters for the VAP `params` variable: the same values Gatekeeper binds. */
export function celParamsLiteral(rule: ComplianceRule, params: RuleParams): string {
  const lit = (type: ParamType, v: unknown): string => {
    if (type === 'string[]') return `[${(v as string[]).map((s) => JSON.stringify(s)).join(', ')}]`;
    if (type === 'number') return Number.isInteger(v) ? `${v}.0` : String(v);
    if (type === 'string') return JSON.stringify(v);
    return String(v);
  };
  return `{${Object.entries(rule.params).map(([k, t]) => `${JSON.stringify(k)}: ${lit(t, params[k])}`).join(', ')}}`;
}

function vap(env: ResolvedComplianceEnvelope, { rule, params, namespaces }: BoundRule): KubeObject[] {
  const name = `${env.name}-${rule.id}.tokenscale.io`;
  const action = env.enforcementAction === 'deny' ? 'Deny' : env.enforcementAction === 'warn' ? 'Warn' : 'Audit';
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: LABELS, annotations: { 'tokenscale.io/rule': rule.id } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          ...(namespaces ? { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...namespaces] }] } } : {}),
          resourceRules: resourceRules(rule),
        },
        variables: [
          { name: 'anyObject', expression: 'object' },
          { name: 'params', expression: celParamsLiteral(rule, params) },
        ],
        matchConditions: [{ name: 'in-scope', expression: rule.match }],
        validations: [{ expression: rule.expression, messageExpression: rule.messageExpression, reason: 'Invalid' }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: LABELS },
      spec: { policyName: name, validationActions: [action] },
    },
  ];
}

function waiverAnnotation(env: ResolvedComplianceEnvelope, rule: ComplianceRule): Record<string, string> | undefined {
  const waived = env.waivers.filter((w) => w.rule === rule.id);
  return waived.length > 0 ? { 'tokenscale.io/waived-objects': waived.map((w) => w.object).join(',') } : undefined;
}

/** The admission objects of an envelope. */
export function admissionObjects(env: ResolvedComplianceEnvelope): KubeObject[] {
  const rules = boundRules(env);
  return [
    ...(env.enforcement.includes('gatekeeper') ? rules.filter((r) => !r.rule.vapOnly).flatMap((r) => gatekeeper(env, r)) : []),
    ...(env.enforcement.includes('vap') ? rules.flatMap((r) => vap(env, r)) : []),
  ];
}

/** A Kubernetes audit Policy that records scale changes at RequestResponse level, for the cluster admin. */
export function auditPolicyYaml(): string {
  return stringify({
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      {
        level: 'RequestResponse',
        verbs: ['create', 'update', 'patch', 'delete'],
        resources: [
          { group: 'apps', resources: ['deployments/scale', 'deployments'] },
          { group: 'autoscaling', resources: ['horizontalpodautoscalers'] },
          { group: 'keda.sh', resources: ['scaledobjects'] },
          { group: 'karpenter.sh', resources: ['nodepools', 'nodeclaims'] },
        ],
      },
      { level: 'Metadata', verbs: ['create', 'delete'], resources: [{ group: '', resources: ['pods', 'pods/eviction'] }] },
    ],
  });
}
