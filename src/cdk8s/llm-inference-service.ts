import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  buildPlacedService,
  KubeObject,
  ResolvedTokenAwareScaler,
  llmInferenceServiceObjectList,
  LlmInferenceServiceObjects,
  LlmInferenceServiceSpec,
  ResolvedLlmInferenceService,
  SecretKeyReference,
  selectorLabels,
  VLLM_METRICS,
  VLLM_PORT,
} from '../core';
import { ComplianceEnvelope } from './compliance-envelope';
import { withConstructPath } from './errors';
import type { GpuNodePool } from './gpu-node-pool';

/** Props of an LlmInferenceService: the core spec, with the name defaulting to the construct id. */
export interface LlmInferenceServiceProps extends Omit<LlmInferenceServiceSpec, 'name'> {
  /**
   * Name of the service and of all its objects.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * GPU pool the replicas run on: node selector, toleration and zones come from it, and the model's fit,
   * GPUs per node and zones are checked against it.
   * @default - no pool: placement as given
   */
  readonly nodePool?: GpuNodePool;
}

/**
 * A vLLM OpenAI-compatible inference service on GPUs, with production defaults: a startup budget for
 * model loads, drain of in-flight requests on scale-down, zone spread, a PodDisruptionBudget that never
 * blocks drains, a NetworkPolicy, non-root with a read-only root filesystem, and a ServiceMonitor.
 *
 * @example
 * const chart = new Chart(app, 'inference');
 * const llama = new LlmInferenceService(chart, 'llama', {
 *   model: 'meta-llama/Llama-3.1-8B-Instruct',
 *   hfTokenSecret: LlmInferenceService.hfToken(kplus.Secret.fromSecretName(chart, 'hf', 'hf-token')),
 *   costLabels: { team: 'search', costCenter: 'cc-1234' },
 * });
 */
export class LlmInferenceService extends Construct {
  /** A Hugging Face token reference from a cdk8s-plus Secret handle. */
  public static hfToken(secret: kplus.ISecret, key = 'token'): SecretKeyReference {
    return { secretName: secret.name, key };
  }

  /** The spec with every default applied. */
  public readonly spec: ResolvedLlmInferenceService;
  /** The Deployment (construct id `Resource`): the scale target of a scaler. */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service in front of the replicas. */
  public readonly service: ApiObject;
  public readonly serviceAccount: ApiObject;
  public readonly podDisruptionBudget: ApiObject;
  public readonly networkPolicy: ApiObject;
  /** The ServiceMonitor or PodMonitor, unless monitoring is `none`. */
  public readonly monitor?: ApiObject;
  /** Name of the Service clients call. */
  public readonly serviceName: string;
  /** Port of the OpenAI-compatible API on the Service. */
  public readonly apiPort = VLLM_PORT;
  /** Labels that select the replicas. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Prometheus series the replicas export (reference.md 1.1). */
  public readonly metricNames = VLLM_METRICS;

  /** The pool the replicas run on. @default - none */
  public readonly nodePool?: GpuNodePool;
  /** The scaler that owns the replica count. @default - none: fixed replicas */
  public scaler?: ResolvedTokenAwareScaler;
  private readonly built: LlmInferenceServiceObjects;

  public constructor(scope: Construct, id: string, props: LlmInferenceServiceProps) {
    super(scope, id);
    const { nodePool, ...rest } = props;
    const context = { envelope: ComplianceEnvelope.of(this)?.spec, pool: nodePool?.spec };
    this.built = withConstructPath(this, () => buildPlacedService({ ...rest, name: props.name ?? id }, context));
    this.nodePool = nodePool;
    nodePool?.addService(this);
    this.spec = this.built.spec;
    this.serviceName = this.built.service.metadata.name;
    this.selectorLabels = selectorLabels(this.spec);
    // Created in apply order; the Deployment is the primary child (`Resource`) for ApiObject.of().
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', this.built.serviceAccount as KubeObject);
    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', this.built.networkPolicy as KubeObject);
    this.service = new ApiObject(this, 'Service', this.built.service as KubeObject);
    this.podDisruptionBudget = new ApiObject(this, 'PodDisruptionBudget', this.built.podDisruptionBudget as KubeObject);
    this.deployment = new ApiObject(this, 'Resource', this.built.deployment as KubeObject);
    if (this.built.monitor) this.monitor = new ApiObject(this, 'Monitor', this.built.monitor);
  }

  /** Replica range: the scaler's bounds, or the fixed count. */
  public get replicaRange(): { min: number; max: number } {
    return this.scaler ? { min: this.scaler.minReplicas, max: this.scaler.maxReplicas } : { min: this.spec.replicas, max: this.spec.replicas };
  }

  /** The objects as core built them, in apply order (what the Pulumi front end emits too). */
  public get objects(): KubeObject[] {
    return llmInferenceServiceObjectList(this.built);
  }
}

