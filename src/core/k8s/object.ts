import type { ObjectMeta } from 'kubernetes-types/meta/v1';

/**
 * A Kubernetes object as plain data: what every builder returns and every front end emits.
 * `metadata.name` is always set explicitly, so cdk8s and Pulumi emit the same names.
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta & { readonly name: string };
  readonly [field: string]: unknown;
}

/** A stable identifier of an object: `kind/namespace/name`, or `kind/name` when cluster scoped. */
export function objectRef(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = obj.metadata.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}
