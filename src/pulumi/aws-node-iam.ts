/**
 * AWS parts of a GPU pool: the node IAM role with the managed policies Karpenter nodes need and its
 * instance profile, and the spot-interruption queue with its EventBridge rules (reference.md 6.3, from
 * Karpenter's getting-started CloudFormation v1.14).
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as iam from '@pulumi/aws/iam';
import * as sqs from '@pulumi/aws/sqs';
import * as pulumi from '@pulumi/pulumi';

/** Managed policies of a Karpenter node role. */
export const KARPENTER_NODE_POLICIES = [
  'AmazonEKS_CNI_Policy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
] as const;

/** EventBridge rules whose events Karpenter handles: source and detail-type. */
export const INTERRUPTION_RULES: ReadonlyArray<[name: string, source: string, detailType: string]> = [
  ['scheduled-change', 'aws.health', 'AWS Health Event'],
  ['spot-interruption', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['rebalance', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['instance-state-change', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['capacity-reservation-interruption', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

/** Creates the node role, its policy attachments and instance profile. */
export function createNodeRole(name: string, parent: pulumi.Resource, tags: Record<string, string>) {
  const role = new iam.Role(`${name}-node-role`, {
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
    tags,
  }, { parent });
  const attachments = KARPENTER_NODE_POLICIES.map((policy) => new iam.RolePolicyAttachment(`${name}-${policy}`, {
    role: role.name,
    policyArn: `arn:aws:iam::aws:policy/${policy}`,
  }, { parent }));
  const instanceProfile = new iam.InstanceProfile(`${name}-node-profile`, { role: role.name, tags }, { parent });
  return { role, attachments, instanceProfile };
}

/** Creates the interruption queue, its policy and the EventBridge rules that feed it. */
export function createInterruptionQueue(name: string, parent: pulumi.Resource, tags: Record<string, string>) {
  const queue = new sqs.Queue(`${name}-interruption`, { messageRetentionSeconds: 300, sqsManagedSseEnabled: true, tags }, { parent });
  new sqs.QueuePolicy(`${name}-interruption`, {
    queueUrl: queue.url,
    policy: queue.arn.apply((arn) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: arn },
        { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    })),
  }, { parent });
  for (const [rule, source, detailType] of INTERRUPTION_RULES) {
    const eventRule = new cloudwatch.EventRule(`${name}-${rule}`, {
      eventPattern: JSON.stringify({ 'source': [source], 'detail-type': [detailType] }),
      tags,
    }, { parent });
    new cloudwatch.EventTarget(`${name}-${rule}`, { rule: eventRule.name, arn: queue.arn }, { parent });
  }
  return queue;
}
