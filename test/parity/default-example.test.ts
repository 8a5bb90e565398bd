/**
 * The same spec gives the same objects through cdk8s and Pulumi.
 */
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildDefaultApp } from '../../examples/default/app';
import { SERVICE_FIXTURES } from '../fixtures/services';
import { installMocks, objectsOf, recorded, settle, sortObjects } from '../support/pulumi-mocks';
import { LlmInferenceServiceSpec, readFleetFile, TokenAwareScalerSpec } from 'tokenscale';
import * as cdk8s from 'tokenscale/cdk8s';

beforeAll(installMocks);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tp = () => require('tokenscale/pulumi') as typeof import('tokenscale/pulumi');

const CASES: Array<[string, LlmInferenceServiceSpec, TokenAwareScalerSpec | undefined]> = [
  ['default example service alone', {
    name: 'llama-8b',
    namespace: 'llm',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    servedModelName: 'llama-3.1-8b-instruct',
    maxModelLen: 8192,
    hfTokenSecret: { secretName: 'hf-token', key: 'token' },
    placement: { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    costLabels: { team: 'assistant', feature: 'chat', costCenter: 'cc-4102' },
    monitoring: { labels: { release: 'kube-prometheus-stack' } },
  }, { signals: [{ kind: 'queueDepth', targetPerReplica: 5 }, { kind: 'timeToFirstToken', targetSeconds: 1 }], minReplicas: 2, maxReplicas: 6 }],
  ['full fixture', { ...SERVICE_FIXTURES.full, name: 'pfull' }, undefined],
  ['batch fixture', { ...SERVICE_FIXTURES.batch, name: 'pbatch' }, undefined],
  ['minimal with KV scaler', { ...SERVICE_FIXTURES.minimal, name: 'pkv' }, { signals: [{ kind: 'kvCacheUsage', target: 0.7 }] }],
];

describe('cdk8s and Pulumi parity', () => {
  test('the default example (service, scaler, pool, DCGM exporter, envelope)', async () => {
    const fromCdk8s = buildDefaultApp().charts.flatMap((c) => c.toJson());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('../../examples/default/pulumi') as typeof import('../../examples/default/pulumi')).buildDefaultStack();
    await settle();
    const names = ['compliance-', 'gpu-l4-', 'dcgm-', 'llama-8b-'];
    const fromPulumi = recorded.filter((r) => r.type.startsWith('kubernetes:') && names.some((n) => r.name.startsWith(n))).map((r) => r.inputs);
    expect(fromCdk8s.length).toBeGreaterThan(20);
    expect(sortObjects(fromPulumi)).toEqual(sortObjects(fromCdk8s));
  });

  test('the default example fleet file through deployFleet: the objects of the cdk8s app and of tokenscale synth', async () => {
    const fromCdk8s = buildDefaultApp().charts.flatMap((c) => c.toJson());
    const before = recorded.length;
    tp().deployFleet(readFleetFile(path.join(__dirname, '../../examples/default/fleet.yaml')), { namePrefix: 'fleet-', interruptionQueues: false });
    await settle();
    const fromPulumi = recorded.slice(before).filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs);
    expect(sortObjects(fromPulumi)).toEqual(sortObjects(fromCdk8s));
  });

  it.each(CASES)('%s', async (_label, spec, scaler) => {
    spec = { ...spec, name: `p${spec.name}` };
    const chart = Testing.chart();
    const { name, ...props } = spec;
    const svc = new cdk8s.LlmInferenceService(chart, name, props);
    if (scaler) new cdk8s.TokenAwareScaler(chart, `${name}-scaler`, { ...scaler, target: svc });
    const fromCdk8s = Testing.synth(chart);

    const psvc = new (tp().LlmInferenceService)(name, { ...props, autoscaled: scaler !== undefined });
    if (scaler) new (tp().TokenAwareScaler)(`${name}-scaler`, { ...scaler, target: psvc });
    await settle();
    expect(fromCdk8s.length).toBeGreaterThanOrEqual(5);
    expect(sortObjects(objectsOf(`${name}-`))).toEqual(sortObjects(fromCdk8s));
  });
});
