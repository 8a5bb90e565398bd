/** Records every resource a Pulumi program registers, with `pulumi.runtime.setMocks` (no Pulumi CLI). */
import * as pulumi from '@pulumi/pulumi';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
}

export const recorded: RecordedResource[] = [];

export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
      // AWS resources get the computed outputs the components read (name, arn, url).
      const computed = args.type.startsWith('aws:')
        ? { name: args.inputs.name ?? args.name, arn: `arn:aws:mock:::${args.name}`, url: `https://sqs.mock/${args.name}` }
        : {};
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
    },
    call: (args) => args.inputs,
  }, 'tokenscale', 'test', false);
}

/** Waits until registrations stop arriving. */
export async function settle(): Promise<void> {
  let last = -1;
  while (recorded.length !== last) {
    last = recorded.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The Kubernetes objects registered under a component name prefix, as plain objects. */
export function objectsOf(prefix: string): any[] {
  return recorded.filter((r) => r.name.startsWith(prefix) && r.type.startsWith('kubernetes:')).map((r) => r.inputs);
}

/** Objects in a stable order (registration order under mocks is not deterministic). */
export function sortObjects<T extends { kind: string; metadata: { name: string } }>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}
