import type { ResolvedLlmInferenceService } from '../spec/llm-inference-service';

/** Label and annotation keys tokenscale writes. */
export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  service: 'tokenscale.io/service',
  workload: 'tokenscale.io/workload',
  team: 'tokenscale.io/team',
  feature: 'tokenscale.io/feature',
  costCenter: 'tokenscale.io/cost-center',
} as const;

/** Labels that select a service's pods; stable for the life of the Deployment (selectors are immutable). */
export function selectorLabels(service: Pick<ResolvedLlmInferenceService, 'name'>): Record<string, string> {
  return { [LABELS.name]: 'vllm', [LABELS.instance]: service.name };
}

/** Labels on every object of a service: selector, ownership, workload class and cost attribution. */
export function serviceLabels(service: ResolvedLlmInferenceService): Record<string, string> {
  const cost: Record<string, string> = {};
  if (service.costLabels.team) cost[LABELS.team] = service.costLabels.team;
  if (service.costLabels.feature) cost[LABELS.feature] = service.costLabels.feature;
  if (service.costLabels.costCenter) cost[LABELS.costCenter] = service.costLabels.costCenter;
  return {
    ...service.labels,
    ...selectorLabels(service),
    [LABELS.component]: 'inference',
    [LABELS.managedBy]: 'tokenscale',
    [LABELS.service]: service.name,
    [LABELS.workload]: service.workload,
    ...cost,
  };
}
