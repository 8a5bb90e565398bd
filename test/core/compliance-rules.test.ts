/**
 * Each rule with a passing and a failing fixture, evaluated with the real CEL engine, and the admission
 * objects that carry the same text.
 */
import fc from 'fast-check';
import { binding, boundPod, FIXTURE_ENVELOPE, good, goodSpec, pool, RULE_FIXTURES, scaler, zones } from '../fixtures/rule-fixtures';
import { allSchemaErrors } from '../support/schema';
import {
  admissionObjects, boundRules, buildLlmInferenceService, checkObjects, complianceEnvelopeIssues,
  ComplianceEnvelopeSpec, KubeObject, llmInferenceServiceObjectList, resolveComplianceEnvelope, RULES,
} from 'tokenscale';

const env = (patch: Partial<ComplianceEnvelopeSpec> = {}) => resolveComplianceEnvelope({ allowedZones: zones, ...patch });

function violations(objects: readonly unknown[], e = resolveComplianceEnvelope(FIXTURE_ENVELOPE)) {
  return checkObjects(objects as KubeObject[], boundRules(e)).violations;
}

describe('compliance rules (CEL, evaluated with @bufbuild/cel)', () => {
  test('a compliant service, scaler and pool pass every rule of the strictest profile', () => {
    expect(violations([...good(), scaler(), pool()])).toEqual([]);
  });

  const cases = RULE_FIXTURES;

  it.each(cases)('%s fails on its fixture, naming the object and the field', (rule, make, object, message) => {
    const found = violations(make());
    expect(found.map((v) => [v.rule, v.object])).toContainEqual([rule, object]);
    expect(found.find((v) => v.rule === rule)!.message).toMatch(message);
  });

  test('every rule has a failing fixture above', () => {
    expect(new Set(cases.map(([r]) => r))).toEqual(new Set(RULES.map((r) => r.id)));
  });

  test('a pod bound in an allowed zone, on a node without a zone label, or outside the residency namespaces passes', () => {
    const unscheduled = { ...boundPod('us-east-1a'), spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.24.0' }] } };
    expect(violations([binding('eu-central-1b'), binding(undefined), binding('us-east-1a', 'batch'), boundPod('eu-central-1a'), unscheduled])).toEqual([]);
    expect(violations([binding('us-east-1a')], env({ profile: 'pci' }))).toEqual([]);
  });

  test('a binding is refused exactly when it carries a zone outside the allowed ones, in a residency namespace', () => {
    const zone = fc.constantFrom('eu-central-1a', 'eu-central-1b', 'eu-central-1c', 'us-east-1a');
    fc.assert(fc.property(fc.uniqueArray(zone, { minLength: 1 }), fc.option(zone, { nil: undefined }), fc.constantFrom('llm', 'batch'), (allowed, at, namespace) => {
      const e = resolveComplianceEnvelope({ allowedZones: allowed, residencyNamespaces: ['llm'] });
      const refused = at !== undefined && !allowed.includes(at) && namespace === 'llm';
      expect(checkObjects([binding(at, namespace)] as KubeObject[], boundRules(e)).violations.length).toBe(refused ? 1 : 0);
    }), { seed: 20261203 });
  });

  test('a waived violation is reported apart, with its reason', () => {
    const e = env({ profile: 'pci', waivers: [{ rule: 'images-pinned-by-digest', object: 'Deployment/llm/chat', reason: 'vendor image, digest pinned by the registry mirror (CHG-1234)' }] });
    const result = checkObjects(llmInferenceServiceObjectList(buildLlmInferenceService({ ...goodSpec, image: 'vllm/vllm-openai:v0.24.0' })), boundRules(e), e.waivers);
    expect(result.violations).toEqual([]);
    expect(result.waived).toEqual([expect.objectContaining({ rule: 'images-pinned-by-digest', reason: expect.stringContaining('CHG-1234') })]);
  });
});

describe('admission objects', () => {
  const e = env({ ...FIXTURE_ENVELOPE, enforcement: ['gatekeeper', 'vap'], enforcementAction: 'warn' });
  const objects = admissionObjects(e) as any[];

  test('carry the synth-time CEL text byte for byte', () => {
    for (const { rule } of boundRules(e).filter((r) => !r.rule.vapOnly)) {
      const template = objects.find((o) => o.kind === 'ConstraintTemplate' && o.spec.crd.spec.names.kind === rule.kind);
      const source = template.spec.targets[0].code[0].source;
      expect(source.validations[0].expression).toBe(rule.expression);
      expect(source.validations[0].messageExpression).toBe(rule.messageExpression);
      expect(source.matchConditions[0].expression).toBe(rule.match);
      const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.annotations['tokenscale.io/rule'] === rule.id);
      expect(policy.spec.validations[0].expression).toBe(rule.expression);
      expect(policy.spec.matchConditions[0].expression).toBe(rule.match);
      expect(policy.spec.variables[0]).toEqual({ name: 'anyObject', expression: 'object' });
    }
  });

  test('Constraints have the shape Gatekeeper expects (reference.md section 7)', () => {
    const constraint = objects.find((o) => o.kind === 'TokenscaleAllowedZones');
    expect(constraint).toEqual({
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'TokenscaleAllowedZones',
      metadata: { name: 'tokenscale-allowed-zones', labels: { 'app.kubernetes.io/managed-by': 'tokenscale' } },
      spec: {
        enforcementAction: 'warn',
        match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }, { apiGroups: ['karpenter.sh'], kinds: ['NodePool'] }] },
        parameters: { allowedZones: zones, requireZoneConstraint: true },
      },
    });
    const template = objects.find((o) => o.kind === 'ConstraintTemplate' && o.spec.crd.spec.names.kind === 'TokenscaleAllowedZones');
    expect(template.metadata.name).toBe('tokenscaleallowedzones');
  });

  test('the binding check is a VAP on pods/binding and bound pods, in the residency namespaces only, with no Gatekeeper twin', () => {
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.annotations['tokenscale.io/rule'] === 'bound-in-allowed-zones');
    expect(policy.spec.matchConstraints).toEqual({
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['llm'] }] },
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods/binding', 'pods'] }],
    });
    expect(policy.spec.validations[0].expression).toBe(RULES.find((r) => r.id === 'bound-in-allowed-zones')!.expression);
    expect(objects.filter((o) => o.kind === 'TokenscaleBoundInAllowedZones' || o.spec?.crd?.spec.names.kind === 'TokenscaleBoundInAllowedZones')).toEqual([]);
    const others = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy' && o !== policy);
    expect(others.every((o) => o.spec.matchConstraints.namespaceSelector === undefined)).toBe(true);
  });

  test('the VAP binds parameters as a CEL map literal and maps warn to Warn', () => {
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.annotations['tokenscale.io/rule'] === 'gpu-budget');
    expect(policy.spec.variables[1]).toEqual({ name: 'params', expression: '{"monthlyBudgetUsd": 10000.0, "gpuHourlyUsd": 1.006}' });
    expect(objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === policy.metadata.name).spec.validationActions).toEqual(['Warn']);
  });

  test('validate strictly against the Gatekeeper CRD and the Kubernetes schema', () => {
    expect(allSchemaErrors(objects.filter((o) => !o.apiVersion.startsWith('constraints.')))).toEqual([]);
  });
});

