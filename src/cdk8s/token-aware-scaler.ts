import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, Node } from 'constructs';
import {
  buildTokenAwareScaler,
  GenerationThroughputSignal,
  KubeObject,
  KvCacheUsageSignal,
  PrometheusQuerySignal,
  QueueDepthSignal,
  ResolvedTokenAwareScaler,
  scalerBoundsInEnvelope,
  SignalQuery,
  TimeToFirstTokenSignal,
  tokenAwareScalerObjectList,
  TokenAwareScalerSpec,
  TokenscaleError,
} from '../core';
import { ComplianceEnvelope } from './compliance-envelope';
import { withConstructPath } from './errors';
import { LlmInferenceService } from './llm-inference-service';
import { markScalerEngine, PrometheusAdapter } from './prometheus-adapter';

/** Factories for scaling signals; each returns plain spec data. */
export class ScalingSignal {
  /** Requests waiting per replica (`vllm:num_requests_waiting`). */
  public static queueDepth(targetPerReplica?: number): QueueDepthSignal {
    return { kind: 'queueDepth', targetPerReplica };
  }

  /** Average KV-cache use, a fraction in (0, 1]. */
  public static kvCacheUsage(target?: number): KvCacheUsageSignal {
    return { kind: 'kvCacheUsage', target };
  }

  /** A quantile of time to first token, in seconds. */
  public static timeToFirstToken(targetSeconds: number, options: { quantile?: number; windowSeconds?: number } = {}): TimeToFirstTokenSignal {
    return { kind: 'timeToFirstToken', targetSeconds, ...options };
  }

  /** Generated tokens per second per replica. */
  public static generationThroughput(tokensPerSecondPerReplica: number): GenerationThroughputSignal {
    return { kind: 'generationThroughput', tokensPerSecondPerReplica };
  }

  /** Any single-value PromQL query, per replica. */
  public static prometheusQuery(name: string, query: string, targetPerReplica: number, activationThreshold?: number): PrometheusQuerySignal {
    return { kind: 'prometheusQuery', name, query, targetPerReplica, activationThreshold };
  }

  private constructor() {}
}

/** Props of a TokenAwareScaler: the core spec plus the service it scales. */
export interface TokenAwareScalerProps extends TokenAwareScalerSpec {
  /** The service to scale; it must not pin `replicas`. */
  readonly target: LlmInferenceService;
  /**
   * The cluster's Prometheus Adapter, which serves this scaler's metrics; required with the `hpa` engine.
   * @default - none (the keda engine needs none)
   */
  readonly adapter?: PrometheusAdapter;
}

/**
 * Scales an LlmInferenceService on the signals vLLM exports (queue depth by default), with KEDA or an
 * HPA, fast up and slow down, holding capacity when metrics go missing.
 *
 * @example
 * new TokenAwareScaler(chart, 'llama-scaler', {
 *   target: llama,
 *   signals: [ScalingSignal.queueDepth(5), ScalingSignal.timeToFirstToken(1.0)],
 *   minReplicas: 2,
 *   maxReplicas: 12,
 * });
 */
export class TokenAwareScaler extends Construct {
  /** The spec with every default applied. */
  public readonly spec: ResolvedTokenAwareScaler;
  /** The PromQL behind each signal. */
  public readonly queries: readonly SignalQuery[];
  /** The ScaledObject or HorizontalPodAutoscaler (construct id `Resource`). */
  public readonly scaler: ApiObject;
  /** The KEDA TriggerAuthentication, when Prometheus needs credentials. @default - none */
  public readonly triggerAuthentication?: ApiObject;
  /** The PrometheusRule with the scaling alerts. @default - none when alerts are off */
  public readonly alerts?: ApiObject;
  /** The Grafana dashboard ConfigMap. @default - none when the dashboard is off */
  public readonly dashboard?: ApiObject;
  private readonly built: KubeObject[];

  public constructor(scope: Construct, id: string, props: TokenAwareScalerProps) {
    super(scope, id);
    const { target, adapter, ...spec } = props;
    const owner = target.scaler ? Node.of(target).path : undefined;
    if (owner) {
      throw new TokenscaleError([{
        code: 'target-already-scaled',
        path: 'scaler.target',
        value: target.node.path,
        problem: 'it already has a scaler; two autoscalers on one Deployment fight each other',
        fix: 'keep one scaler per service and give it all the signals',
      }], this.node.path);
    }
    if ((spec.engine ?? 'keda') === 'hpa' && !adapter) {
      throw new TokenscaleError([{
        code: 'adapter-missing',
        path: 'scaler.adapter',
        value: undefined,
        problem: 'the hpa engine reads External metrics that only Prometheus Adapter serves',
        fix: 'create one PrometheusAdapter per cluster and pass it as adapter, or use the keda engine',
      }], this.node.path);
    }
    const bounds = scalerBoundsInEnvelope(spec, target.spec, ComplianceEnvelope.of(this)?.spec);
    const objects = withConstructPath(this, () => buildTokenAwareScaler({ ...spec, ...bounds }, target.spec));
    target.scaler = objects.spec;
    markScalerEngine(this, objects.spec.engine);
    adapter?.addRules(...objects.adapterRules);
    this.spec = objects.spec;
    this.queries = objects.queries;
    this.built = tokenAwareScalerObjectList(objects);
    if (objects.triggerAuthentication) {
      this.triggerAuthentication = new ApiObject(this, 'TriggerAuthentication', objects.triggerAuthentication);
    }
    this.scaler = new ApiObject(this, 'Resource', (objects.scaledObject ?? objects.horizontalPodAutoscaler) as KubeObject);
    if (objects.prometheusRule) this.alerts = new ApiObject(this, 'Alerts', objects.prometheusRule);
    if (objects.dashboard) this.dashboard = new ApiObject(this, 'Dashboard', objects.dashboard as KubeObject);
    // The scaler owns the replica count from now on; a manifest that sets it would undo each scale event.
    target.deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
  }

  /** The objects as core built them, in apply order. */
  public get objects(): KubeObject[] {
    return [...this.built];
  }
}
