/**
 * Evaluates compliance rules over Kubernetes objects with a real CEL engine (@bufbuild/cel), binding the
 * same variables Gatekeeper and the ValidatingAdmissionPolicies see.
 */
import { celEnv, celError, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { ComplianceRule, ParamType } from './rule';
import type { KubeObject } from '../k8s/object';
import { objectRef } from '../k8s/object';

/** Rule parameter values. */
export type RuleParams = Readonly<Record<string, number | boolean | string | readonly string[]>>;

/** A rule with its parameters, as an envelope enables it. */
export interface BoundRule {
  readonly rule: ComplianceRule;
  readonly params: RuleParams;
  /** The namespaces its admission policy reviews. @default - every namespace */
  readonly namespaces?: readonly string[];
}

/** A waiver: a rule that does not apply to one named object, with the reason. */
export interface Waiver {
  readonly rule: string;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  readonly reason: string;
}

/** A rule an object breaks. */
export interface Violation {
  readonly rule: string;
  readonly object: string;
  readonly message: string;
}

/** JSON data as CEL values: objects become maps and whole numbers ints, as in Kubernetes' CEL. */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

/** Parameters as CEL values of their declared types (a 2 declared `number` is a double). */
export function paramsToCel(rule: ComplianceRule, params: RuleParams): Map<string, unknown> {
  return new Map(Object.entries(rule.params).map(([k, type]) => [k, paramValue(type, params[k])]));
}

function paramValue(type: ParamType, v: unknown): unknown {
  if (type === 'integer') return BigInt(v as number);
  if (type === 'string[]') return [...(v as string[])];
  return v;
}

type Program = (bindings: never) => unknown;
const programs = new Map<string, Program>();

/** Parses and plans an expression once (what `run` does on every call), then evaluates it; never throws. */
function evaluate(expression: string, variables: Map<string, unknown>): unknown {
  try {
    let program = programs.get(expression);
    if (!program) {
      program = plan(celEnv({ funcs: strings }), parse(expression)) as Program;
      programs.set(expression, program);
    }
    return program({ variables } as never);
  } catch (e) {
    return celError(e);
  }
}

/** Checks every object against every bound rule; waived violations are returned apart. */
export function checkObjects(
  objects: readonly KubeObject[],
  rules: readonly BoundRule[],
  waivers: readonly Waiver[] = [],
): { violations: Violation[]; waived: Array<Violation & { reason: string }> } {
  const violations: Violation[] = [];
  const waived: Array<Violation & { reason: string }> = [];
  for (const obj of objects) {
    const ref = objectRef(obj);
    const anyObject = toCel(obj);
    for (const { rule, params, namespaces } of rules) {
      if (!rule.targets.some((t) => t.kind === obj.kind && `${t.apiGroup ? `${t.apiGroup}/` : ''}${t.apiVersion}` === obj.apiVersion)) continue;
      if (namespaces && !namespaces.includes(obj.metadata.namespace ?? '')) continue;
      const variables = new Map<string, unknown>([['anyObject', anyObject], ['params', paramsToCel(rule, params)]]);
      const inScope = evaluate(rule.match, variables);
      if (inScope !== true) {
        if (isCelError(inScope)) violations.push({ rule: rule.id, object: ref, message: `${ref}: rule scope could not be evaluated (${String(inScope.message)})` });
        continue;
      }
      const ok = evaluate(rule.expression, variables);
      if (ok === true) continue;
      const rendered = evaluate(rule.messageExpression, variables);
      const message = typeof rendered === 'string' ? rendered : `${ref} breaks ${rule.id}`;
      const violation = { rule: rule.id, object: ref, message: isCelError(ok) ? `${message} (${String(ok.message)})` : message };
      const waiver = waivers.find((w) => w.rule === rule.id && w.object === ref);
      if (waiver) waived.push({ ...violation, reason: waiver.reason });
      else violations.push(violation);
    }
  }
  return { violations, waived };
}
