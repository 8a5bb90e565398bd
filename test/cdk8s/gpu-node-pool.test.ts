import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildDefaultApp } from '../../examples/default/app';
import { SHARED_DIR, strictSchemasAvailable } from '../support/schema';
import { TokenscaleError } from 'tokenscale';
import { DcgmExporter, GpuNodePool, LlmInferenceService, synthesize, TokenAwareScaler } from 'tokenscale/cdk8s';

const nodeClass = { clusterName: 'prod', role: 'KarpenterNodeRole-prod' };

describe('GpuNodePool and DcgmExporter (cdk8s)', () => {
  test('services on a pool select its nodes, and a mismatch fails at construction', () => {
    const chart = Testing.chart();
    const pool = new GpuNodePool(chart, 'gpu', { zones: ['us-east-1a'], gpuLimit: 4, nodeClass });
    const ok = new LlmInferenceService(chart, 'llama', { model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, nodePool: pool });
    expect(ok.spec.placement.nodeSelector).toEqual({ 'tokenscale.io/gpu-pool': 'gpu' });
    let caught: unknown;
    try {
      new LlmInferenceService(chart, 'big', { model: 'meta-llama/Llama-3.1-8B-Instruct', gpusPerReplica: 16, placement: { zones: ['eu-west-1a'] }, nodePool: pool });
    } catch (err) {
      caught = err;
    }
    expect((caught as TokenscaleError).codes).toEqual(['gpus-exceed-node', 'zones-outside-pool']);
    expect((caught as Error).message).toMatch(/^test\/big: validation failed/);
  });

  test('a pool whose GPU limit cannot hold the scalers\' max replicas fails synth before anything is written', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const pool = new GpuNodePool(chart, 'gpu', { zones: ['us-east-1a'], gpuLimit: 4, nodeClass });
    const llama = new LlmInferenceService(chart, 'llama', { model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, nodePool: pool });
    new TokenAwareScaler(chart, 'scaler', { target: llama, maxReplicas: 6 });
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-')), 'dist');
    expect(() => synthesize(app, { outdir })).toThrow(/c\/gpu: `pool.gpuLimit` is 4, but the services' max replicas need 6 GPUs \(llama: 6 x 1\).*\[gpu-limit-exceeded\]/);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('the default example writes the cost envelope next to the manifests and prints it', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-')), 'dist');
    const result = synthesize(buildDefaultApp(), { outdir });
    const envelope = JSON.parse(fs.readFileSync(path.join(outdir, 'cost-envelope.json'), 'utf8'));
    expect(envelope).toEqual(result.costEnvelope);
    expect(envelope.services[0]).toMatchObject({ name: 'llama-8b', pool: 'gpu-l4', minReplicas: 2, maxReplicas: 12, gpusPerReplica: 1 });
    expect(envelope.services[0].monthlyUsdAtMax).toBeCloseTo(6 * envelope.services[0].monthlyUsdAtMin, 1);
    expect(result.summaryText).toContain('Cost envelope (USD/month at 730 h');
    expect(result.summaryText).toMatch(/service llm\/llama-8b on gpu-l4: \$[0-9,]+ at 2 \.\. \$[0-9,]+ at 12 replicas/);
    const cluster = parseAllDocuments(fs.readFileSync(path.join(outdir, 'cluster.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(cluster.map((o) => o.kind).sort()).toEqual(['DaemonSet', 'EC2NodeClass', 'NodePool', 'Service', 'ServiceAccount', 'ServiceMonitor']);
  });

  test('the DCGM exporter runs only on NVIDIA nodes and tolerates the GPU taint (the upstream chart does not)', () => {
    const chart = Testing.chart();
    const dcgm = new DcgmExporter(chart, 'dcgm');
    const pod = (dcgm.daemonSet.toJson() as any).spec.template.spec;
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' }]);
    expect(pod.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' });
    expect(pod.volumes).toEqual([{ hostPath: { path: '/var/lib/kubelet/pod-resources' }, name: 'pod-gpu-resources' }]);
    expect(pod.containers[0].image).toBe('nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless');
  });

  (strictSchemasAvailable ? test : test.skip)('NodePool requirements and labels use only the well-known karpenter.k8s.aws keys (the CRD\'s CEL rule)', () => {
    const crd = fs.readFileSync(path.join(SHARED_DIR, 'crds', 'karpenter.sh_nodepools.yaml'), 'utf8');
    const rule = crd.split('\n').find((l) => l.includes('rule: self in [') && l.includes('karpenter.k8s.aws'))!;
    const wellKnown = new Set([...rule.matchAll(/"(karpenter\.k8s\.aws\/[^"]+)"/g)].map((m) => m[1]));
    expect(wellKnown.size).toBeGreaterThan(10);
    const objects = buildDefaultApp().charts.flatMap((c) => c.toJson()).filter((o) => o.kind === 'NodePool');
    const keys = objects.flatMap((o) => [
      ...o.spec.template.spec.requirements.map((r: any) => r.key),
      ...Object.keys(o.spec.template.metadata.labels),
    ]).filter((k: string) => k.startsWith('karpenter.k8s.aws/'));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(wellKnown).toContain(k);
  });
});
