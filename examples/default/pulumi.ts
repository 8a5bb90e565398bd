/** The default example through the Pulumi front end, from the same specs. */
import { DCGM_MONITOR_LABELS, ENVELOPE, POOL, SCALER, SERVICE } from './spec';
import { ComplianceEnvelope, DcgmExporter, GpuNodePool, LlmInferenceService, TokenAwareScaler } from 'tokenscale/pulumi';

export function buildDefaultStack() {
  const envelope = new ComplianceEnvelope('compliance', ENVELOPE);
  const { nodeClass, ...pool } = POOL;
  const { role, ...nodeClassRest } = nodeClass;
  const gpuPool = new GpuNodePool(POOL.name, { ...pool, nodeClass: nodeClassRest, nodeIdentity: { roleName: role! }, interruptionQueue: false });
  new DcgmExporter('dcgm', { monitorLabels: DCGM_MONITOR_LABELS });
  const llama = new LlmInferenceService(SERVICE.name, { ...SERVICE, nodePool: gpuPool, envelope, autoscaled: true });
  new TokenAwareScaler(`${SERVICE.name}-scaler`, { ...SCALER, target: llama });
  return { envelope, gpuPool, llama };
}
