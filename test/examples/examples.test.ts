/**
 * The examples beyond the default one synthesize, pass their envelopes (synthesis validates them) and
 * carry what they exist to show.
 */
import { synthesizeExamples } from './examples';

const find = (example: string, kind: string) => synthesizeExamples()[example].filter((o) => o.kind === kind) as any[];

describe('examples', () => {
  test('hipaa: on-demand GPUs only, PHI labels, digest-pinned image, Gatekeeper and VAP enforcement, bind-time zone check', () => {
    const [nodePool] = find('hipaa', 'NodePool');
    const capacity = nodePool.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type');
    expect(capacity.values).toEqual(['on-demand']);
    const [deployment] = find('hipaa', 'Deployment').filter((d) => d.metadata.name === 'clinical-notes');
    expect(deployment.metadata.labels['tokenscale.io/data-classification']).toBe('phi');
    expect(deployment.spec.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    // Every rule twice, but the bind-time check, which only a VAP can run.
    const policies = find('hipaa', 'ValidatingAdmissionPolicy');
    expect(find('hipaa', 'ConstraintTemplate').length).toBe(policies.length - 1);
    const binding = policies.find((p) => p.metadata.name === 'tokenscale-bound-in-allowed-zones.tokenscale.io');
    expect(binding.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['phi-inference']);
    const affinity = deployment.spec.template.spec.affinity.nodeAffinity;
    const zones = affinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
    expect(zones).toContainEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a', 'us-east-1b'] });
  });

  test('batch-summarization: scales to zero with KEDA, activated by the job queue', () => {
    const [scaledObject] = find('batch-summarization', 'ScaledObject');
    expect(scaledObject.spec.minReplicaCount).toBe(0);
    const queue = scaledObject.spec.triggers.find((t: any) => t.name === 'pending-documents');
    expect(queue.metadata).toMatchObject({ query: 'sum(summarization_jobs_pending{queue="nightly"})', activationThreshold: '1' });
    const [nodePool] = find('batch-summarization', 'NodePool');
    expect(nodePool.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type').values).toEqual(['spot']);
  });

  test('multi-model: a small model on L4s and a 70B model with 4-way tensor parallelism on L40S nodes', () => {
    const deployments = Object.fromEntries(find('multi-model', 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec]));
    expect(deployments['router-small'].containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    const large = deployments['reasoning-large'].containers[0];
    expect(large.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(large.args.join(' ')).toContain('--tensor-parallel-size 4');
    expect(find('multi-model', 'ScaledObject').map((s) => s.metadata.name).sort()).toEqual(['reasoning-large', 'router-small']);
    expect(find('multi-model', 'NodePool').map((p) => p.metadata.name).sort()).toEqual(['gpu-l4', 'gpu-l40s']);
  });
});