describe('ComplianceEnvelope spec validation', () => {
  it.each([
    ['allowed zones are empty', { allowedZones: [] }, 'zones-empty', 'envelope.allowedZones'],
    ['min is above max', { allowedZones: zones, minReplicas: 5, maxReplicas: 3 }, 'replica-range-invalid', 'envelope.minReplicas'],
    ['the profile does not exist', { allowedZones: zones, profile: 'sox' }, 'profile-unknown', 'envelope.profile'],
    ['a waiver has no reason', { allowedZones: zones, waivers: [{ rule: 'gpu-budget', object: 'NodePool/gpu', reason: '' }] }, 'waiver-reason-missing', 'envelope.waivers[0].reason'],
    ['the budget is 0', { allowedZones: zones, monthlyBudgetUsd: 0 }, 'budget-invalid', 'envelope.monthlyBudgetUsd'],
    ['a residency namespace is no DNS label', { allowedZones: zones, residencyNamespaces: ['PHI_data'] }, 'namespace-invalid', 'envelope.residencyNamespaces[0]'],
    ['the binding check has no VAP to run in', { allowedZones: zones, residencyNamespaces: ['phi'], enforcement: ['gatekeeper'] }, 'residency-needs-vap', 'envelope.enforcement'],
  ])('fails when %s', (_what, spec, code, path) => {
    expect(complianceEnvelopeIssues(spec as ComplianceEnvelopeSpec).map((i) => [i.code, i.path])).toContainEqual([code, path]);
  });
});
