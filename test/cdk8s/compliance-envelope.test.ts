import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { buildDefaultApp } from '../../examples/default/app';
import { ComplianceEnvelope, GpuNodePool, LlmInferenceService, synthesize, TokenAwareScaler } from 'tokenscale/cdk8s';

const zones = ['us-east-1a', 'us-east-1b'];
const outdir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-')), 'dist');

/** A copy of the default example's shape under a PCI envelope, with optional mutations. */
function app(mutate: { zone?: boolean; maxReplicas?: boolean; drain?: boolean; image?: boolean } = {}, waivers = []) {
  const a = new App();
  new ComplianceEnvelope(a, 'compliance', { profile: 'pci', allowedZones: zones, requiredLabels: ['tokenscale.io/cost-center'], waivers });
  const chart = new Chart(a, 'inference');
  const pool = new GpuNodePool(chart, 'gpu', { zones, gpuLimit: 32, nodeClass: { clusterName: 'c', role: 'r' } });
  // Mutations through escape hatches: the constructs' own checks never see them, the envelope must.
  if (mutate.zone) pool.nodePools[0].addJsonPatch(JsonPatch.replace('/spec/template/spec/requirements/3/values', ['us-east-1a', 'us-west-2a']));
  const llama = new LlmInferenceService(chart, 'llama', {
    namespace: 'llm',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    maxModelLen: 8192,
    nodePool: pool,
    image: mutate.image ? 'vllm/vllm-openai:v0.24.0' : `vllm/vllm-openai@sha256:${'c'.repeat(64)}`,
    costLabels: { costCenter: 'cc-1' },
  });
  if (mutate.drain) llama.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/terminationGracePeriodSeconds', 30));
  new TokenAwareScaler(chart, 'scaler', { target: llama, maxReplicas: mutate.maxReplicas ? 25 : undefined });
  return a;
}

describe('ComplianceEnvelope (cdk8s)', () => {
  test('the default example passes its own envelope', () => {
    expect(() => synthesize(buildDefaultApp(), { outdir: outdir() })).not.toThrow();
  });

  test('constructs in its scope take zones, strict zone spread and the drain buffer from it', () => {
    const a = new App();
    new ComplianceEnvelope(a, 'c', { profile: 'hipaa', allowedZones: zones });
    const llama = new LlmInferenceService(new Chart(a, 'x'), 'llama', { model: 'm/x' });
    expect(llama.spec.placement.zones).toEqual(zones);
    expect(llama.spec.placement.zoneSpread).toBe('required');
    expect(llama.spec.drain.bufferSeconds).toBe(15);
    // ...and its scaler alerts on a replica whose series report any other zone.
    const scaler = new TokenAwareScaler(llama, 'scaler', { target: llama });
    const rules = (scaler.alerts!.toJson() as any).spec.groups[0].rules as Array<{ alert: string; expr: string }>;
    expect(rules.find((r) => r.alert === 'LlmServingOutsideZones')!.expr).toContain('zone!~"us-east-1a|us-east-1b"');
  });

  test('a compliant PCI app synthesizes', () => {
    expect(() => synthesize(app(), { outdir: outdir() })).not.toThrow();
  });

  test('a mutated copy fails synth with one violation per mutation, and writes nothing', () => {
    const dir = outdir();
    let message = '';
    try {
      synthesize(app({ zone: true, maxReplicas: true, drain: true, image: true }), { outdir: dir });
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.map((l) => l.match(/\[([a-z-]+)\]/)![1]).sort()).toEqual(['allowed-zones', 'graceful-drain', 'images-pinned-by-digest', 'replica-bounds']);
    expect(message).toContain('NodePool gpu: its zone requirement');
    expect(message).toContain('ScaledObject llm/llama: replicas');
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('waivers are listed in the summary and recorded on the object; a waiver naming nothing fails', () => {
    const waiver = { rule: 'images-pinned-by-digest', object: 'Deployment/llm/llama', reason: 'digest enforced by the registry mirror (CHG-77)' };
    const result = synthesize(app({ image: true }, [waiver] as never), { outdir: outdir() });
    expect(result.summaryText).toContain('waived [images-pinned-by-digest] Deployment/llm/llama: digest enforced by the registry mirror (CHG-77)');
    const deployment = result.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'llama')!;
    expect(deployment.metadata.annotations).toEqual({ 'tokenscale.io/waived.images-pinned-by-digest': waiver.reason });
    const ghost = { ...waiver, object: 'Deployment/llm/ghost' };
    expect(() => synthesize(app({}, [ghost] as never), { outdir: outdir() })).toThrow(/waiver for Deployment\/llm\/ghost: no such object/);
  });

  test('the summary lists the envelope, its profile and enforcement points', () => {
    const result = synthesize(app(), { outdir: outdir() });
    expect(result.summaryText).toContain('Compliance envelope compliance: profile pci, zones us-east-1a, us-east-1b, enforced at synth + vap (deny)');
  });
});
