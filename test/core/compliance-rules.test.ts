/**
 * Each rule with a passing and a failing fixture, evaluated with the real CEL engine, and the admission
 * objects that carry the same text.
 */
import { good, goodSpec, pool, RULE_FIXTURES, scaler, zones } from '../fixtures/rule-fixtures';
import { allSchemaErrors } from '../support/schema';
import {
  admissionObjects, boundRules, buildLlmInferenceService, checkObjects, complianceEnvelopeIssues,
  ComplianceEnvelopeSpec, KubeObject, llmInferenceServiceObjectList, resolveComplianceEnvelope, RULES,
} from 'tokenscale';

const env = (patch: Partial<ComplianceEnvelopeSpec> = {}) => resolveComplianceEnvelope({ allowedZones: zones, ...patch });

function violations(objects: readonly unknown[], e = env({ profile: 'pci', monthlyBudgetUsd: 10_000 })) {
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

  test('a waived violation is reported apart, with its reason', () => {
    const e = env({ profile: 'pci', waivers: [{ rule: 'images-pinned-by-digest', object: 'Deployment/llm/chat', reason: 'vendor image, digest pinned by the registry mirror (CHG-1234)' }] });
    const result = checkObjects(llmInferenceServiceObjectList(buildLlmInferenceService({ ...goodSpec, image: 'vllm/vllm-openai:v0.24.0' })), boundRules(e), e.waivers);
    expect(result.violations).toEqual([]);
    expect(result.waived).toEqual([expect.objectContaining({ rule: 'images-pinned-by-digest', reason: expect.stringContaining('CHG-1234') })]);
  });
});

describe('admission objects', () => {
  const e = env({ profile: 'pci', monthlyBudgetUsd: 10_000, enforcement: ['gatekeeper', 'vap'], enforcementAction: 'warn' });
  const objects = admissionObjects(e) as any[];

  test('carry the synth-time CEL text byte for byte', () => {
    for (const { rule } of boundRules(e)) {
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
  ])('fails when %s', (_what, spec, code, path) => {
    expect(complianceEnvelopeIssues(spec as ComplianceEnvelopeSpec).map((i) => [i.code, i.path])).toContainEqual([code, path]);
  });
});
