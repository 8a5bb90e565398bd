import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SERVICE_FIXTURES } from '../fixtures/services';
import { buildLlmInferenceService, llmInferenceServiceObjectList, TokenscaleError } from 'tokenscale';
import { LlmInferenceService } from 'tokenscale/cdk8s';

describe('LlmInferenceService (cdk8s)', () => {
  test('emits exactly the objects core builds, in the same shape', () => {
    for (const spec of Object.values(SERVICE_FIXTURES)) {
      const chart = Testing.chart();
      const { name, ...props } = spec;
      new LlmInferenceService(chart, 'svc', { ...props, name });
      const expected = llmInferenceServiceObjectList(buildLlmInferenceService(spec));
      expect(Testing.synth(chart)).toEqual(expected);
    }
  });

  test('defaults the name to the construct id and exposes what other constructs need', () => {
    const chart = Testing.chart();
    const svc = new LlmInferenceService(chart, 'llama', { model: 'meta-llama/Llama-3.1-8B-Instruct', namespace: 'llm' });
    expect(svc.serviceName).toBe('llama');
    expect(svc.apiPort).toBe(8000);
    expect(svc.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama' });
    expect(svc.metricNames.requestsWaiting).toBe('vllm:num_requests_waiting');
    expect(svc.deployment.kind).toBe('Deployment');
    expect(ApiObject.of(svc)).toBe(svc.deployment);
    expect(svc.monitor!.kind).toBe('ServiceMonitor');
  });

  test('takes the Hugging Face token from a cdk8s-plus Secret handle', () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'hf', 'hf-gated-token');
    const svc = new LlmInferenceService(chart, 'llama', {
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      hfTokenSecret: LlmInferenceService.hfToken(secret, 'HF_TOKEN'),
    });
    const env = (svc.deployment.toJson() as any).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { key: 'HF_TOKEN', name: 'hf-gated-token' } } });
  });

  test('keeps escape hatches working on the primary object', () => {
    const chart = Testing.chart();
    const svc = new LlmInferenceService(chart, 'llama', { model: 'm/x' });
    svc.deployment.metadata.addAnnotation('example.com/reviewed', 'yes');
    expect(Testing.synth(chart)[4].metadata.annotations).toEqual({ 'example.com/reviewed': 'yes' });
  });

  test('fails when the spec is invalid, prefixing the construct path and reporting all problems', () => {
    const chart = new Chart(Testing.app(), 'prod');
    let caught: unknown;
    try {
      new LlmInferenceService(chart, 'llama', { model: 'm/x', gpusPerReplica: 0, replicas: 0 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TokenscaleError);
    expect((caught as TokenscaleError).codes).toEqual(['gpu-count-invalid', 'replicas-invalid']);
    expect((caught as TokenscaleError).message).toMatch(/^prod\/llama: validation failed/);
  });

  test('fails when the construct id is not a valid name and no name is given', () => {
    const chart = Testing.chart();
    expect(() => new LlmInferenceService(chart, 'Llama8B', { model: 'm/x' })).toThrow(/`service.name` is "Llama8B".*\[name-invalid\]/);
  });

  test('matches the reviewed snapshot of the minimal service', () => {
    const chart = Testing.chart();
    new LlmInferenceService(chart, 'minimal', { model: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
