/**
 * Pins every safety default of LlmInferenceService. A change here changes what users deploy without
 * touching their code: it must be deliberate.
 */
import { buildLlmInferenceService, buildPlacedService, DEFAULT_VLLM_IMAGE, resolveGpuNodePool, TokenscaleError } from 'tokenscale';

const built = buildLlmInferenceService({ name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct' });
const pod = built.deployment.spec!.template.spec!;
const vllm = pod.containers[0];

describe('LlmInferenceService default configuration', () => {
  test('image is a pinned vLLM release with --shutdown-timeout', () => {
    expect(vllm.image).toBe(DEFAULT_VLLM_IMAGE);
    expect(DEFAULT_VLLM_IMAGE).toBe('vllm/vllm-openai:v0.24.0');
  });

  test('interactive, two replicas, one GPU each, 90% GPU memory', () => {
    expect(built.deployment.metadata.labels!['tokenscale.io/workload']).toBe('interactive');
    expect(built.deployment.spec!.replicas).toBe(2);
    expect(vllm.resources!.limits!['nvidia.com/gpu']).toBe('1');
    expect(vllm.args).toEqual(expect.arrayContaining(['--gpu-memory-utilization', '0.9']));
  });

  test('rollouts add capacity before removing it', () => {
    expect(built.deployment.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('drain: preStop 15 s, shutdown timeout 41 s (1024 tokens at 25 tok/s), grace 71 s', () => {
    expect(vllm.lifecycle!.preStop!.sleep!.seconds).toBe(15);
    expect(vllm.args).toContain('--shutdown-timeout=41');
    expect(pod.terminationGracePeriodSeconds).toBe(71);
  });

  test('drain on a pool: sized for the speed its GPU decodes one request at under load, never faster than the default', () => {
    const onFamily = (family: string, drain?: Record<string, number>) => buildPlacedService(
      { name: 'llama', model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelLen: 8192, drain },
      { pool: resolveGpuNodePool({ name: 'gpu', zones: ['us-east-1a'], gpuLimit: 8, instanceFamilies: [family], nodeClass: { clusterName: 'c', role: 'r' } }) },
    );
    const timings = (family: string, drain?: Record<string, number>) => {
      const placed = onFamily(family, drain);
      const spec = placed.deployment.spec!.template.spec!;
      return [placed.spec.drain.decodeTokensPerSecond, spec.containers[0].args!.find((a) => a.startsWith('--shutdown-timeout=')), spec.terminationGracePeriodSeconds];
    };
    // An L4 (g6) decodes an 8B BF16 model at ~10.7 tokens/s per request with its KV cache full: 1024 tokens take 96 s.
    expect(timings('g6')).toEqual([10.7, '--shutdown-timeout=96', 126]);
    // An A100 (p4d) at ~21.4. An H100 (p5) at ~23: vLLM runs up to 1,024 sequences there (not 256), and the
    // ~440 its KV cache holds slow each one below the default 25.
    expect(timings('p4d')).toEqual([21.4, '--shutdown-timeout=48', 78]);
    expect(timings('p5')).toEqual([23, '--shutdown-timeout=45', 75]);
    // A speed the spec sets is kept; a grace period too short for the GPU's speed is refused, naming it.
    expect(timings('g6', { decodeTokensPerSecond: 20 })).toEqual([20, '--shutdown-timeout=52', 82]);
    expect(() => onFamily('g6', { terminationGracePeriodSeconds: 71 })).toThrow(TokenscaleError);
    expect(() => onFamily('g6', { terminationGracePeriodSeconds: 71 })).toThrow(/needs 126 s .*1024 output tokens at 10\.7 tokens\/s/);
  });

  test('probes: 1200 s startup budget, readiness every 5 s, liveness restarts only after 60 s of failures', () => {
    expect(vllm.startupProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 120 });
    expect(vllm.readinessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 });
    expect(vllm.livenessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 4 });
  });

  test('security: non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp, no API token', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(vllm.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(built.serviceAccount.automountServiceAccountToken).toBe(false);
  });

  test('every path vLLM writes is a mounted volume', () => {
    expect(vllm.volumeMounts!.map((m) => m.mountPath).sort()).toEqual(['/dev/shm', '/home/vllm', '/tmp', '/var/cache/models']);
    expect(vllm.env).toContainEqual({ name: 'HOME', value: '/home/vllm' });
  });

  test('placement: tolerates the GPU taint, spreads across zones (required) and hosts (preferred)', () => {
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.topologySpreadConstraints!.map((t) => [t.topologyKey, t.whenUnsatisfiable, t.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
  });

  test('disruption budget: one pod at a time, never blocking a drain', () => {
    expect(built.podDisruptionBudget.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(built.podDisruptionBudget.spec!.minAvailable).toBeUndefined();
  });

  test('network: API from the own namespace, metrics from `monitoring`', () => {
    expect(built.networkPolicy.spec!.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8000 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8000 }] },
    ]);
  });

  test('monitoring: a ServiceMonitor every 15 s', () => {
    expect(built.monitor!.kind).toBe('ServiceMonitor');
  });

  test('namespace: default', () => {
    expect(built.deployment.metadata.namespace).toBe('default');
  });
});
