import { SERVICE_FIXTURES } from '../fixtures/services';
import { buildLlmInferenceService, inFlightDrainSeconds, LlmInferenceServiceSpec } from 'tokenscale';

const spec: LlmInferenceServiceSpec = { name: 'llama', namespace: 'llm', model: 'meta-llama/Llama-3.1-8B-Instruct' };

function container(s: LlmInferenceServiceSpec = spec) {
  return buildLlmInferenceService(s).deployment.spec!.template.spec!.containers[0];
}

describe('buildLlmInferenceService', () => {
  describe('the vLLM container (reference.md section 1)', () => {
    test('starts `vllm serve` with the model as the positional argument (1.2)', () => {
      const c = container();
      expect(c.command).toEqual(['vllm', 'serve']);
      expect(c.args![0]).toBe('meta-llama/Llama-3.1-8B-Instruct');
    });

    test('serves the API and /metrics on port 8000 (1.1, 1.2)', () => {
      expect(container().ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
      const args = container().args!;
      expect(args[args.indexOf('--port') + 1]).toBe('8000');
    });

    test('passes the served model name, which becomes the model_name label of every metric (1.1)', () => {
      const args = container({ ...spec, servedModelName: 'llama-8b' }).args!;
      expect(args[args.indexOf('--served-model-name') + 1]).toBe('llama-8b');
      const defaulted = container().args!;
      expect(defaulted[defaulted.indexOf('--served-model-name') + 1]).toBe('meta-llama/Llama-3.1-8B-Instruct');
    });

    test('maps engine fields to their flags and omits unset ones (1.2)', () => {
      const args = container(SERVICE_FIXTURES.full).args!;
      const flag = (f: string) => args[args.indexOf(f) + 1];
      expect(flag('--tensor-parallel-size')).toBe('4');
      expect(flag('--pipeline-parallel-size')).toBe('2');
      expect(flag('--gpu-memory-utilization')).toBe('0.92');
      expect(flag('--max-model-len')).toBe('16384');
      expect(flag('--max-num-seqs')).toBe('128');
      expect(flag('--max-num-batched-tokens')).toBe('8192');
      expect(flag('--download-dir')).toBe('/var/cache/models/weights');
      expect(args[args.length - 1]).toBe('--enable-chunked-prefill');
      const minimal = container().args!;
      for (const f of ['--max-model-len', '--max-num-seqs', '--max-num-batched-tokens', '--pipeline-parallel-size', '--download-dir']) {
        expect(minimal).not.toContain(f);
      }
    });

    test('probes /health: a startup budget of minutes, then readiness and a conservative liveness (1.3)', () => {
      const c = container();
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
        expect(probe!.httpGet).toEqual({ path: '/health', port: 'http' });
      }
      expect(c.startupProbe!.periodSeconds! * c.startupProbe!.failureThreshold!).toBe(1200);
      expect(c.livenessProbe!.periodSeconds! * c.livenessProbe!.failureThreshold!).toBeGreaterThanOrEqual(60);
      const long = container({ ...spec, startupBudgetSeconds: 3601 }).startupProbe!;
      expect(long.periodSeconds! * long.failureThreshold!).toBeGreaterThanOrEqual(3601);
    });

    test('drains: preStop pause, --shutdown-timeout from max output / decode speed, grace covering both (1.4)', () => {
      const drain = { maxOutputTokens: 2000, decodeTokensPerSecond: 40, preStopSeconds: 10, bufferSeconds: 5 };
      const built = buildLlmInferenceService({ ...spec, drain });
      const c = built.deployment.spec!.template.spec!.containers[0];
      expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
      expect(c.args).toContain('--shutdown-timeout=50');
      expect(built.deployment.spec!.template.spec!.terminationGracePeriodSeconds).toBe(65);
      // In-flight requests run through the preStop pause and vLLM's timeout; the buffer is for process exit.
      expect(inFlightDrainSeconds(built.spec.drain)).toBe(60);
      // A longer grace period adds nothing (vLLM aborts at its timeout); a shorter one cuts the drain.
      const generous = buildLlmInferenceService({ ...spec, drain: { ...drain, terminationGracePeriodSeconds: 600 } });
      expect(inFlightDrainSeconds(generous.spec.drain)).toBe(60);
      expect(inFlightDrainSeconds({ ...built.spec.drain, terminationGracePeriodSeconds: 30 })).toBe(30);
      expect(c.args!.some((a) => a.startsWith('--override-generation-config'))).toBe(false);
    });

    test('capOutputTokens ends every answer at drain.maxOutputTokens, so none outlives the drain window', () => {
      const built = buildLlmInferenceService({ ...spec, drain: { maxOutputTokens: 2000, capOutputTokens: true } });
      expect(built.deployment.spec!.template.spec!.containers[0].args).toContain('--override-generation-config={"max_new_tokens":2000}');
    });

    test('mounts a memory-backed /dev/shm and puts HF_HOME in the model cache (1.5)', () => {
      const built = buildLlmInferenceService(spec);
      const pod = built.deployment.spec!.template.spec!;
      expect(pod.volumes).toContainEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'shm', mountPath: '/dev/shm' });
      expect(pod.containers[0].env).toContainEqual({ name: 'HF_HOME', value: '/var/cache/models/huggingface' });
    });

    test('reads the Hugging Face token from the Secret as HF_TOKEN (1.5)', () => {
      const env = container(SERVICE_FIXTURES.full).env!;
      expect(env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } });
      expect(container().env!.map((e) => e.name)).not.toContain('HF_TOKEN');
    });

    test('tells the server its zone and region from the pod labels Kubernetes copies from the node', () => {
      const env = container().env!;
      // A downward API label path must name a qualified label key in quotes (pkg/fieldpath.SplitMaybeSubscriptedPath).
      for (const [name, label] of [['TOPOLOGY_ZONE', 'topology.kubernetes.io/zone'], ['TOPOLOGY_REGION', 'topology.kubernetes.io/region']]) {
        expect(env).toContainEqual({ name, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${label}']` } } });
      }
      expect(env.map((e) => e.name)).toEqual(expect.arrayContaining(['POD_NAME', 'POD_NAMESPACE', 'NODE_NAME']));
    });

    test('requests and limits whole GPUs under the configured resource name', () => {
      const c = container(SERVICE_FIXTURES.full);
      expect(c.resources!.limits!['nvidia.com/gpu']).toBe('8');
      expect(c.resources!.requests!['nvidia.com/gpu']).toBe('8');
      expect(c.resources!.limits!.cpu).toBeUndefined();
    });
  });

  test('mounts a shared PVC read-only when asked, and an emptyDir cache otherwise', () => {
    const full = buildLlmInferenceService(SERVICE_FIXTURES.full).deployment.spec!.template.spec!;
    expect(full.volumes).toContainEqual({ name: 'model-cache', persistentVolumeClaim: { claimName: 'llama-70b-weights', readOnly: true } });
    expect(full.containers[0].volumeMounts).toContainEqual({ name: 'model-cache', mountPath: '/var/cache/models', readOnly: true });
    const minimal = buildLlmInferenceService(spec).deployment.spec!.template.spec!;
    expect(minimal.volumes).toContainEqual({ name: 'model-cache', emptyDir: { sizeLimit: '50Gi' } });
  });

  test('pins pods to the allowed zones and spreads them strictly for interactive services', () => {
    const pod = buildLlmInferenceService(SERVICE_FIXTURES.full).deployment.spec!.template.spec!;
    expect(pod.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b'] }] },
    ]);
    expect(pod.topologySpreadConstraints![0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 });
    const batch = buildLlmInferenceService(SERVICE_FIXTURES.batch).deployment.spec!.template.spec!;
    expect(batch.topologySpreadConstraints![0].whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(batch.affinity).toBeUndefined();
    expect(batch.tolerations).toBeUndefined();
  });

  test('leaves spec.replicas out when a scaler owns the replica count', () => {
    expect(buildLlmInferenceService(spec, { omitReplicas: true }).deployment.spec!.replicas).toBeUndefined();
    expect(buildLlmInferenceService(spec).deployment.spec!.replicas).toBe(2);
  });

  test('labels every object with ownership and cost attribution, and selects pods by stable labels only', () => {
    const built = buildLlmInferenceService(SERVICE_FIXTURES.full);
    for (const o of [built.deployment, built.service, built.serviceAccount, built.podDisruptionBudget, built.networkPolicy, built.monitor!]) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'tokenscale',
        'tokenscale.io/team': 'platform',
        'tokenscale.io/cost-center': 'cc-9',
        'tokenscale.io/feature': 'rag',
        'example.com/owner': 'ml-platform',
      });
      expect(o.metadata.namespace).toBe('llm-prod');
      expect(o.metadata.name).toBe('full');
    }
    expect(built.deployment.spec!.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'full' });
  });

  test('exposes named API and metrics ports on the Service, both on the vLLM listener', () => {
    expect(buildLlmInferenceService(spec).service.spec!.ports).toEqual([
      { name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 8001, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  test('admits API clients and the monitoring namespace only', () => {
    const np = buildLlmInferenceService(SERVICE_FIXTURES.full).networkPolicy.spec!;
    expect(np.policyTypes).toEqual(['Ingress']);
    expect(np.ingress![0].from).toEqual([
      { podSelector: { matchLabels: { app: 'gateway' } } },
      { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchLabels: { tier: 'frontend' } } },
    ]);
    expect(np.ingress![1].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('scrapes /metrics with a ServiceMonitor, a PodMonitor or nothing', () => {
    const sm = buildLlmInferenceService(spec).monitor!;
    expect(sm.kind).toBe('ServiceMonitor');
    // The pod's topology.kubernetes.io/zone label as Prometheus' endpoint discovery names it (the same way
    // statefulset.kubernetes.io/pod-name becomes __meta_kubernetes_pod_label_statefulset_kubernetes_io_pod_name).
    const zone = { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_topology_kubernetes_io_zone'], targetLabel: 'zone' };
    expect((sm.spec as any).endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s', relabelings: [zone] }]);
    const pm = buildLlmInferenceService(SERVICE_FIXTURES.full).monitor!;
    expect(pm.kind).toBe('PodMonitor');
    expect((pm.spec as any).podMetricsEndpoints[0]).toMatchObject({ port: 'http', path: '/metrics', interval: '30s', relabelings: [zone] });
    expect(pm.metadata.labels!.release).toBe('prom');
    expect(buildLlmInferenceService(SERVICE_FIXTURES.batch).monitor).toBeUndefined();
  });

  test('does not modify the caller\'s spec', () => {
    const input = JSON.parse(JSON.stringify(SERVICE_FIXTURES.full));
    buildLlmInferenceService(input);
    expect(input).toEqual(SERVICE_FIXTURES.full);
  });
});
