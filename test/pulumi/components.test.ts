import * as pulumi from '@pulumi/pulumi';
import { installMocks, objectsOf, recorded, settle, sortObjects } from '../support/pulumi-mocks';
import { buildLlmInferenceService, llmInferenceServiceObjectList } from 'tokenscale';

beforeAll(installMocks);

// Imported after the mocks are installed, as Pulumi requires.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tp = () => require('tokenscale/pulumi') as typeof import('tokenscale/pulumi');

describe('Pulumi components', () => {
  test('LlmInferenceService registers each object as a typed child with a derived name', async () => {
    new (tp().LlmInferenceService)('llama', { model: 'meta-llama/Llama-3.1-8B-Instruct', namespace: 'llm' });
    await settle();
    const mine = recorded.filter((r) => r.name === 'llama' || r.name.startsWith('llama-'));
    expect(mine.map((r) => [r.type, r.name]).sort()).toEqual([
      ['tokenscale:index:LlmInferenceService', 'llama'],
      ['kubernetes:core/v1:ServiceAccount', 'llama-serviceaccount'],
      ['kubernetes:networking.k8s.io/v1:NetworkPolicy', 'llama-networkpolicy'],
      ['kubernetes:core/v1:Service', 'llama-service'],
      ['kubernetes:policy/v1:PodDisruptionBudget', 'llama-poddisruptionbudget'],
      ['kubernetes:apps/v1:Deployment', 'llama-deployment'],
      ['kubernetes:monitoring.coreos.com/v1:ServiceMonitor', 'llama-servicemonitor'],
    ].sort());
    expect(sortObjects(objectsOf('llama-'))).toEqual(sortObjects(llmInferenceServiceObjectList(buildLlmInferenceService({ name: 'llama', namespace: 'llm', model: 'meta-llama/Llama-3.1-8B-Instruct' }))));
  });

  test('TokenAwareScaler registers its ScaledObject, alerts and dashboard; the service leaves replicas to it', async () => {
    const svc = new (tp().LlmInferenceService)('qwen', { model: 'Qwen/Qwen2.5-7B-Instruct', autoscaled: true });
    new (tp().TokenAwareScaler)('qwen-scaler', { target: svc, maxReplicas: 4 });
    await settle();
    expect(objectsOf('qwen-deployment')[0].spec.replicas).toBeUndefined();
    expect(recorded.filter((r) => r.name.startsWith('qwen-scaler-')).map((r) => [r.type, r.name]).sort()).toEqual([
      ['kubernetes:keda.sh/v1alpha1:ScaledObject', 'qwen-scaler-scaledobject-qwen'],
      ['kubernetes:monitoring.coreos.com/v1:PrometheusRule', 'qwen-scaler-prometheusrule-qwen-scaling'],
      ['kubernetes:core/v1:ConfigMap', 'qwen-scaler-configmap-qwen-dashboard'],
    ].sort());
  });

  test('fails with a ResourceError before any child is registered when the spec is invalid', () => {
    const before = recorded.length;
    expect(() => new (tp().LlmInferenceService)('bad', { model: 'm/x', gpusPerReplica: 0 })).toThrow(pulumi.ResourceError);
    expect(() => new (tp().LlmInferenceService)('bad2', { model: 'm/x', gpusPerReplica: 0 })).toThrow(/\[gpu-count-invalid\]/);
    expect(recorded.slice(before).filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
  });

  test('fails when the scaler target was not created autoscaled', () => {
    const svc = new (tp().LlmInferenceService)('fixed', { model: 'm/x' });
    expect(() => new (tp().TokenAwareScaler)('fixed-scaler', { target: svc })).toThrow(/\[target-not-autoscaled\]/);
  });
});

describe('Pulumi component typing', () => {
  test('fields that shape manifests take plain values: an Output is a compile-time error', () => {
    // Never called: the assertions are made by the type checker when the tests compile.
    const compileOnly = () => {
      // @ts-expect-error gpusPerReplica shapes the manifests and drives validation, so it is not a pulumi.Input
      new (tp().LlmInferenceService)('x', { model: 'm/x', gpusPerReplica: pulumi.output(1) });
      // @ts-expect-error zones are validated before anything is registered
      new (tp().GpuNodePool)('p', { zones: pulumi.output(['a']), gpuLimit: 1, nodeClass: { clusterName: 'c' } });
      // wiring fields do take Inputs
      new (tp().GpuNodePool)('q', { zones: ['a'], gpuLimit: 1, nodeClass: { clusterName: 'c' }, nodeIdentity: { roleName: pulumi.output('r') } });
    };
    expect(typeof compileOnly).toBe('function');
  });
});
