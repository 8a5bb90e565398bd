import * as pulumi from '@pulumi/pulumi';
import { installMocks, recorded, settle } from '../support/pulumi-mocks';

beforeAll(installMocks);
jest.setTimeout(60_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = () => require('../../examples/pulumi-full-stack/index') as typeof import('../../examples/pulumi-full-stack/index');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tp = () => require('tokenscale/pulumi') as typeof import('tokenscale/pulumi');

const byName = (name: string) => recorded.find((r) => r.name === name)!;
const output = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe('the Pulumi full-stack example under mocks', () => {
  let stack: ReturnType<ReturnType<typeof example>['fullStack']>;
  beforeAll(async () => {
    stack = example().fullStack();
    await settle();
  });

  test('registers every component with its type token', () => {
    const components = recorded.filter((r) => r.type.startsWith('tokenscale:')).map((r) => [r.type, r.name]);
    expect(components).toEqual(expect.arrayContaining([
      ['tokenscale:index:GpuNodePool', 'gpu-l4'],
      ['tokenscale:index:ClusterAddons', 'addons'],
      ['tokenscale:index:ComplianceEnvelope', 'hipaa'],
      ['tokenscale:index:DcgmExporter', 'dcgm'],
      ['tokenscale:index:LlmInferenceService', 'llama-8b'],
      ['tokenscale:index:TokenAwareScaler', 'llama-8b-scaler'],
    ]));
  });

  test('creates the node role with the four managed policies Karpenter nodes need, and an instance profile', () => {
    const role = byName('gpu-l4-node-role');
    expect(role.type).toBe('aws:iam/role:Role');
    expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const attachments = recorded.filter((r) => r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment' && r.name.startsWith('gpu-l4-'));
    expect(attachments.map((a) => a.inputs.policyArn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(attachments.every((a) => a.inputs.role === 'gpu-l4-node-role')).toBe(true);
    expect(byName('gpu-l4-node-profile').inputs.role).toBe('gpu-l4-node-role');
  });

  test('feeds the interruption queue from the five EventBridge rules Karpenter handles', () => {
    expect(byName('gpu-l4-interruption').inputs).toMatchObject({ messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    const rules = recorded.filter((r) => r.type === 'aws:cloudwatch/eventRule:EventRule');
    expect(rules.map((r) => JSON.parse(r.inputs.eventPattern))).toEqual([
      { 'source': ['aws.health'], 'detail-type': ['AWS Health Event'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
    ]);
    const targets = recorded.filter((r) => r.type === 'aws:cloudwatch/eventTarget:EventTarget');
    expect(targets).toHaveLength(5);
    expect(targets.every((t) => t.inputs.arn === 'arn:aws:mock:::gpu-l4-interruption')).toBe(true);
    const policy = JSON.parse(byName('gpu-l4-interruption').type === 'aws:sqs/queue:Queue'
      ? recorded.find((r) => r.type === 'aws:sqs/queuePolicy:QueuePolicy')!.inputs.policy : '{}');
    expect(policy.Statement[1]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('wires the created role into the EC2NodeClass and splits the pool into an on-demand floor and spot burst', async () => {
    expect(byName('gpu-l4-ec2nodeclass').inputs.spec.role).toBe('gpu-l4-node-role');
    expect(byName('gpu-l4-nodepool-gpu-l4-on-demand').inputs.spec.limits).toEqual({ 'nvidia.com/gpu': '4' });
    expect(byName('gpu-l4-nodepool-gpu-l4-spot').inputs.spec.limits).toEqual({ 'nvidia.com/gpu': '8' });
    expect(await output(stack.pool.interruptionQueueName!)).toBe('gpu-l4-interruption');
  });

  test('installs pinned add-on charts, Karpenter with the cluster name and interruption queue', () => {
    const releases = recorded.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.version])).toEqual(expect.arrayContaining([
      ['addons-prometheus', 'kube-prometheus-stack', '88.1.3'],
      ['addons-keda', 'keda', '2.20.2'],
      ['addons-karpenter', 'oci://public.ecr.aws/karpenter/karpenter', '1.14.1'],
      ['addons-gatekeeper', 'gatekeeper', '3.23.0'],
    ]));
    expect(byName('addons-karpenter').inputs.values.settings).toEqual({ clusterName: 'prod-eu', interruptionQueue: 'gpu-l4-interruption' });
  });

  test('the HIPAA envelope gives the service its zones, and the service passes it', () => {
    const deployment = byName('llama-8b-deployment').inputs;
    const terms = deployment.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions[0].values)
      .toEqual(['eu-central-1a', 'eu-central-1b']);
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'tokenscale.io/gpu-pool': 'gpu-l4' });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(recorded.filter((r) => r.type === 'kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate').length).toBeGreaterThanOrEqual(6);
  });

  test('a service that breaks the envelope fails with a ResourceError before any child is registered', () => {
    const before = recorded.length;
    expect(() => new (tp().LlmInferenceService)('unlabelled', {
      model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, envelope: stack.envelope,
    })).toThrow(/\[envelope-required-labels\]/);
    expect(recorded.slice(before).filter((r) => r.name.startsWith('unlabelled-'))).toEqual([]);
  });

  test('a scaler whose max replicas exceed the pool GPU limit fails', () => {
    const svc = new (tp().LlmInferenceService)('greedy', {
      model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, nodePool: stack.pool, autoscaled: true,
    });
    expect(() => new (tp().TokenAwareScaler)('greedy-scaler', { target: svc, maxReplicas: 10 })).toThrow(/\[gpu-limit-exceeded\]/);
  });
});
