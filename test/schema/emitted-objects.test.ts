/**
 * Every object tokenscale emits, from every example and test fixture, validates against the upstream
 * schema of its kind, strictly (unknown fields rejected) when ../shared holds the upstream files.
 */
import { synthesizeExamples } from '../examples/examples';
import { POOL_FIXTURES } from '../fixtures/pools';
import { SCALER_FIXTURES } from '../fixtures/scalers';
import { SERVICE_FIXTURES } from '../fixtures/services';
import { allSchemaErrors, schemaErrors, strictSchemasAvailable } from '../support/schema';
import {
  buildDcgmExporter, buildGpuNodePool, buildLlmInferenceService, buildPrometheusAdapter, gpuNodePoolObjectList, buildTokenAwareScaler,
  llmInferenceServiceObjectList, resolveLlmInferenceService,
  tokenAwareScalerObjectList,
} from 'tokenscale';

describe('schema validity of emitted objects', () => {
  if (!strictSchemasAvailable) {
    // eslint-disable-next-line no-console
    console.warn('../shared not found: built-in kinds are checked with kubernetes-models, custom resources are not schema-checked.');
  }

  it.each(Object.entries(SERVICE_FIXTURES))('fixture %s validates', (_name, spec) => {
    expect(allSchemaErrors(llmInferenceServiceObjectList(buildLlmInferenceService(spec)))).toEqual([]);
  });

  it.each(Object.entries(SCALER_FIXTURES))('scaler fixture %s validates, with its adapter', (_name, spec) => {
    const built = buildTokenAwareScaler(spec, resolveLlmInferenceService(SERVICE_FIXTURES.minimal));
    const objects = [...tokenAwareScalerObjectList(built), ...(built.adapterRules.length > 0 ? buildPrometheusAdapter({}, built.adapterRules) : [])];
    expect(objects.length).toBeGreaterThan(0);
    expect(allSchemaErrors(objects)).toEqual([]);
  });

  it.each(Object.entries(POOL_FIXTURES))('pool fixture %s validates', (_name, spec) => {
    expect(allSchemaErrors(gpuNodePoolObjectList(buildGpuNodePool(spec)))).toEqual([]);
  });

  test('the DCGM exporter validates', () => {
    expect(allSchemaErrors(buildDcgmExporter({ namespace: 'gpu-monitoring', monitorLabels: { release: 'prom' } }))).toEqual([]);
  });

  it.each(Object.keys(synthesizeExamples()))('example %s validates', (example) => {
    const objects = synthesizeExamples()[example];
    expect(objects.length).toBeGreaterThan(0);
    expect(allSchemaErrors(objects)).toEqual([]);
  });

  describe('the validator itself', () => {
    const deployment = buildLlmInferenceService(SERVICE_FIXTURES.minimal).deployment;

    test('rejects a wrong type', () => {
      expect(schemaErrors({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).not.toEqual([]);
    });

    (strictSchemasAvailable ? test : test.skip)('rejects an unknown field in a built-in kind', () => {
      const bad = JSON.parse(JSON.stringify(deployment));
      bad.spec.template.spec.containers[0].gpuCount = 1;
      expect(schemaErrors(bad)).toEqual([expect.stringContaining('must NOT have additional properties (gpuCount)')]);
    });

    (strictSchemasAvailable ? test : test.skip)('rejects an unknown field in a custom resource and in its metadata', () => {
      const monitor = buildLlmInferenceService(SERVICE_FIXTURES.minimal).monitor!;
      expect(schemaErrors(monitor)).toEqual([]);
      expect(schemaErrors({ ...monitor, spec: { ...monitor.spec, scrapeEvery: '15s' } })).toEqual([
        expect.stringContaining('(scrapeEvery)'),
      ]);
      expect(schemaErrors({ ...monitor, metadata: { ...monitor.metadata, label: {} } })).toEqual([expect.stringContaining('(label)')]);
    });

    (strictSchemasAvailable ? test : test.skip)('rejects a kind or version upstream does not define', () => {
      expect(schemaErrors({ ...deployment, apiVersion: 'apps/v1beta1' })).toEqual(['no upstream schema for apps/v1beta1 Deployment']);
    });
  });
});
