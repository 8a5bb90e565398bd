/**
 * The spec of a fleet: the services, their scalers, the GPU pools they run on and the envelope they stay
 * in, as one plain-data document. It is what `tokenscale synth -f fleet.yaml` reads; its JSON Schema
 * (`schema/fleet.schema.json`) is generated from these types, so the YAML and the TypeScript API cannot
 * drift apart.
 */
import type { DcgmExporterSpec } from '../build/dcgm-exporter';
import type { ComplianceEnvelopeSpec } from '../spec/compliance-envelope';
import type { GpuNodePoolSpec } from '../spec/gpu-node-pool';
import type { LlmInferenceServiceSpec } from '../spec/llm-inference-service';
import type { PrometheusAdapterSpec } from '../spec/prometheus-adapter';
import type { TokenAwareScalerSpec } from '../spec/token-aware-scaler';

/** The `apiVersion` of a fleet document. */
export const FLEET_API_VERSION = 'tokenscale.io/v1alpha1';

/** One service of a fleet: an inference service, the pool it runs on and its scaler. */
export interface FleetServiceSpec extends LlmInferenceServiceSpec {
  /**
   * Name of the fleet pool the replicas run on (placement comes from it and is checked against it).
   * @default - no pool: placement as given
   */
  readonly nodePool?: string;
  /**
   * The scaler that owns the replica count; `replicas` must then be unset.
   * @default - none: a fixed replica count
   */
  readonly scaler?: TokenAwareScalerSpec;
}

/** The DCGM exporter of a fleet's GPU nodes. */
export interface FleetDcgmExporterSpec extends DcgmExporterSpec {
  /**
   * Deploy it; GPU metrics feed the idle-GPU alert and the dashboard's GPU panel.
   * @default true
   */
  readonly enabled?: boolean;
}

/** A fleet document (`kind: Fleet`). */
export interface FleetSpec {
  /** Always `tokenscale.io/v1alpha1`. */
  readonly apiVersion: 'tokenscale.io/v1alpha1';
  /** Always `Fleet`. */
  readonly kind: 'Fleet';
  /**
   * The compliance envelope every object of the fleet stays within (synth, admission and defaults).
   * @default - no envelope
   */
  readonly envelope?: ComplianceEnvelopeSpec;
  /** Karpenter GPU node pools, referenced by name from services. @default - none */
  readonly pools?: readonly GpuNodePoolSpec[];
  /** The DCGM exporter, deployed with the pools. @default - deployed with defaults when the fleet has pools */
  readonly dcgmExporter?: FleetDcgmExporterSpec;
  /** Settings of the Prometheus Adapter, created when any scaler uses the `hpa` engine. @default - adapter defaults */
  readonly prometheusAdapter?: PrometheusAdapterSpec;
  /** The inference services. */
  readonly services: readonly FleetServiceSpec[];
}
