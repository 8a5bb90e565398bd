import type { HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';
import type { KubeObject } from './object';

/** The parts of KEDA's `keda.sh/v1alpha1` kinds tokenscale emits (KEDA v2.20 CRDs). */
export interface ScaledObjectTrigger {
  readonly type: 'prometheus' | 'cron';
  readonly name: string;
  /** @default - KEDA treats unset as AverageValue */
  readonly metricType?: 'AverageValue' | 'Value';
  readonly metadata: Record<string, string>;
  /** @default - none */
  readonly authenticationRef?: { readonly name: string; readonly kind: 'TriggerAuthentication' };
}

export interface ScaledObject extends KubeObject {
  readonly apiVersion: 'keda.sh/v1alpha1';
  readonly kind: 'ScaledObject';
  readonly spec: {
    readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
    readonly pollingInterval: number;
    readonly cooldownPeriod: number;
    readonly minReplicaCount: number;
    readonly maxReplicaCount: number;
    readonly fallback: { readonly failureThreshold: number; readonly replicas: number; readonly behavior: string };
    readonly advanced: { readonly horizontalPodAutoscalerConfig: { readonly behavior: HorizontalPodAutoscalerBehavior } };
    readonly triggers: ScaledObjectTrigger[];
  };
}

export interface TriggerAuthentication extends KubeObject {
  readonly apiVersion: 'keda.sh/v1alpha1';
  readonly kind: 'TriggerAuthentication';
  readonly spec: { readonly secretTargetRef: Array<{ readonly parameter: string; readonly name: string; readonly key: string }> };
}
