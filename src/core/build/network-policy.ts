import type { NetworkPolicy, NetworkPolicyPeer } from 'kubernetes-types/networking/v1';
import * as d from '../defaults';
import { selectorLabels, serviceLabels } from './labels';
import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/**
 * Ingress to the server pods: the API from the allowed clients, `/metrics` from the monitoring namespace.
 * vLLM serves both on one port, so the policy tells them apart by peer, not by path; protect `/v1` from
 * the monitoring namespace with `--api-key` where that matters (reference.md 1.2).
 */
export function buildNetworkPolicy(service: ResolvedLlmInferenceService): NetworkPolicy & { metadata: { name: string } } {
  const clients: NetworkPolicyPeer[] = service.network.allowedClients
    ? service.network.allowedClients.map((peer) => ({
      ...(peer.podLabels ? { podSelector: { matchLabels: { ...peer.podLabels } } } : { podSelector: {} }),
      ...(peer.namespaceLabels ? { namespaceSelector: { matchLabels: { ...peer.namespaceLabels } } } : {}),
    }))
    : [{ podSelector: {} }];
  const port = [{ protocol: 'TCP', port: d.VLLM_PORT }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service) },
    spec: {
      podSelector: { matchLabels: selectorLabels(service) },
      policyTypes: ['Ingress'],
      ingress: [
        { from: clients, ports: port },
        {
          from: [{ namespaceSelector: { matchLabels: { [d.NAMESPACE_NAME_LABEL]: service.network.monitoringNamespace } } }],
          ports: port,
        },
      ],
    },
  };
}
