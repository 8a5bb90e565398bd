import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  admissionObjects, auditPolicyYaml, boundRules, checkObjects, ComplianceEnvelopeSpec, KubeObject, objectRef, ResolvedComplianceEnvelope,
  validateComplianceEnvelope, Violation,
} from '../core';
import { withConstructPath } from './errors';

/** Props of a ComplianceEnvelope: the core spec. */
export interface ComplianceEnvelopeProps extends ComplianceEnvelopeSpec {}

/**
 * Bounds that every tokenscale construct in its scope (its parent and everything below it) must stay
 * within, stated once and enforced three times with the same CEL text: at synth (synthesis fails with the
 * full list of violations), at admission (Gatekeeper and/or ValidatingAdmissionPolicy objects), and
 * through the defaults of the constructs in its scope (zones, zone spread, drain buffer, minimum replicas).
 * Create it before the constructs it governs.
 *
 * @example
 * new ComplianceEnvelope(chart, 'hipaa', { profile: 'hipaa', allowedZones: ['us-east-1a', 'us-east-1b'], enforcement: ['gatekeeper', 'vap'] });
 */
export class ComplianceEnvelope extends Construct {
  /** The envelope in force for a construct: the nearest one created beside it or beside one of its ancestors. */
  public static of(construct: IConstruct): ComplianceEnvelope | undefined {
    for (let scope: IConstruct | undefined = construct.node.scope; scope; scope = scope.node.scope) {
      const found = scope.node.children.find((c): c is ComplianceEnvelope => c instanceof ComplianceEnvelope);
      if (found) return found;
    }
    return undefined;
  }

  public readonly spec: ResolvedComplianceEnvelope;
  /** The audit Policy document, when enabled. @default - none when auditPolicy is false */
  public readonly auditPolicy?: string;
  private readonly admission: ApiObject[];

  public constructor(scope: Construct, id: string, props: ComplianceEnvelopeProps) {
    super(scope, id);
    this.spec = withConstructPath(this, () => validateComplianceEnvelope(props));
    // Admission objects need a chart: the enclosing one, or a chart of their own when the envelope governs a whole app.
    const home = hasChart(this) ? this : new Chart(this, 'admission');
    this.admission = admissionObjects(this.spec).map((o) => new ApiObject(home, `${o.kind}-${o.metadata.name}`, o));
    this.auditPolicy = this.spec.auditPolicy ? auditPolicyYaml() : undefined;
    this.node.addValidation({ validate: () => this.check().violations.map((v) => `[${v.rule}] ${v.message}`) });
  }

  /** The objects the envelope governs: every ApiObject in its scope except its own admission objects. */
  public governedObjects(): ApiObject[] {
    return this.node.scope!.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && !this.admission.includes(c));
  }

  /**
   * Evaluates every rule over every governed object. Waived violations are returned apart and the waiver
   * is recorded as an annotation on the object; a waiver naming no governed object is a violation itself.
   */
  public check(): { violations: Violation[]; waived: Array<Violation & { reason: string }> } {
    const apiObjects = this.governedObjects();
    const objects = apiObjects.map((o) => o.toJson() as KubeObject);
    const result = checkObjects(objects, boundRules(this.spec), this.spec.waivers);
    const refs = objects.map(objectRef);
    for (const w of this.spec.waivers) {
      const index = refs.indexOf(w.object);
      if (index < 0) {
        result.violations.push({ rule: w.rule, object: w.object, message: `waiver for ${w.object}: no such object in the envelope's scope; fix the reference (Kind/namespace/name) or remove the waiver` });
      } else {
        apiObjects[index].metadata.addAnnotation(`tokenscale.io/waived.${w.rule}`, w.reason);
      }
    }
    return result;
  }
}

function hasChart(construct: IConstruct): boolean {
  for (let scope: IConstruct | undefined = construct.node.scope; scope; scope = scope.node.scope) {
    if (Chart.isChart(scope)) return true;
  }
  return false;
}
