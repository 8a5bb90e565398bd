/**
 * A compliance rule: CEL text written once, evaluated at synth with a real CEL engine, and emitted
 * byte-identical into Gatekeeper ConstraintTemplates and ValidatingAdmissionPolicies.
 *
 * The text sees two variables in all three places: `variables.anyObject` (the object under review;
 * Gatekeeper provides it, the VAP defines it as `object`) and `variables.params` (the rule's parameters;
 * Gatekeeper binds the Constraint's parameters, the VAP defines it as a map literal). Only standard CEL
 * and the strings extension (`split`), both in Kubernetes' CEL environment, are used.
 */

/** The kinds a rule reviews, as admission resource rules. */
export interface RuleTarget {
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural resource name. */
  readonly resource: string;
}

/** An admission operation a rule reviews. */
export type AdmissionOperation = 'CREATE' | 'UPDATE';

/** Type of a rule parameter, for the Constraint schema and for CEL values. */
export type ParamType = 'integer' | 'number' | 'boolean' | 'string' | 'string[]';

export interface ComplianceRule {
  /** Stable id, such as `replica-bounds`. */
  readonly id: string;
  /** Gatekeeper Constraint kind (CamelCase). */
  readonly kind: string;
  readonly description: string;
  readonly targets: readonly RuleTarget[];
  readonly params: Readonly<Record<string, ParamType>>;
  /** CEL: whether the object is in scope of the rule. */
  readonly match: string;
  /** CEL: true when the object complies. */
  readonly expression: string;
  /** CEL: the violation message (string), naming the object, the field and the fix. */
  readonly messageExpression: string;
  /** The operations reviewed at admission. @default ['CREATE', 'UPDATE'] */
  readonly operations?: readonly AdmissionOperation[];
  /**
   * Enforced by a ValidatingAdmissionPolicy only, never a Gatekeeper ConstraintTemplate: Gatekeeper's
   * webhook does not review subresources such as `pods/binding`. @default false
   */
  readonly vapOnly?: boolean;
}

export const DEPLOYMENTS: RuleTarget = { apiGroup: 'apps', apiVersion: 'v1', kind: 'Deployment', resource: 'deployments' };
export const HPAS: RuleTarget = { apiGroup: 'autoscaling', apiVersion: 'v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers' };
export const SCALED_OBJECTS: RuleTarget = { apiGroup: 'keda.sh', apiVersion: 'v1alpha1', kind: 'ScaledObject', resource: 'scaledobjects' };
export const NODE_POOLS: RuleTarget = { apiGroup: 'karpenter.sh', apiVersion: 'v1', kind: 'NodePool', resource: 'nodepools' };
/** The Binding a scheduler creates to place a pod on a node (the `pods/binding` subresource). */
export const POD_BINDINGS: RuleTarget = { apiGroup: '', apiVersion: 'v1', kind: 'Binding', resource: 'pods/binding' };
export const PODS: RuleTarget = { apiGroup: '', apiVersion: 'v1', kind: 'Pod', resource: 'pods' };
export const PDBS: RuleTarget = { apiGroup: 'policy', apiVersion: 'v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets' };
