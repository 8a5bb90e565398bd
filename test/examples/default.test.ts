import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildDefaultApp } from '../../examples/default/app';
import { synthesize } from 'tokenscale/cdk8s';

describe('the default example', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-')), 'dist');
  });

  test('synthesizes YAML that reads back as the same objects, and summarizes it', () => {
    const result = synthesize(buildDefaultApp(), { outdir });
    expect(result.files).toEqual(['admission.k8s.yaml', 'cluster.k8s.yaml', 'inference.k8s.yaml', 'cost-envelope.json', 'audit-policy.yaml']);
    const docs = ['admission.k8s.yaml', 'cluster.k8s.yaml', 'inference.k8s.yaml']
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJS()));
    expect(docs).toEqual(result.objects);
    expect(result.summary.objectsByKind).toEqual({
      Deployment: 1,
      Service: 2,
      ServiceAccount: 2,
      PodDisruptionBudget: 1,
      NetworkPolicy: 1,
      ServiceMonitor: 2,
      ScaledObject: 1,
      PrometheusRule: 1,
      ConfigMap: 1,
      NodePool: 1,
      EC2NodeClass: 1,
      DaemonSet: 1,
      ValidatingAdmissionPolicy: 7,
      ValidatingAdmissionPolicyBinding: 7,
    });
    expect(result.summary.services).toEqual([
      { name: 'llama-8b', namespace: 'llm', workload: 'interactive', gpusPerReplica: 1, minReplicas: 2, maxReplicas: 12, scaling: 'keda', signals: ['queue', 'kv-cache'] },
    ]);
    expect(result.summaryText).toContain('llm/llama-8b [interactive]: 1 GPU/replica, replicas 2..12 (keda on queue, kv-cache)');
  });

  test('replaces the output directory whole', () => {
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stale.k8s.yaml'), 'old');
    synthesize(buildDefaultApp(), { outdir });
    expect(fs.readdirSync(outdir).sort()).toEqual(['admission.k8s.yaml', 'audit-policy.yaml', 'cluster.k8s.yaml', 'cost-envelope.json', 'inference.k8s.yaml']);
    expect(fs.readdirSync(path.dirname(outdir)).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('`npm run synth` runs on the example as a user would', () => {
    const out = execFileSync('npx', ['projen', 'synth', outdir], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(out).toContain(`${outdir}/cluster.k8s.yaml, ${outdir}/inference.k8s.yaml, ${outdir}/cost-envelope.json`);
    expect(out).toContain('Compliance envelope compliance: profile baseline');
    expect(out).toContain('Cost envelope');
    expect(out).toMatch(/Deployment\s+1/);
    expect(fs.existsSync(path.join(outdir, 'inference.k8s.yaml'))).toBe(true);
  });
});
