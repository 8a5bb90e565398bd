/**
 * Each rule with a passing and a failing fixture, evaluated with the real CEL engine, and the admission
 * objects that carry the same text.
 */
import { allSchemaErrors } from '../support/schema';
import {
  admissionObjects, boundRules, buildGpuNodePool, buildLlmInferenceService, buildTokenAwareScaler, checkObjects, complianceEnvelopeIssues,
  ComplianceEnvelopeSpec, KubeObject, llmInferenceServiceObjectList, resolveComplianceEnvelope, resolveLlmInferenceService, RULES,
} from 'tokenscale';

const zones = ['eu-central-1a', 'eu-central-1b'];
const env = (patch: Partial<ComplianceEnvelopeSpec> = {}) => resolveComplianceEnvelope({ allowedZones: zones, ...patch });
const goodSpec = {
  name: 'chat',
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  placement: { zones },
  costLabels: { costCenter: 'cc-1' },
  labels: { 'tokenscale.io/data-classification': 'phi' },
  image: `vllm/vllm-openai@sha256:${'b'.repeat(64)}`,
};
const good = () => JSON.parse(JSON.stringify(llmInferenceServiceObjectList(buildLlmInferenceService(goodSpec)))) as any[];
const deployment = (objs: any[]) => objs.find((o) => o.kind === 'Deployment');
const scaler = (spec = {}) => buildTokenAwareScaler(spec, resolveLlmInferenceService(goodSpec)).scaledObject! as unknown as KubeObject;
const pool = (patch = {}) => buildGpuNodePool({ name: 'gpu', zones, gpuLimit: 4, nodeClass: { clusterName: 'c', role: 'r' }, ...patch }).nodePools[0];

function violations(objects: readonly unknown[], e = env({ profile: 'pci', monthlyBudgetUsd: 10_000 })) {
  return checkObjects(objects as KubeObject[], boundRules(e)).violations;
}

describe('compliance rules (CEL, evaluated with @bufbuild/cel)', () => {
  test('a compliant service, scaler and pool pass every rule of the strictest profile', () => {
    expect(violations([...good(), scaler(), pool()])).toEqual([]);
  });

  const cases: Array<[string, () => unknown[], string, RegExp]> = [
    ['replica-bounds', () => [scaler({ maxReplicas: 50 })], 'ScaledObject/llm/chat', /ScaledObject llm\/chat: replicas .*maxReplicaCount.* within \[1, 20\]/],
    ['allowed-zones', () => { const o = good(); deployment(o).spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = ['us-east-1a']; return o; }, 'Deployment/llm/chat', /Deployment llm\/chat: its zone requirement .*topology.kubernetes.io\/zone.* eu-central-1a, eu-central-1b/],
    ['allowed-zones', () => { const o = good(); delete deployment(o).spec.template.spec.affinity; return o; }, 'Deployment/llm/chat', /zone requirement/],
    ['allowed-zones', () => [pool({ zones: ['eu-west-1a'] })], 'NodePool/gpu', /NodePool gpu: its zone requirement/],
    ['high-availability', () => { const o = good(); deployment(o).spec.template.spec.topologySpreadConstraints = []; return o; }, 'Deployment/llm/chat', /needs at least 2 replicas .* DoNotSchedule topology spread/],
    ['high-availability', () => { const o = good(); const pdb = o.find((x: any) => x.kind === 'PodDisruptionBudget'); delete pdb.spec.maxUnavailable; pdb.spec.minAvailable = 2; return o; }, 'PodDisruptionBudget/llm/chat', /spec.maxUnavailable must be set/],
    ['graceful-drain', () => { const o = good(); deployment(o).spec.template.spec.terminationGracePeriodSeconds = 30; return o; }, 'Deployment/llm/chat', /terminationGracePeriodSeconds must cover the preStop sleep \+ --shutdown-timeout \+ 10 s/],
    ['graceful-drain', () => { const o = good(); const c = deployment(o).spec.template.spec.containers[0]; c.args = c.args.filter((a: string) => !a.startsWith('--shutdown-timeout')); return o; }, 'Deployment/llm/chat', /--shutdown-timeout must be set/],
    ['no-scale-to-zero', () => [scaler({ minReplicas: 2 })].map((s: any) => ({ ...s, spec: { ...s.spec, minReplicaCount: 0 } })), 'ScaledObject/llm/chat', /must keep a warm replica/],
    ['images-pinned-by-digest', () => buildLlmInferenceService({ ...goodSpec, image: 'vllm/vllm-openai:v0.24.0' }).deployment ? llmInferenceServiceObjectList(buildLlmInferenceService({ ...goodSpec, image: 'vllm/vllm-openai:v0.24.0' })) : [], 'Deployment/llm/chat', /containers\[\].image must be pinned by digest/],
    ['gpu-budget', () => [pool({ gpuLimit: 64 })], 'NodePool/gpu', /spec.limits\[nvidia.com\/gpu\] x 1.006 USD x 730 h must be at most the budget of 10000 USD\/month/],
    ['required-labels', () => llmInferenceServiceObjectList(buildLlmInferenceService({ ...goodSpec, labels: {} })), 'Deployment/llm/chat', /metadata.labels must include tokenscale.io\/cost-center, tokenscale.io\/data-classification/],
  ];

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
