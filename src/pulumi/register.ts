import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../core';

type Ctor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Typed Pulumi classes of the built-in kinds tokenscale emits; anything else is a CustomResource. */
const BUILT_IN: Record<string, Ctor> = {
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/Service': k8s.core.v1.Service,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/DaemonSet': k8s.apps.v1.DaemonSet,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  'apiregistration.k8s.io/v1/APIService': k8s.apiregistration.v1.APIService,
};

/** Child name of an object: the component name, then the kind, then the object name when it differs. */
export function childName(component: string, obj: KubeObject): string {
  const kind = obj.kind.toLowerCase();
  return obj.metadata.name === component ? `${component}-${kind}` : `${component}-${kind}-${obj.metadata.name}`;
}

/** Registers one object as a first-class Pulumi resource under `parent`. */
export function registerObject(
  parent: pulumi.Resource,
  component: string,
  obj: KubeObject,
  provider?: pulumi.ProviderResource,
): pulumi.CustomResource {
  const Class = BUILT_IN[`${obj.apiVersion}/${obj.kind}`];
  const opts: pulumi.CustomResourceOptions = { parent, ...(provider ? { provider } : {}) };
  return Class ? new Class(childName(component, obj), obj, opts) : new k8s.apiextensions.CustomResource(childName(component, obj), obj as any, opts);
}

/** Runs `fn`, turning a TokenscaleError into a ResourceError on the component. */
export function validated<T>(resource: pulumi.Resource, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && err.name === 'TokenscaleError') throw new pulumi.ResourceError(err.message, resource);
    throw err;
  }
}
